// Turns one queued email into RFC 5322 bytes. The sender composes each message once
// (composeRaw), and the same bytes go to the SMTP server or the dev outbox, so a
// message looks the same whichever way it leaves.
import type { SendMailOptions } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';

export interface OutgoingMessage {
  messageId: string;
  from: { email: string; name?: string | null };
  to: string;
  subject: string;
  html: string;
  text: string;
  inReplyTo?: string | null;
  references?: string[];
  unsubscribeUrl: string;
  emailId: string;
}

export const EMAIL_ID_HEADER = 'X-Cadenza-Email-Id';

export function buildMailOptions(msg: OutgoingMessage): SendMailOptions {
  const references = msg.references ?? [];
  return {
    // We choose the Message-ID ourselves and store it before sending: replies and
    // bounces are matched to the email through it (In-Reply-To, References, DSN).
    messageId: msg.messageId,
    from: msg.from.name ? { name: msg.from.name, address: msg.from.email } : msg.from.email,
    to: msg.to,
    subject: msg.subject,
    // RFC 5322 §3.6.4 threading: a follow-up step continues the earlier thread.
    ...(msg.inReplyTo ? { inReplyTo: msg.inReplyTo } : {}),
    ...(references.length > 0 ? { references } : {}),
    // text before html: RFC 2046 §5.1.4 orders alternatives from plainest to richest.
    text: msg.text,
    html: msg.html,
    // Set as plain headers rather than nodemailer's `list` option, which only the
    // Mailer reads, so that MailComposer (composeRaw) emits them too.
    headers: {
      // RFC 2369 plus RFC 8058 one-click: Gmail and Yahoo require both from bulk
      // senders, and the POST lets a mail client unsubscribe without a browser.
      'List-Unsubscribe': `<${msg.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      // Lets inbound processing recognise mail we sent ourselves (never a reply).
      [EMAIL_ID_HEADER]: msg.emailId,
    },
  };
}

/** The complete message as it would go over SMTP, for the dev outbox and tests. */
export async function composeRaw(msg: OutgoingMessage): Promise<Buffer> {
  return new MailComposer(buildMailOptions(msg)).compile().build();
}
