// Bounces and complaints: RFC 3464/6533 delivery status reports first, then the
// non-standard reports of the servers that send none (their text, read by
// bounce-text.ts), Amazon SES notifications, and RFC 5965 (ARF) feedback reports.
// The failed recipients always come from the report itself, never from the returned
// original, which names whom we wrote to, not who failed.
import { htmlToText } from '../domain/html-text.ts';
import {
  AUTO_REPLY_PREFIX, DAEMON_ADDRESS, DAEMON_NAME, HARD_TEXT, QUOTA_TEXT, REPLY_OR_FORWARD, REPORT_SUBJECT, REPORT_TEXT,
} from './bounce-formats.ts';
import {
  cutAtOriginal, failedRecipients, firstStatus, isDelayNotice, scanAddresses, severityOf, type Severity,
} from './bounce-text.ts';
import { messageIds, unique } from './message-ids.ts';
import { decodeBody, header, parseHeaders, walk, type Entity } from './mime-reader.ts';

export interface Report {
  kind: 'bounce' | 'complaint' | 'other';
  /** The hard-bounced recipients when any failed for good, else the soft-bounced ones; complainants for a complaint. */
  recipients: string[];
  permanent: boolean;
  /** Message-IDs of the returned original: what the report is about. */
  originalIds: string[];
  /** RFC 3463 status of the (first) failure, e.g. "5.1.1". */
  status: string | null;
  /** The server's words for the (first) failure, shortened. */
  reason: string | null;
  /** ARF Feedback-Type (RFC 5965 §7.3), e.g. "abuse". */
  feedbackType: string | null;
}

export interface Envelope {
  top: Entity;
  from: string | null;
  fromName: string;
  to: string[];
  subject: string;
}

/** Text read per message, and characters kept of a failure's reason. */
const READ = { text: 64 * 1024, reason: 300 };
const DSN_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']); // RFC 6533
const ORIGINAL_TYPES = new Set(['message/rfc822', 'message/global', 'text/rfc822-headers', 'message/global-headers']);

export function isDaemon(address: string | null): boolean {
  return !!address && DAEMON_ADDRESS.test(address);
}

/** What kind of report the message is, or null when it is none. */
export function readReport(env: Envelope): Report | null {
  const entities = [...walk(env.top)];
  const reportType = entities.find((e) => e.type === 'multipart/report')?.params['report-type']?.toLowerCase();
  const originalPart = entities.find((e) => ORIGINAL_TYPES.has(e.type));
  const originalHeaders = originalPart ? parseHeaders(decodeBody(originalPart)) : null;
  const text = reportText(entities);
  const { report: own, original: inlineOriginal } = cutAtOriginal(text);
  const originalIds = originalHeaders
    ? messageIds(originalHeaders.get('message-id')?.[0])
    : messageIds(/^message-id:[ \t]*(<[^<>\s]+>)/im.exec(inlineOriginal || text)?.[1]); // original quoted inline
  const none = { recipients: [], permanent: false, originalIds, status: null, reason: null, feedbackType: null };

  // An ARF report, also when its multipart/report forgot to say report-type.
  if (reportType === 'feedback-report' || entities.some((e) => e.type === 'message/feedback-report')) {
    return complaint(entities, originalIds);
  }
  if (reportType === 'disposition-notification') return { ...none, kind: 'other' }; // a read receipt (RFC 8098)
  const ses = amazonNotification(env, text);
  if (ses) return ses;

  // Our side of the returned original (its sender) is never a failed recipient.
  const senders = originalHeaders
    ? ['from', 'sender', 'reply-to', 'return-path'].flatMap((h) => originalHeaders.get(h) ?? [])
    : [...inlineOriginal.slice(0, 16 * 1024).matchAll(/^(?:from|sender|reply-to|return-path):(.*)$/gim)].map((m) => m[1]);
  const exclude = new Set([...env.to, ...(env.from ? [env.from] : []), ...senders.flatMap(addressesIn)]);
  const segments = failedRecipients(own, exclude);

  const dsn = entities.find((e) => DSN_TYPES.has(e.type));
  const blocks = dsn ? readDsn(decodeBody(dsn).slice(0, READ.text)) : [];
  if (blocks.length > 0) {
    const failed = blocks.filter((b) => b.severity !== null);
    if (failed.length === 0) return { ...none, kind: 'other' }; // delivered, relayed: a success DSN
    for (const f of failed) {
      // "5.0.0" and no diagnostic says only "failed": the report's words for that recipient may say more.
      const said = f.recipients.map((r) => segments.get(r) ?? '').join('\n');
      if (f.severity === 'hard' && !f.reason && f.status?.endsWith('.0.0') && severityOf(said) === 'soft') f.severity = 'soft';
    }
    // A DSN naming no address (a pipe, a file) leaves the recipients to the report's words.
    if (failed.some((f) => f.recipients.length > 0)) return bounce(failed, originalIds);
  }

  return reportInWords(env, own, segments, reportType === 'delivery-status', originalIds);
}

