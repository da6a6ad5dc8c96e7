// Classifies mail arriving in a rep's mailbox: a human reply (exit signal), an
// auto-reply (pause until the return date), a bounce or a complaint (suppress),
// or anything else. Matching to our emails happens elsewhere, through
// `relatedMessageIds` and `cadenzaEmailId`.
import { simpleParser, type AddressObject, type EmailAddress, type ParsedMail } from 'mailparser';
import { htmlToText } from '../domain/html-text.ts';
import type { InboundKind } from '../contract/enums.ts';
import { findReturnDate, isAutoReply } from './auto-reply.ts';
import { childrenOf, decodeBody, header, parseEntity, parseHeaders, walk, type Entity } from './mime-reader.ts';

export type { InboundKind } from '../contract/enums.ts';

export interface InboundAnalysis {
  kind: InboundKind;
  from: string | null;
  to: string[];
  subject: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  relatedMessageIds: string[];
  bouncedRecipients: string[];
  permanent: boolean;
  returnDate: Date | null;
  cadenzaEmailId: string | null;
}

export class InboundParseError extends Error {
  override name = 'InboundParseError';
}

/** How many References ids (and bounced recipients) are kept and looked up. */
export const MAX_REFERENCES = 100;

// RFC 5322 §2.2: a message starts with a header field, `name:` in printable ASCII.
const FIRST_HEADER = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;

/**
 * How much of a message is read, so that none blocks the event loop for long: only its
 * first MB is parsed (a 10 MB message, the most the API takes, costs what 1 MB does:
 * mailparser decodes a quoted-printable part in one go, ~40 ms a MB); the first 32 KB
 * of HTML are converted to text, by our own linear htmlToText (mailparser's html-to-text
 * is quadratic on unclosed tags); the rules read the first 64 KB of text and of a DSN's
 * recipient blocks, and our MIME reader the first 100 parts. Whether a message is a reply, an
 * auto-reply or a report, and what it answers, is in its headers and first parts; what
 * lies beyond (attachments, quoted history) is never needed.
 */
const READ = { message: 1024 * 1024, html: 32 * 1024, text: 64 * 1024, dsn: 64 * 1024 };
const PARSER_OPTIONS = { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true };

export async function analyzeInbound(raw: Buffer | string, now: Date): Promise<InboundAnalysis> {
  const bytes = (typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw).subarray(0, READ.message);
  // latin1 maps bytes 1:1, so base64/8bit parts can be decoded from this string later.
  const text = bytes.toString('latin1').replace(/\r\n/g, '\n');
  if (!/\S/.test(text)) throw new InboundParseError('empty message');
  if (!FIRST_HEADER.test(text)) throw new InboundParseError('no header block');
  let mail: ParsedMail;
  try {
    mail = await simpleParser(bytes, PARSER_OPTIONS);
  } catch (cause) {
    throw new InboundParseError(`unparseable message: ${(cause as Error).message}`, { cause });
  }
  // mailparser decodes addresses, subject and bodies well, but mangles message-ID
  // lists with comments and flattens report parts into the text, so we also read
  // the MIME structure ourselves.
  const top = parseEntity(text);
  const from = addresses(mail.from)[0] ?? null;
  const messageId = messageIds(header(top, 'message-id'))[0] ?? null;
  const html = typeof mail.html === 'string' ? mail.html : '';
  // An HTML-only message: read the text of its start ourselves.
  const body = (mail.text || (html ? htmlToText(html.slice(0, READ.html)) : '')).slice(0, READ.text).trim();
  if (!from && !messageId && !body && !html) throw new InboundParseError('not a message');

  const subject = mail.subject ?? '';
  const inReplyTo = messageIds(header(top, 'in-reply-to'))[0] ?? null;
  // The last ids of References are the nearest ancestors (RFC 5322 §3.6.4): a thread
  // deeper than this is matched by them or by In-Reply-To, and a hostile header of
  // 70,000 ids costs one bounded lookup.
  const references = messageIds(header(top, 'references')).slice(-MAX_REFERENCES);
  const cadenzaEmailId = header(top, 'x-cadenza-email-id')?.trim() || null;
  const report = readReport(top, from, subject, body);

  let kind: InboundKind;
  if (report) kind = report.kind;
  else if (cadenzaEmailId || isDaemon(from)) kind = 'other'; // our own mail, or daemon chatter, is never a reply
  else if (isAutoReply(top, subject, body)) kind = 'auto_reply';
  else if (inReplyTo || references.length > 0 || REPLY_PREFIX.test(subject)) kind = 'reply';
  else kind = 'other';

  return {
    kind,
    from,
    to: [mail.to ?? []].flat().flatMap(addresses),
    subject,
    messageId,
    inReplyTo,
    references,
    relatedMessageIds: unique([...(inReplyTo ? [inReplyTo] : []), ...references, ...(report?.originalIds ?? []).slice(0, 10)]),
    bouncedRecipients: (report?.recipients ?? []).slice(0, MAX_REFERENCES), // a DSN names a few; each is a lookup
    permanent: report?.permanent ?? false,
    returnDate: kind === 'auto_reply' ? findReturnDate(`${subject}\n${body}`, now, header(top, 'content-language')) : null,
    cadenzaEmailId,
  };
}

