import { isUtf8 } from 'node:buffer';

/**
 * The bytes of an uploaded CSV file on their way to the parser, checked as they stream
 * by: at most `limit` bytes (counted, never buffered whole), UTF-8 text (a UTF-8 byte
 * order mark is fine; UTF-16, Latin-1 and NUL bytes are refused with the line where
 * they are), and line breaks made `\n` (CRLF and old Mac CR too), so that the parser
 * counts lines as an editor does.
 */
export class CsvFileError extends Error {
  constructor(readonly kind: 'too_large' | 'encoding', message: string) {
    super(message);
  }
}

const CR = 0x0d;
const LF = 0x0a;

export async function* checkedCsvBytes(source: AsyncIterable<Buffer | string>, limit: number): AsyncGenerator<Buffer> {
  let total = 0;
  let carry: Buffer = Buffer.alloc(0); // an incomplete UTF-8 sequence at a chunk's end
  let line = 1;
  let first = true;
  let lastWasCr = false;
  for await (const part of source) {
    const chunk = typeof part === 'string' ? Buffer.from(part) : part;
    total += chunk.length;
    if (total > limit) throw new CsvFileError('too_large', `the file is larger than ${formatMb(limit)}, the most one import takes: split it into smaller files`);
    let buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    if (first && buf.length < 4 && total < 4) { carry = buf; continue; } // too little yet to look for a byte order mark
    if (first) {
      first = false;
      refuseUtf16Or32(buf);
    }
    const cut = completeLength(buf);
    carry = buf.subarray(cut);
    buf = buf.subarray(0, cut);
    check(buf, line);
    line += count(buf, LF);
    const out = normalizeBreaks(buf, lastWasCr);
    lastWasCr = buf.length > 0 && buf[buf.length - 1] === CR;
    if (out.length > 0) yield out;
  }
  if (carry.length > 0) {
    if (first) refuseUtf16Or32(carry);
    check(carry, line, true);
    const out = normalizeBreaks(carry, lastWasCr);
    if (out.length > 0) yield out;
  }
}

const formatMb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

function refuseUtf16Or32(buf: Buffer): void {
  const b = (i: number) => buf[i];
  if ((b(0) === 0xff && b(1) === 0xfe) || (b(0) === 0xfe && b(1) === 0xff)) {
    throw new CsvFileError('encoding', 'the file is UTF-16 text (it starts with a UTF-16 byte order mark), not UTF-8: save it as "CSV UTF-8" and import it again');
  }
  if (b(0) === 0 && b(1) === 0 && b(2) === 0xfe && b(3) === 0xff) {
    throw new CsvFileError('encoding', 'the file is UTF-32 text, not UTF-8: save it as "CSV UTF-8" and import it again');
  }
}

/** The length of `buf` without an incomplete multi-byte sequence at its end (finished by the next chunk). */
function completeLength(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const byte = buf[buf.length - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? buf.length - back : buf.length;
  }
  return buf.length;
}

function check(buf: Buffer, line: number, atEnd = false): void {
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    throw new CsvFileError('encoding',
      `the file holds NUL bytes (first at line ${line + count(buf.subarray(0, nul), LF)}): it looks like UTF-16 text without a byte order mark, or not text at all; save it as "CSV UTF-8" and import it again`);
  }
  if (isUtf8(buf)) return;
  const at = firstInvalid(buf);
  const where = `line ${line + count(buf.subarray(0, at), LF)}`;
  const byte = `0x${buf[at].toString(16).toUpperCase().padStart(2, '0')}`;
  throw new CsvFileError('encoding', atEnd && at >= buf.length - 3
    ? `the file is not UTF-8: it ends in the middle of a character (${where})`
    : `the file is not UTF-8: byte ${byte} at ${where} is not UTF-8 text (Latin-1 or Windows-1252 perhaps); save it as "CSV UTF-8" and import it again`);
}

/** The offset of the first byte that is not part of a valid UTF-8 sequence. */
function firstInvalid(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    const need = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (need === 0 || i + need > buf.length) return i;
    if (!isUtf8(buf.subarray(i, i + need))) return i;
    i += need;
  }
  return Math.max(0, buf.length - 1);
}

function count(buf: Buffer, byte: number): number {
  let n = 0;
  for (let i = buf.indexOf(byte); i >= 0; i = buf.indexOf(byte, i + 1)) n++;
  return n;
}

/** CRLF and lone CR as LF; a chunk that starts with the LF of a CRLF split across chunks drops it. */
function normalizeBreaks(buf: Buffer, lastWasCr: boolean): Buffer {
  const start = lastWasCr && buf[0] === LF ? 1 : 0;
  if (buf.indexOf(CR) < 0) return start ? buf.subarray(1) : buf;
  const out = Buffer.allocUnsafe(buf.length);
  let n = 0;
  for (let i = start; i < buf.length; i++) {
    const b = buf[i];
    if (b === CR) {
      out[n++] = LF;
      if (buf[i + 1] === LF) i++;
    } else {
      out[n++] = b;
    }
  }
  return out.subarray(0, n);
}