/** No readable DSN: a report in words, from a daemon, with its report's subject or text. */
function reportInWords(
  env: Envelope, own: string, segments: Map<string, string>, saysReport: boolean, originalIds: string[],
): Report | null {
  const listed = header(env.top, 'x-failed-recipients'); // Exim, Gmail
  const replyish = REPLY_OR_FORWARD.test(env.subject);
  const autoReply = AUTO_REPLY_PREFIX.test(env.subject);
  const subjectSays = !replyish && !autoReply && REPORT_SUBJECT.test(env.subject);
  const textSays = REPORT_TEXT.test(own);
  // Auto-replies come from the null sender too (RFC 3834 §3.3): that alone does not make a report.
  const machine = isDaemon(env.from) || DAEMON_NAME.test(env.fromName) || (nullSender(env.top) && !autoReply) || !!listed;
  const recognised = saysReport
    || (!!listed && !replyish)
    // a daemon's report never answers or forwards: "Re:" from postmaster@ is a person
    || (machine && !replyish && (subjectSays || textSays))
    // from an address of its own (a filtering service): needs all the signs
    || (subjectSays && textSays && segments.size > 0 && severityOf(own) !== null);
  if (!recognised) return null;

  const recipients = listed ? unique(addressesIn(listed)) : [...segments.keys()];
  const delay = isDelayNotice(env.subject, own);
  const overall: Severity = severityOf(`${env.subject}\n${own}`) ?? 'hard';
  const failures = recipients.map((address) => {
    const segment = segments.get(address);
    const said = segment ?? own;
    const reason = segment ? segment.slice(address.length).replace(/^[\s>:,)]+/, '') : own;
    return { recipients: [address], severity: delay ? 'soft' as const : severityOf(said) ?? overall, status: firstStatus(said), reason };
  });
  if (failures.length === 0) {
    // A report that names no one we can read: still a bounce, for the quoted email's lead.
    return {
      kind: 'bounce', recipients: [], permanent: !delay && overall === 'hard', originalIds,
      status: firstStatus(own), reason: brief(own), feedbackType: null,
    };
  }
  return bounce(failures, originalIds);
}

interface Failure {
  recipients: string[];
  severity: Severity | null; // null: delivered
  status: string | null;
  reason: string;
}

function bounce(failures: Failure[], originalIds: string[]): Report {
  const hard = failures.filter((f) => f.severity === 'hard');
  const chosen = hard.length > 0 ? hard : failures.filter((f) => f.severity === 'soft');
  return {
    kind: 'bounce',
    recipients: unique(chosen.flatMap((f) => f.recipients)),
    permanent: hard.length > 0,
    originalIds,
    status: chosen[0]?.status ?? null,
    reason: brief(chosen[0]?.reason ?? ''),
    feedbackType: null,
  };
}

// ---- RFC 3464 delivery status ------------------------------------------------------

// A per-message block, then one block per recipient, blank-line separated (§2.1).
function readDsn(body: string): Failure[] {
  return body
    .replace(/\r\n/g, '\n')
    .split(/\n[ \t]*\n/)
    .slice(0, 200)
    .map(parseHeaders)
    .filter((h) => h.has('final-recipient') || h.has('original-recipient'))
    .map((h) => {
      const diagnostic = h.get('diagnostic-code')?.[0] ?? '';
      const given = /^[245]\.\d{1,3}\.\d{1,3}/.exec(h.get('status')?.[0]?.trim() ?? '')?.[0];
      // "5.0.0" says only "failed": the diagnostic often has the precise code ("550 5.1.1 ...").
      const precise = firstStatus(diagnostic);
      const status = given && !(given.endsWith('.0.0') && precise?.[0] === given[0]) ? given : precise ?? given ?? null;
      const action = h.get('action')?.[0]?.trim().toLowerCase();
      const recipients = ['final-recipient', 'original-recipient'].flatMap((k) =>
        (h.get(k) ?? []).map(dsnAddress).filter((a): a is string => a !== null));
      return { recipients: unique(recipients), severity: dsnSeverity(status, action, diagnostic), status, reason: diagnostic };
    });
}

// The status class decides (RFC 3463: 5 permanent, 4 transient), but a full mailbox is
// soft whatever its class; Action decides only when the status says nothing.
function dsnSeverity(status: string | null, action: string | undefined, diagnostic: string): Severity | null {
  const cls = status?.[0];
  if (cls === '2' || (!cls && (action === 'delivered' || action === 'relayed' || action === 'expanded'))) return null;
  if (action === 'delayed') return 'soft';
  // "4.0.0"/"5.0.0" say only the class; words like "does not exist" or "mailbox full" say more.
  if (status?.endsWith('.0.0') && action !== 'delayed') {
    if (QUOTA_TEXT.test(diagnostic)) return 'soft';
    if (HARD_TEXT.test(diagnostic)) return 'hard';
  }
  if (cls === '4') return 'soft';
  if (cls === '5') return status?.startsWith('5.2.2') || QUOTA_TEXT.test(diagnostic) ? 'soft' : 'hard';
  return severityOf(diagnostic) ?? 'hard';
}