// ---- addresses and message IDs ------------------------------------------------

function addresses(obj: AddressObject | undefined): string[] {
  const flat = (list: EmailAddress[]): string[] =>
    list.flatMap((a) => (a.group ? flat(a.group) : a.address ? [a.address.toLowerCase()] : []));
  return obj ? flat(obj.value) : [];
}

// RFC 5322 §3.6.4 msg-ids are `<id-left@id-right>`; some clients drop the brackets.
function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = value.match(/<[^<>\s]+>/g);
  if (bracketed) return unique(bracketed);
  return unique(value.split(/[\s,]+/).filter((t) => t.includes('@')).map((t) => `<${t}>`));
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function isDaemon(from: string | null): boolean {
  return !!from && /^(mailer-daemon|postmaster)@/.test(from);
}

// ---- bounces (RFC 3464) and complaints (RFC 5965) ---------------------------------

interface Report {
  kind: 'bounce' | 'complaint' | 'other';
  recipients: string[];
  permanent: boolean;
  originalIds: string[];
}

const DSN_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']); // RFC 6533
const ORIGINAL_TYPES = new Set(['message/rfc822', 'message/global', 'text/rfc822-headers', 'message/global-headers']);
const FAILURE_SUBJECT = new RegExp(
  [
    'undeliver', 'not (be )?delivered', 'delivery (status|fail|has failed|problem|incomplete|delay)',
    'returned mail', 'failure notice', 'mail delivery', 'non-?delivery', 'unzustellbar', 'nicht zustellbar', 'delayed',
  ].join('|'),
  'i',
);
const DELAY_WORDS = /delay|verzögert|warning/i;
const STATUS_5 = /\b5\.\d{1,3}\.\d{1,3}\b/; // RFC 3463 enhanced status codes
const STATUS_4 = /\b4\.\d{1,3}\.\d{1,3}\b/;

