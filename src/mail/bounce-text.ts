// Reading the human text of a non-delivery report: where the report ends and the
// returned original starts, which addresses it names as failed, and whether each
// failure is permanent. Used for the many servers that send no RFC 3464 report part,
// and for report parts too broken to read. Linear in the text: addresses are found
// from each '@' outwards with bounded steps, and lines are matched by anchored
// alternations of fixed words.
import {
  DAEMON_ADDRESS, DELAY_SUBJECT, DELAY_TEXT, HEADER_LINE, HELP_MENTION, MARKER_DECORATION, ORIGINAL_HEADERS,
  ORIGINAL_STARTS, QUOTA_TEXT, SENDER_MENTION, SOFT_TEXT,
} from './bounce-formats.ts';

export type Severity = 'hard' | 'soft';

/** The report's own text: everything before the first line where the returned original starts. */
export function cutAtOriginal(text: string): { report: string; original: string } {
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    // Markers are short: a long line is never one (and is not matched in full).
    const line = text.slice(at, Math.min(end, at + 200));
    if (ORIGINAL_HEADERS.test(line) || ORIGINAL_STARTS.test(line.replace(MARKER_DECORATION, ''))) {
      return { report: text.slice(0, at), original: text.slice(at) };
    }
    at = end + 1;
  }
  return { report: text, original: '' };
}

/** Addresses looked at in one report: it names a few; a list of thousands is not a report. */
const MAX_HITS = 200;
const LOCAL = /[A-Za-z0-9._%+\-'=!#$&*/?^`{|}~]/;
const DOMAIN = /[A-Za-z0-9.-]/;

/** The first `limit` addresses in the text, in order, with where each starts: bounded work per '@'. */
export function scanAddresses(text: string, limit = Infinity): { address: string; index: number }[] {
  const found: { address: string; index: number }[] = [];
  for (let at = text.indexOf('@'); at >= 0 && found.length < limit; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < 64 && LOCAL.test(text[start - 1])) start--;
    let end = at + 1;
    while (end < text.length && end - at < 255 && DOMAIN.test(text[end])) end++;
    const local = text.slice(start, at).replace(/^[.'=]+/, '');
    const domain = text.slice(at + 1, end).replace(/[.-]+$/, '');
    if (!local || local.endsWith('.') || !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(domain)) continue;
    if (!/[A-Za-z]/.test(domain.slice(domain.lastIndexOf('.') + 1))) continue; // an IP, not a domain
    found.push({ address: `${local}@${domain}`.toLowerCase(), index: at - local.length });
  }
  return found;
}

/**
 * The failed recipients the report text names, each with the text that follows it up
 * to the next one (its diagnostic). Not counted: the sender (our rep), the daemons,
 * and addresses on lines that quote header fields or the SMTP MAIL FROM.
 */
export function failedRecipients(report: string, exclude: Set<string>): Map<string, string> {
  const lines = lineStarts(report);
  const hits = scanAddresses(report, MAX_HITS).filter(({ address, index }) => {
    if (exclude.has(address) || DAEMON_ADDRESS.test(address)) return false;
    const start = lineStart(lines, index);
    const before = report.slice(Math.max(start, index - 200), index); // the words on its line before it
    return !HEADER_LINE.test(report.slice(start, start + 200)) && !SENDER_MENTION.test(before) && !HELP_MENTION.test(before);
  });
  const segments = new Map<string, string>();
  hits.forEach((hit, i) => {
    const next = hits.slice(i + 1).find((h) => h.address !== hit.address);
    const text = report.slice(hit.index, next ? next.index : report.length).slice(0, 4096);
    segments.set(hit.address, (segments.get(hit.address) ?? '') + text + '\n');
  });
  return segments;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

// Where the line holding `index` starts (binary search over the line starts).
function lineStart(starts: number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return starts[lo];
}

// RFC 3463 enhanced codes (not inside an IP address or version number) and RFC 5321 reply codes.
const ENHANCED = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/g;
const REPLY_CODE = /(?<![\d./=-])(4[2-5]\d|5[0-5]\d)(?![\d.:/])/g;

/** The first failure's enhanced status code in the text, e.g. "5.1.1" (a 2.x.x is a success on the way). */
export function firstStatus(text: string): string | null {
  for (const m of text.matchAll(ENHANCED)) if (m[1] !== '2') return m[0];
  return null;
}

export function isDelayNotice(subject: string, report: string): boolean {
  return DELAY_SUBJECT.test(subject) || DELAY_TEXT.test(report);
}

/**
 * Whether one failure is permanent: a full mailbox is soft (the address exists), then the
 * enhanced status class (RFC 3463), then the SMTP reply class, then the wording; null
 * when the text says nothing either way.
 */
export function severityOf(text: string): Severity | null {
  if (QUOTA_TEXT.test(text)) return 'soft';
  const enhanced = [...text.matchAll(ENHANCED)].slice(0, 50);
  if (enhanced.some((m) => m[1] === '5' && !(m[2] === '2' && m[3] === '2'))) return 'hard';
  if (enhanced.some((m) => m[1] !== '2')) return 'soft'; // 4.x.x, or 5.2.2 (mailbox full)
  const replies = [...text.matchAll(REPLY_CODE)].slice(0, 50);
  if (replies.some((m) => m[1].startsWith('5'))) return 'hard';
  if (replies.length > 0) return 'soft';
  if (SOFT_TEXT.test(text)) return 'soft';
  return null;
}
