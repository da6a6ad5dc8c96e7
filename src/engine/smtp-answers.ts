/**
 * What a permanent SMTP rejection (5xx) says about the recipient.
 *
 * The rule: a rejection is a BOUNCE of the recipient's address (the lead is marked
 * bounced, the address suppressed, the enrolment exits `bounced`) only when the server
 * said the address itself is bad:
 *
 * - with an enhanced status code (RFC 3463), by that code, at RCPT or after DATA:
 *   5.1.x (bad mailbox, bad destination, mailbox moved) except 5.1.7 and 5.1.8, which
 *   are about OUR sender address, and 5.2.1 (mailbox disabled);
 * - without one, by the basic code at RCPT only: 550, 551 and 553 (no such mailbox,
 *   user not local, mailbox name not allowed).
 *
 * Everything else is about us, not the recipient: 5.7.x (policy, spam block of our IP,
 * authentication required), 5.2.2 (mailbox full: the address is fine), 5.3.x (message
 * too large), 530/535 auth failures, a refused MAIL FROM, a 5xx to the connection or
 * to DATA without a code naming the mailbox. Such a send fails and the mailbox's health
 * shows the answer; the lead is left alone, since suppressing good addresses because
 * our own server or reputation had a problem would be worse than one failed email.
 */
export type RejectionTarget = 'recipient' | 'sender';

/** Where in the conversation the server refused, as nodemailer's error message names it. */
type Stage = 'rcpt' | 'data' | 'other';

export interface SmtpRejection {
  target: RejectionTarget;
  /** The server's reply as it came, e.g. "550 5.1.1 <ada@example.com>: user unknown". */
  reply: string;
}

/** Reads a failed send's message (nodemailer's "Can't send mail - all recipients were rejected: 550 …"). */
export function readRejection(message: string): SmtpRejection {
  const stage = stageOf(message);
  const reply = replyOf(message);
  return { target: stage === 'other' || reply === null ? 'sender' : targetOf(stage, reply), reply: reply ?? message };
}

function stageOf(message: string): Stage {
  if (/^(?:Can't send mail - all recipients were rejected|Recipient command failed)\b/.test(message)) return 'rcpt';
  if (/^(?:Message failed|Data command failed)\b/.test(message)) return 'data';
  return 'other';
}

/** The SMTP reply at the end of the message: from its three-digit code on. */
function replyOf(message: string): string | null {
  const at = message.search(/: [245]\d\d(?:[ -]|$)/);
  return at < 0 ? null : message.slice(at + 2).trim();
}

function targetOf(stage: Exclude<Stage, 'other'>, reply: string): RejectionTarget {
  const basic = Number(reply.slice(0, 3));
  if (basic < 500 || basic > 599) return 'sender';
  // The enhanced code follows the basic one ("550 5.1.1 …", or "550-5.1.1 …" on a multi-line reply).
  const enhanced = /^\d{3}[ -]([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(reply);
  if (enhanced) {
    const [, cls, subject, detail] = enhanced;
    if (cls !== '5') return 'sender';
    if (subject === '1') return detail === '7' || detail === '8' ? 'sender' : 'recipient';
    return subject === '2' && detail === '1' ? 'recipient' : 'sender';
  }
  return stage === 'rcpt' && [550, 551, 553].includes(basic) ? 'recipient' : 'sender';
}
