// Classifies mail arriving in a rep's mailbox: a human reply (exit signal), an
// auto-reply (pause until the return date), a bounce or a complaint (suppress),
// or anything else. Matching to our emails happens elsewhere, through
// `relatedMessageIds` and `cadenzaEmailId`.
import { simpleParser, type AddressObject, type EmailAddress, type ParsedMail } from 'mailparser';
import { htmlToText } from '../domain/html-text.ts';
import type { InboundKind } from '../contract/enums.ts';
import { findReturnDate, isAutoReply } from './auto-reply.ts';
import { isDaemon, readReport } from './bounce.ts';
import { messageIds, unique } from './message-ids.ts';
import { header, parseEntity } from './mime-reader.ts';

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
  /** A bounce's RFC 3463 status, e.g. "5.1.1" (null when the report gives none). */
  bounceStatus: string | null;
  /** A bounce's reason in the server's words, shortened; for the lead's timeline. */
  bounceReason: string | null;
  /** A complaint's ARF Feedback-Type, e.g. "abuse". */
  feedbackType: string | null;
  /**
   * A machine's notice about our mail (a report of any kind: read receipt, delivery
   * receipt, bounce, complaint; or a mail daemon's other chatter). Never a reply, even
   * when it comes from the lead's own address on our thread (an MDN does).
   */
  automated: boolean;
}

export class InboundParseError extends Error {
  override name = 'InboundParseError';
}

/** How many References ids (and bounced recipients) are kept and looked up. */
export const MAX_REFERENCES = 100;

// RFC 5322 §2.2: a message starts with a header field, `name:` in printable ASCII.
const FIRST_HEADER = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
const MBOX_FROM = /^From (?![ \t]*:)[^\n]{0,900}\n/;

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
  const whole = (typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw).subarray(0, READ.message);
  // A message saved from an mbox starts with its "From sender date" separator line, no header.
  const bytes = whole.subarray(MBOX_FROM.exec(whole.subarray(0, 1000).toString('latin1'))?.[0].length ?? 0);
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
  const to = [mail.to ?? []].flat().flatMap(addresses);
  const fromName = mail.from?.value[0]?.name ?? '';
  const report = readReport({ top, from, fromName, to, subject });

  let kind: InboundKind;
  if (report) kind = report.kind;
  else if (cadenzaEmailId || isDaemon(from)) kind = 'other'; // our own mail, or daemon chatter, is never a reply
  else if (isAutoReply(top, subject, body)) kind = 'auto_reply';
  else if (inReplyTo || references.length > 0 || REPLY_PREFIX.test(subject)) kind = 'reply';
  else kind = 'other';

  return {
    kind,
    from,
    to,
    subject,
    messageId,
    inReplyTo,
    references,
    relatedMessageIds: unique([...(inReplyTo ? [inReplyTo] : []), ...references, ...(report?.originalIds ?? []).slice(0, 10)]),
    // The failed recipients a bounce names (a complaint's complainant): each is a lookup, a report names a few.
    bouncedRecipients: report && report.kind !== 'other' ? report.recipients.slice(0, MAX_REFERENCES) : [],
    permanent: report?.permanent ?? false,
    returnDate: kind === 'auto_reply' ? findReturnDate(`${subject}\n${body}`, now, header(top, 'content-language')) : null,
    cadenzaEmailId,
    bounceStatus: report?.kind === 'bounce' ? report.status : null,
    bounceReason: report?.kind === 'bounce' ? report.reason : null,
    feedbackType: report?.kind === 'complaint' ? report.feedbackType : null,
    automated: report !== null || isDaemon(from),
  };
}

// ---- addresses and message IDs ------------------------------------------------

function addresses(obj: AddressObject | undefined): string[] {
  const flat = (list: EmailAddress[]): string[] =>
    list.flatMap((a) => (a.group ? flat(a.group) : a.address ? [a.address.toLowerCase()] : []));
  return obj ? flat(obj.value) : [];
}

// ---- replies ----------------------------------------------------------------------

const REPLY_PREFIX = /^\s*(re|aw|antw|sv|vs|odp|rif|r|res|ynt|回复|答复|回覆)\s*(\[\d+\]|\(\d+\))?\s*[:：]/i;
