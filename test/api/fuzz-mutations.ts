import fc from 'fast-check';
import type { FuzzWorld } from './fuzz-arbitraries.ts';

/**
 * Mutations of accepted requests for the write-route fuzz test: values that break naive
 * code put anywhere in a body, keys nobody expects, corrupted text, bad ids in the path.
 */

/** A fragment of JSON text spliced in verbatim: nesting JSON.stringify would choke on, 1e999. */
export class RawJson {
  constructor(readonly text: string, readonly label: string) {}
}

export const pick = (xs: string[]) => fc.constantFrom(...xs);

const deepArray = (d: number) => new RawJson('['.repeat(d) + ']'.repeat(d), `[…${d} deep]`);
const deepObject = (d: number) => new RawJson('{"a":'.repeat(d) + '1' + '}'.repeat(d), `{"a":…${d} deep}`);

/** Values that break naive code: wrong types, limits of numbers, text PostgreSQL refuses, size, depth. */
const NASTY: unknown[] = [
  null, true, false, 0, -1, -0, 0.5, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 5e-324,
  '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '\ufeff\u202e', 'null', '1', 'true', '__proto__',
  'a\r\nBcc: x@evil.example', "' or 1=1 --", '{{lead.email}}', '{% if %}', '{{', '%00', 'x'.repeat(10_000), 'x'.repeat(1_000_000),
  [], {}, [null], { a: 1 }, new Array(100_000).fill(0), deepArray(64), deepArray(6_000), deepObject(6_000),
  new RawJson('1e999', '1e999'), new RawJson('-1e999', '-1e999'), new RawJson('123456789012345678901234567890', '30-digit integer'),
  '2026-02-30T00:00:00Z', '+275760-09-13T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31', 'P99999999Y', '-P1D', 'PT0S',
  'Mars/Phobos', 'Etc/GMT+14', 'not-a-uuid', '00000000-0000-0000-0000-000000000000', 'a@b', `${'a'.repeat(320)}@example.com`,
];

const allIds = (w: FuzzWorld) => [...w.userIds, ...w.leadIds, ...w.editableCadenceIds, ...w.pausableIds, ...w.taskIds];

export const nastyValue = (w: FuzzWorld): fc.Arbitrary<unknown> => fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: pick([...allIds(w), ...w.userEmails, ...w.leadEmails, ...w.messageIds]) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', '', 'k'.repeat(1000), 'a\u0000', '\ud800', 'id', 'createdAt', 'role', 'status'];

export type Path = Array<string | number>;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RawJson);
const REMOVE = Symbol('remove');

/** Every position in a JSON value, the root first. */
function positions(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => positions(x, [...at, i], out));
  else if (isObject(v)) for (const k of Object.keys(v)) positions(v[k], [...at, k], out);
  return out;
}

/** Own keys even for `__proto__`, which plain assignment would turn into a prototype. */
const define = (o: Record<string, unknown>, k: string, v: unknown) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

/** A copy of `v` with the value at `path` replaced by `f(old)` (or removed). */
function update(v: unknown, path: Path, f: (old: unknown) => unknown): unknown {
  if (path.length === 0) return f(v);
  const [head, ...rest] = path;
  if (Array.isArray(v)) {
    const copy = [...v];
    const x = update(v[head as number], rest, f);
    if (x === REMOVE) copy.splice(head as number, 1);
    else copy[head as number] = x;
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as object)) if (k !== head) define(copy, k, x);
  const x = update((v as Record<string, unknown>)[head], rest, f);
  if (x !== REMOVE) define(copy, String(head), x);
  return copy;
}

/** JSON text, with RawJson fragments spliced in. */
export function serialize(v: unknown): string {
  const raws: RawJson[] = [];
  const text = JSON.stringify(v, (_k, x) => (x instanceof RawJson ? `@@raw${raws.push(x) - 1}@@` : x)) ?? '';
  return text.replace(/"@@raw(\d+)@@"/g, (_m, i) => raws[Number(i)].text);
}

export const show = (v: unknown): string => {
  if (v instanceof RawJson) return v.label;
  if (Array.isArray(v) && v.length > 20) return `[${v.length} items]`;
  if (typeof v === 'string' && v.length > 40) return `"${v.slice(0, 12)}…" (${v.length} chars)`;
  return (JSON.stringify(v) ?? String(v)).slice(0, 60);
};
const showPath = (p: Path) => p.join('.') || '(body)';

export interface Body { payload?: string | Buffer; contentType?: string; label: string }
export const json = (v: unknown, label: string): Body => ({ payload: serialize(v), contentType: 'application/json', label });

/** Accepted text made bad by one character, or by its length. */
const SPOIL: Array<[string, (s: string) => string]> = [
  ['+ "\\ud800"', (s) => `${s}\ud800`],
  ['with a NUL', (s) => `${s.slice(0, 1)}\u0000${s.slice(1)}`],
  ['+ CRLF', (s) => `${s}\r\nX-Injected: 1`],
  ['× 100,000 chars', (s) => s.padEnd(100_000, s || 'x')],
];