function readReport(top: Entity, from: string | null, subject: string, text: string): Report | null {
  const entities = [...walk(top)];
  const report = entities.find((e) => e.type === 'multipart/report');
  const reportType = report?.params['report-type']?.toLowerCase();
  const parts = report ? childrenOf(report) : entities;
  const original = parts.find((e) => ORIGINAL_TYPES.has(e.type));
  const originalIds = original
    ? messageIds(parseHeaders(decodeBody(original)).get('message-id')?.[0])
    : messageIds(/^message-id:[ \t]*(<[^<>\s]+>)/im.exec(text)?.[1]); // original quoted inline

  if (reportType === 'feedback-report') {
    // ARF Feedback-Type: only abuse-like reports are a recipient's complaint;
    // not-spam and auth-failure (RFC 6591) reports are not.
    const feedback = parts.find((e) => e.type === 'message/feedback-report');
    const type = feedback && parseHeaders(decodeBody(feedback)).get('feedback-type')?.[0]?.toLowerCase();
    const kind = type === 'not-spam' || type === 'auth-failure' ? 'other' : 'complaint';
    return { kind, recipients: [], permanent: false, originalIds };
  }
  const dsn = reportType === 'delivery-status' ? parts.find((e) => DSN_TYPES.has(e.type)) : undefined;
  const blocks = dsn ? readDsn(decodeBody(dsn).slice(0, READ.dsn)) : [];
  if (blocks.length > 0) {
    const failed = blocks.filter((b) => b.outcome === 'failed');
    if (failed.length === 0 && !blocks.some((b) => b.outcome === 'delayed')) {
      return { kind: 'other', recipients: [], permanent: false, originalIds }; // success DSN
    }
    const recipients = unique(failed.flatMap((b) => b.recipients));
    return { kind: 'bounce', recipients, permanent: failed.length > 0, originalIds };
  }
  // A DSN we could not read, or a non-standard bounce (qmail, old Exim) from the daemon.
  if (reportType === 'delivery-status' || (isDaemon(from) && FAILURE_SUBJECT.test(subject))) {
    const permanent = !DELAY_WORDS.test(subject) && (STATUS_5.test(text) || !STATUS_4.test(text));
    return { kind: 'bounce', recipients: permanent ? inlineRecipients(text) : [], permanent, originalIds };
  }
  return null;
}

interface DsnRecipient {
  recipients: string[];
  outcome: 'failed' | 'delayed' | 'ok';
}

// RFC 3464 §2.1: a per-message block, then one block per recipient, blank-line separated.
function readDsn(body: string): DsnRecipient[] {
  return body
    .replace(/\r\n/g, '\n')
    .split(/\n[ \t]*\n/)
    .map(parseHeaders)
    .filter((h) => h.has('final-recipient') || h.has('original-recipient'))
    .map((h) => {
      const status = /^([245])\.\d{1,3}\.\d{1,3}/.exec(h.get('status')?.[0] ?? '')?.[1];
      const action = h.get('action')?.[0]?.toLowerCase();
      // The status class decides (5 = permanent, 4 = transient, RFC 3463); Action
      // only when the status is missing.
      const outcome = status === '5' || (!status && action === 'failed') ? 'failed'
        : status === '4' || action === 'delayed' || action === 'failed' ? 'delayed' : 'ok';
      const recipients = ['final-recipient', 'original-recipient'].flatMap((k) =>
        (h.get(k) ?? []).map(dsnAddress).filter((a): a is string => a !== null));
      return { recipients: unique(recipients), outcome };
    });
}

// `rfc822; Ann@Example.com` → `ann@example.com` (RFC 3464 §2.3.1 address-type).
function dsnAddress(value: string): string | null {
  const addr = value.slice(value.indexOf(';') + 1).trim().replace(/^<|>$/g, '');
  return addr.includes('@') ? addr.toLowerCase() : null;
}

// Postfix/qmail `<addr>: reason` lines, or Exim's indented bare address lines.
function inlineRecipients(text: string): string[] {
  // The local part excludes '@', so a line of '@'s costs one pass, not one per '@'.
  const found = [...text.matchAll(/^(?:<([^<>\s@]+@[^<>\s]+)>:|[ \t]+([^<>\s:@]+@[^<>\s:]+)[ \t]*$)/gm)];
  return unique(found.map((m) => (m[1] ?? m[2]).toLowerCase()));
}

// ---- replies ----------------------------------------------------------------------

const REPLY_PREFIX = /^\s*(re|aw|antw|sv|vs|odp|rif|r|res|ynt|回复|答复|回覆)\s*(\[\d+\]|\(\d+\))?\s*[:：]/i;
