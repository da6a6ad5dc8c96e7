// A minimal MIME reader (RFC 2045/2046): headers, content type and parameters, the
// parts of a multipart, and transfer decoding. Enough to find the parts of a
// multipart/report, which mailparser flattens. Every step is bounded and linear:
// a hostile message costs what its first parts cost.

export interface Entity {
  headers: Map<string, string[]>;
  type: string;
  params: Record<string, string>;
  body: string; // still transfer-encoded, one char per byte
}

const MAX_DEPTH = 6;
/** Parts read per message: a report is in the first few, and 60,000 empty parts cost nothing more. */
export const MAX_PARTS = 100;
/** Bytes of a part that are transfer-decoded: report parts are a few KB. */
export const MAX_DECODED = 64 * 1024;

export function parseHeaders(block: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  const end = block.indexOf('\n\n');
  const unfolded = (end < 0 ? block : block.slice(0, end)).replace(/\n[ \t]+/g, ' ');
  let last: string[] | undefined;
  for (const line of unfolded.split('\n')) {
    const m = /^([^:\s]+)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (!m) {
      // A continuation whose folding lost its indent ("boundary=..." under Content-Type),
      // as some relays and mailbox exports write it: part of the field before.
      if (last && line.trim()) last[last.length - 1] += ` ${line.trim()}`;
      continue;
    }
    const name = m[1].toLowerCase();
    const values = headers.get(name);
    if (values) values.push(m[2].trim()); // in place: a header repeated 100,000 times stays linear
    else headers.set(name, [m[2].trim()]);
    last = headers.get(name);
  }
  return headers;
}

export function parseEntity(raw: string): Entity {
  const split = raw.startsWith('\n') ? 0 : raw.indexOf('\n\n');
  const headers = parseHeaders(split < 0 ? raw : raw.slice(0, split));
  const body = split < 0 ? '' : raw.slice(split + (split === 0 ? 1 : 2));
  const contentType = headers.get('content-type')?.[0] ?? 'text/plain';
  const semi = contentType.indexOf(';');
  const type = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return { headers, type, params: semi < 0 ? {} : parseParams(contentType.slice(semi + 1)), body };
}

// RFC 2045 §5.1 `; name=value` or `; name="quoted \" value"`, read in one pass (a regex
// over a long unterminated token backtracks quadratically).
function parseParams(s: string): Record<string, string> {
  const params: Record<string, string> = {};
  let i = 0;
  while (i < s.length) {
    const eq = s.indexOf('=', i);
    const semi = s.indexOf(';', i);
    if (eq < 0) break;
    if (semi >= 0 && semi < eq) { i = semi + 1; continue; } // a parameter without a value
    const name = s.slice(i, eq).trim().toLowerCase();
    let j = eq + 1;
    while (j < s.length && (s[j] === ' ' || s[j] === '\t')) j++;
    let value = '';
    if (s[j] === '"') {
      for (j++; j < s.length && s[j] !== '"'; j++) value += s[j] === '\\' && j + 1 < s.length ? s[++j] : s[j];
      j++;
      const next = s.indexOf(';', j);
      i = next < 0 ? s.length : next + 1;
    } else {
      const end = s.indexOf(';', j);
      value = s.slice(j, end < 0 ? s.length : end).trim().split(/\s/)[0];
      i = end < 0 ? s.length : end + 1;
    }
    if (/^[\w!#$%&'*+.^`|~-]+$/.test(name)) params[name] = value;
  }
  return params;
}

export function header(e: Entity, name: string): string | undefined {
  return e.headers.get(name)?.[0];
}

/** The first MAX_PARTS parts of a multipart entity; none for any other. */
export function childrenOf(e: Entity): Entity[] {
  const boundary = e.params.boundary;
  if (!e.type.startsWith('multipart/') || !boundary) return [];
  const open = `--${boundary}`;
  const parts: string[] = [];
  let start = -1; // where the current part's text starts; -1 in the preamble
  for (let at = 0; at < e.body.length && parts.length < MAX_PARTS;) {
    const nl = e.body.indexOf('\n', at);
    const end = nl < 0 ? e.body.length : nl;
    if (e.body.startsWith(open, at)) {
      const rest = e.body.slice(at + open.length, end).trimEnd();
      if (rest === '' || rest === '--') {
        if (start >= 0) parts.push(e.body.slice(start, Math.max(start, at - 1)));
        start = rest === '--' ? -1 : end + 1;
        if (rest === '--') break;
      }
    }
    at = end + 1;
  }
  if (start >= 0 && parts.length < MAX_PARTS) parts.push(e.body.slice(start));
  return parts.map(parseEntity);
}

/** The entity and its descendants, depth first: at most MAX_PARTS in all. */
export function* walk(top: Entity): Generator<Entity> {
  let count = 0;
  function* visit(e: Entity, depth: number): Generator<Entity> {
    if (count++ >= MAX_PARTS) return;
    yield e;
    if (depth < MAX_DEPTH) for (const c of childrenOf(e)) yield* visit(c, depth + 1);
  }
  yield* visit(top, 0);
}

/**
 * The body of an entity, transfer-decoded (RFC 2045 §6) and read in its charset
 * (UTF-8 when it names none or one we cannot read): its first MAX_DECODED bytes.
 */
export function decodeBody(e: Entity): string {
  const cte = header(e, 'content-transfer-encoding')?.trim().toLowerCase();
  const body = e.body.slice(0, MAX_DECODED * (cte === 'base64' ? 2 : 1)); // base64 with line breaks is ~4/3 longer
  const bytes = cte === 'base64'
    ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
    : Buffer.from(cte === 'quoted-printable'
      ? body.replace(/=\n/g, '').replace(/=([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      : body, 'latin1');
  return decodeCharset(bytes, e.params.charset);
}

// Non-delivery reports come in the sender's local charset: KOI8-R, ISO-2022-JP,
// Shift_JIS, GB2312, Latin-1... Node's TextDecoder (ICU) reads them all.
function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  const name = charset?.trim().toLowerCase();
  if (name && name !== 'utf-8' && name !== 'utf8' && name !== 'us-ascii') {
    try {
      return new TextDecoder(name).decode(bytes);
    } catch {
      // an unknown label (unicode-1-1-utf-7...): its text is ASCII in practice
    }
  }
  return bytes.toString('utf8');
}