// `rfc822; Ann@Example.com` → `ann@example.com` (§2.3.1 address-type; `utf-8;` in RFC 6533).
function dsnAddress(value: string): string | null {
  const addr = value.slice(value.indexOf(';') + 1).trim().replace(/^<|>$/g, '');
  return addr.includes('@') && !/\s/.test(addr) ? addr.toLowerCase() : null;
}

// ---- RFC 5965 feedback reports -----------------------------------------------------

function complaint(entities: Entity[], originalIds: string[]): Report {
  // Only abuse-like reports are a recipient's complaint; not-spam and auth-failure
  // (RFC 6591: someone forged our domain) are not.
  const part = entities.find((e) => e.type === 'message/feedback-report');
  const fields = part ? parseHeaders(decodeBody(part)) : new Map<string, string[]>();
  const feedbackType = fields.get('feedback-type')?.[0]?.trim().toLowerCase() ?? 'abuse';
  const kind = feedbackType === 'not-spam' || feedbackType === 'auth-failure' ? 'other' : 'complaint';
  // Original-Rcpt-To names the complainant, unless the provider redacted it.
  const recipients = (fields.get('original-rcpt-to') ?? []).flatMap(addressesIn).filter((a) => !/redacted/i.test(a));
  return { kind, recipients: unique(recipients), permanent: false, originalIds, status: null, reason: null, feedbackType };
}

// ---- Amazon SES notifications (JSON by e-mail through SNS) -------------------------

interface SesNotification {
  notificationType?: string;
  bounce?: { bounceType?: string; bouncedRecipients?: { emailAddress?: string; status?: string; diagnosticCode?: string }[] };
  complaint?: { complainedRecipients?: { emailAddress?: string }[]; complaintFeedbackType?: string };
  mail?: { commonHeaders?: { messageId?: string } };
}

function amazonNotification(env: Envelope, text: string): Report | null {
  if (!/@(sns\.amazonaws\.com|amazonses\.com)$/.test(env.from ?? '') || !text.includes('notificationType')) return null;
  let n: SesNotification & { Type?: string; Message?: unknown };
  try {
    n = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as typeof n;
    // The SNS "email-json" protocol wraps the notification in an envelope, as a string.
    if (n.Type === 'Notification' && typeof n.Message === 'string') n = JSON.parse(n.Message) as typeof n;
  } catch {
    return null;
  }
  const originalIds = messageIds(n.mail?.commonHeaders?.messageId);
  const addresses = (list: { emailAddress?: string }[] | undefined) =>
    unique((list ?? []).flatMap((r) => addressesIn(r.emailAddress ?? ''))).slice(0, 100);
  if (n.notificationType === 'Bounce' && n.bounce) {
    const first = n.bounce.bouncedRecipients?.[0];
    return {
      kind: 'bounce', recipients: addresses(n.bounce.bouncedRecipients), permanent: n.bounce.bounceType === 'Permanent',
      originalIds, status: first?.status ?? null, reason: brief(first?.diagnosticCode ?? ''), feedbackType: null,
    };
  }
  if (n.notificationType === 'Complaint' && n.complaint) {
    const feedbackType = n.complaint.complaintFeedbackType?.toLowerCase() ?? 'abuse';
    return {
      kind: feedbackType === 'not-spam' ? 'other' : 'complaint', recipients: addresses(n.complaint.complainedRecipients),
      permanent: false, originalIds, status: null, reason: null, feedbackType,
    };
  }
  return null;
}

// ---- helpers -----------------------------------------------------------------------

/** The human text of the message before the returned original: its text parts, else its HTML as text. */
function reportText(entities: Entity[]): string {
  const end = entities.findIndex((e) => ORIGINAL_TYPES.has(e.type) || DSN_TYPES.has(e.type));
  const before = end < 0 ? entities : entities.slice(0, end);
  const plain = before.filter((e) => e.type === 'text/plain');
  const parts = plain.length > 0 ? plain : before.filter((e) => e.type === 'text/html');
  let text = '';
  for (const part of parts) {
    if (text.length >= READ.text) break;
    const body = decodeBody(part);
    text += `${part.type === 'text/html' ? htmlToText(body.slice(0, READ.text)) : body}\n`;
  }
  return text.replace(/\r\n/g, '\n').slice(0, READ.text);
}

// Return-Path: <> is the null reverse-path bounces are sent with (RFC 5321 §4.5.5).
function nullSender(top: Entity): boolean {
  const path = header(top, 'return-path')?.trim();
  return path === '<>' || /^<?(mailer-daemon|null>)/i.test(path ?? '');
}

function addressesIn(value: string): string[] {
  return scanAddresses(value.slice(0, 16 * 1024), 100).map((a) => a.address);
}

function brief(text: string): string | null {
  const s = text.replace(/\s+/g, ' ').trim();
  return s ? s.slice(0, READ.reason) : null;
}