/** A value of the accepted body changed, spoilt, removed, or joined by an unknown key. */
export function structural(valid: fc.Arbitrary<unknown>, w: FuzzWorld): fc.Arbitrary<Body> {
  return valid.chain((v) => {
    const all = positions(v);
    const inner = all.slice(1);
    const at = (p: Path) => p.reduce<any>((o, k) => o[k], v);
    const objects = all.filter((p) => isObject(at(p)));
    const strings = all.filter((p) => typeof at(p) === 'string');
    return fc.oneof(
      { weight: 2, arbitrary: strings.length
        ? fc.tuple(fc.constantFrom(...strings), fc.constantFrom(...SPOIL)).map(([p, [name, f]]) => json(update(v, p, (s) => f(s as string)), `${showPath(p)} ${name}`))
        : fc.constant(json(v, 'as accepted')) },
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...all), nastyValue(w)).map(([p, x]) => json(update(v, p, () => x), `${showPath(p)} = ${show(x)}`)) },
      { weight: 1, arbitrary: inner.length ? fc.constantFrom(...inner).map((p) => json(update(v, p, () => REMOVE), `without ${showPath(p)}`)) : fc.constant(json(v, 'as accepted')) },
      { weight: 1, arbitrary: objects.length
        ? fc.tuple(fc.constantFrom(...objects), fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 10 })), nastyValue(w))
          .map(([p, k, x]) => json(update(v, p, (o) => define({ ...(o as object) }, k, x)), `${showPath([...p, k])} (unknown key) = ${show(x)}`))
        : fc.constant(json(v, 'as accepted')) },
    );
  });
}

const JUNK = ['', ' ', 'null', '[]', '""', '{', '}', 'NaN', 'Infinity', '{"a":1e999}', '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}', '\u0000', '\ufeff{}', 'true'];
const mailJunk = (w: FuzzWorld): string[] => {
  const id = w.messageIds[0];
  const head = `From: a@customer.example\r\nTo: rep1@example.com\r\nMessage-ID: <x@y>\r\nIn-Reply-To: ${id}\r\n`;
  return [
    `${head}References: ${Array.from({ length: 70_000 }, (_, i) => `<r${i}@x>`).join(' ')}\r\n\r\nhi`,
    `${head}Subject: ${'s'.repeat(200_000)}\r\n\r\nhi`,
    `${head}${Array.from({ length: 2_000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\nhi`,
    `${head}Subject: a\u0000b\r\n\r\nbody\u0000`,
    `${head}Content-Type: multipart/mixed\r\n\r\n--\r\nno boundary`,
    `${head}Content-Type: ${'multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: '.repeat(300)}text/plain\r\n\r\nx`,
    `${head}Content-Transfer-Encoding: base64\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\n!!!%%%`,
    `${head}Content-Type: text/html\r\n\r\n${'<div>'.repeat(50_000)}`,
    'no headers at all', '\r\n\r\n', ':\r\n\r\n',
  ];
};

/** The accepted text (JSON or raw) cut, corrupted, or replaced by junk. */
export function textual(accepted: fc.Arbitrary<Body>, w: FuzzWorld, mail: boolean): fc.Arbitrary<Body> {
  return accepted.chain(({ payload, contentType = 'application/json' }) => {
    const text = payload === undefined ? '{}' : payload.toString();
    const bytes = Buffer.from(text);
    return fc.oneof(
      fc.nat({ max: Math.max(0, text.length - 1) }).map((i) => ({ payload: text.slice(0, i), contentType, label: `cut at ${i}` })),
      fc.tuple(fc.nat({ max: text.length }), fc.constantFrom('"', '{', '}', ',', ':', '\\', ']', '\u0000', '\ud800', '\r\n'))
        .map(([i, c]) => ({ payload: text.slice(0, i) + c + text.slice(i), contentType, label: `${show(c)} inserted at ${i}` })),
      fc.tuple(fc.nat({ max: bytes.length }), fc.constantFrom([0xff], [0xed, 0xa0, 0x80], [0xc0, 0x80], [0xe2, 0x82]))
        .map(([i, b]) => ({ payload: Buffer.concat([bytes.subarray(0, i), Buffer.from(b), bytes.subarray(i)]), contentType, label: `bad UTF-8 ${b} at ${i}` })),
      fc.constantFrom(...(mail ? mailJunk(w) : JUNK)).map((t) => ({ payload: t, contentType, label: `junk ${show(t)}` })),
      fc.uint8Array({ maxLength: 300 }).map((b) => ({ payload: Buffer.from(b), contentType, label: `${b.length} random bytes` })),
    );
  });
}

export const CONTENT_TYPES = [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml',
  'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/json, text/plain', 'message/rfc822', 'application/octet-stream', ''];

export const badParam = (w: FuzzWorld): fc.Arbitrary<string> => fc.oneof(
  fc.uuid(),
  fc.constantFrom('not-a-uuid', '12345', '%00', 'a%00', '%ZZ', '%ED%A0%80', '%FF', '%C0%80', '..%2F..%2Fetc', 'a%2Fb', '%20', 'null', '-1',
    '1e999', '2026-02-30', '00000000-0000-0000-0000-000000000000', 'x'.repeat(3_000)),
  pick(allIds(w)).map((id) => id.toUpperCase()),
  pick(allIds(w)).map((id) => `${id}%00`),
  pick(allIds(w)),
);

export const QUERIES = ['?x=%00', '?__proto__[polluted]=1', '?a=1&a=2', `?${'q'.repeat(10_000)}=1`, '?%ZZ'];
