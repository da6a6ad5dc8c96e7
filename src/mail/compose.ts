// Turns one queued email into RFC 5322 bytes. The sender composes each message once
// (composeRaw), and the same bytes go to the SMTP server or the dev outbox, so a
// message looks the same whichever way it leaves.
import type { SendMailOptions } from 'nodemailer';
import * as base64 from 'nodemailer/lib/base64';
import MailComposer from 'nodemailer/lib/mail-composer';
import type MimeNode from 'nodemailer/lib/mime-node';
import * as qp from 'nodemailer/lib/qp';

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

/**
 * The complete message as it would go over SMTP, for the SMTP server, the dev outbox
 * and tests. nodemailer's MailComposer decides the structure, headers and encodings;
 * its build() then streams each part through encoders, which cost more than twice the
 * rest for a message of a few kilobytes, so the tree is written out here in one go
 * with nodemailer's own encoders. The bytes are the same as build()'s: compose.test.ts
 * checks that over many generated messages.
 */
export function composeRaw(msg: OutgoingMessage, extra: Partial<SendMailOptions> = {}): Buffer {
  const out = writeNode(new MailComposer({ ...buildMailOptions(msg), ...extra }).compile());
  // As build() does (its LastNewline stage): the message ends with a line break.
  return Buffer.from(out.endsWith('\n') ? out : out.endsWith('\r') ? `${out}\n` : `${out}\r\n`);
}

/** One MIME node as MimeNode.stream writes it: headers, the encoded content, then the parts. */
function writeNode(node: MimeNode): string {
  // Headers first: building them settles the node's boundary and multipart type.
  let out = `${node.buildHeaders()}\r\n\r\n`;
  const { content } = node;
  if (content) {
    if (typeof content !== 'string') throw new Error('composeRaw writes string content only');
    const encoding = node.getTransferEncoding();
    out += encoding === 'quoted-printable' ? qp.wrap(qp.encode(content), 76)
      : encoding === 'base64' ? base64.wrap(base64.encode(content), 76)
      : content;
  }
  if (node.multipart) {
    node.childNodes.forEach((child, i) => {
      out += `${i > 0 ? '\r\n' : ''}--${node.boundary}\r\n${writeNode(child)}`;
    });
    out += `\r\n--${node.boundary}--\r\n`;
  }
  return out;
}
