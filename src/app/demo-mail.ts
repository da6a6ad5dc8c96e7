import type { EmailRow } from '../store/schema.ts';

/** The inbound messages of the demo's history, as a lead's mail server would send them. */

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
const domainOf = (address: string) => address.split('@')[1] ?? 'example.com';
const stripRe = (subject: string) => subject.replace(/^(\s*re\s*:\s*)+/i, '');

/** A person's answer, threaded to what we sent. */
export function demoReply(sent: EmailRow, at: Date, id: string, text: string): Buffer {
  return Buffer.from(crlf(`From: <${sent.to_email}>
To: ${sent.from_email}
Subject: Re: ${stripRe(sent.subject)}
Date: ${at.toUTCString()}
Message-ID: <reply-${id}@${domainOf(sent.to_email)}>
In-Reply-To: ${sent.message_id}
References: ${sent.message_id}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

${text}
`));
}

/** An out-of-office answer naming the day its writer is back (`YYYY-MM-DD`). */
export function demoOutOfOffice(sent: EmailRow, at: Date, id: string, backOn: string): Buffer {
  return Buffer.from(crlf(`From: <${sent.to_email}>
To: ${sent.from_email}
Subject: Out of office: ${stripRe(sent.subject)}
Date: ${at.toUTCString()}
Message-ID: <ooo-${id}@${domainOf(sent.to_email)}>
In-Reply-To: ${sent.message_id}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Thank you for your message. I am out of the office and back on ${backOn}, with limited access to email.
`));
}

/** A receiving server's permanent failure report (RFC 3464) for what we sent. */
export function demoBounce(sent: EmailRow, at: Date, id: string): Buffer {
  const host = `mx.${domainOf(sent.to_email)}`;
  return Buffer.from(crlf(`From: Mail Delivery System <MAILER-DAEMON@${domainOf(sent.from_email)}>
To: ${sent.from_email}
Subject: Undelivered Mail Returned to Sender
Date: ${at.toUTCString()}
Message-ID: <dsn-${id}@${domainOf(sent.from_email)}>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="DEMO-DSN"

--DEMO-DSN
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered to one or more recipients.

<${sent.to_email}>: host ${host} said: 550 5.1.1 User unknown

--DEMO-DSN
Content-Type: message/delivery-status

Reporting-MTA: dns; ${domainOf(sent.from_email)}

Final-Recipient: rfc822; ${sent.to_email}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--DEMO-DSN
Content-Type: message/rfc822

Message-ID: ${sent.message_id}
Subject: ${sent.subject}

--DEMO-DSN--
`));
}
