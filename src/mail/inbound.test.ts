import { describe, it, expect } from 'vitest';
import { analyzeInbound, InboundParseError } from './inbound.ts';

const NOW = new Date('2026-11-24T09:00:00Z');
const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

describe('analyzeInbound: replies', () => {
  it('reads a threaded Gmail reply', async () => {
    const raw = crlf(`Delivered-To: rita@acme.example
Received: from mail-sor-f41.google.com (mail-sor-f41.google.com [209.85.220.41])
        by mx.acme.example with SMTPS id x12; Tue, 24 Nov 2026 08:59:58 +0000
MIME-Version: 1.0
References: <a1@cadenza.local>
 <a2@cadenza.local>
In-Reply-To: <a2@cadenza.local>
From: Ann Buyer <Ann.Buyer@Customer.example>
Date: Tue, 24 Nov 2026 09:59:47 +0100
Message-ID: <CAF=x7Yq+abc123@mail.gmail.com>
Subject: Re: Quick question
To: Rita Rep <rita@acme.example>, "Other" <other@acme.example>
Content-Type: multipart/alternative; boundary="000000000000f1b2c3"

--000000000000f1b2c3
Content-Type: text/plain; charset="UTF-8"

Sounds good, call me Thursday.

On Mon, 23 Nov 2026 at 10:00, Rita Rep <rita@acme.example> wrote:
> Hi Ann, quick question...

--000000000000f1b2c3
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Sounds good, call me Thursday.</div>

--000000000000f1b2c3--
`);
    const a = await analyzeInbound(raw, NOW);
    expect(a).toEqual({
      kind: 'reply',
      from: 'ann.buyer@customer.example',
      to: ['rita@acme.example', 'other@acme.example'],
      subject: 'Re: Quick question',
      messageId: '<CAF=x7Yq+abc123@mail.gmail.com>',
      inReplyTo: '<a2@cadenza.local>',
      references: ['<a1@cadenza.local>', '<a2@cadenza.local>'],
      relatedMessageIds: ['<a2@cadenza.local>', '<a1@cadenza.local>'],
      bouncedRecipients: [],
      permanent: false,
      returnDate: null,
      cadenzaEmailId: null,
      bounceStatus: null,
      bounceReason: null,
      feedbackType: null,
      automated: false,
    });
  });

  it('takes an AW: subject without threading headers for a reply', async () => {
    const a = await analyzeInbound(
      `From: hans@kunde.example\nTo: rita@acme.example\nSubject: AW: Kurze Frage\nMessage-ID: <h1@kunde.example>\n\nGerne, rufen Sie mich an.\n`,
      NOW,
    );
    expect(a.kind).toBe('reply');
    expect(a.relatedMessageIds).toEqual([]);
  });

  it('normalises message-ID lists with comments and missing brackets', async () => {
    const a = await analyzeInbound(
      `From: a@b.example\nMessage-ID: <m@b.example>\nIn-Reply-To: <p@q.example> (Rita's message)\nReferences: x1@q.example x2@q.example\nSubject: hello\n\nhi\n`,
      NOW,
    );
    expect(a.inReplyTo).toBe('<p@q.example>');
    expect(a.references).toEqual(['<x1@q.example>', '<x2@q.example>']);
    expect(a.kind).toBe('reply');
  });

  it('never takes mail we sent ourselves for a reply', async () => {
    const a = await analyzeInbound(
      `From: Rita Rep <rita@acme.example>\nTo: ann@customer.example\nSubject: Re: Quick question\nMessage-ID: <a3@cadenza.local>\nIn-Reply-To: <a2@cadenza.local>\nX-Cadenza-Email-ID: em_42\n\nFollowing up.\n`,
      NOW,
    );
    expect(a.kind).toBe('other');
    expect(a.cadenzaEmailId).toBe('em_42');
  });

  it('leaves an unrelated message as other', async () => {
    const a = await analyzeInbound(
      `From: news@vendor.example\nTo: rita@acme.example\nSubject: Our November newsletter\nMessage-ID: <n1@vendor.example>\nContent-Type: text/html\n\n<p>News</p>\n`,
      NOW,
    );
    expect(a.kind).toBe('other');
  });
});

describe('analyzeInbound: bounces', () => {
  it('reads a Postfix DSN with text/rfc822-headers', async () => {
    const raw = crlf(`Return-Path: <>
From: MAILER-DAEMON@mx.acme.example (Mail Delivery System)
To: rita@acme.example
Subject: Undelivered Mail Returned to Sender
Date: Tue, 24 Nov 2026 09:00:04 +0000 (UTC)
Message-ID: <20261124090004.7F1A2@mx.acme.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="7F1A2.1764000004/mx.acme.example"

This is a MIME-encapsulated message.

--7F1A2.1764000004/mx.acme.example
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.acme.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<nobody@customer.example>: host mx.customer.example[203.0.113.7] said: 550
    5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown

--7F1A2.1764000004/mx.acme.example
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.acme.example
X-Postfix-Queue-ID: 7F1A2
X-Postfix-Sender: rfc822; rita@acme.example
Arrival-Date: Tue, 24 Nov 2026 09:00:03 +0000 (UTC)

Final-Recipient: rfc822; nobody@customer.example
Original-Recipient: rfc822;Nobody@Customer.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.customer.example
Diagnostic-Code: smtp; 550 5.1.1 <nobody@customer.example>: Recipient address
    rejected: User unknown

--7F1A2.1764000004/mx.acme.example
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: Rita Rep <rita@acme.example>
To: nobody@customer.example
Subject: Quick question
Message-ID: <a1@cadenza.local>
X-Cadenza-Email-ID: em_41
List-Unsubscribe: <https://app.acme.example/u/tok>

--7F1A2.1764000004/mx.acme.example--
`);
    const a = await analyzeInbound(raw, NOW);
    expect(a.kind).toBe('bounce');
    expect(a.from).toBe('mailer-daemon@mx.acme.example');
    expect(a.permanent).toBe(true);
    expect(a.bouncedRecipients).toEqual(['nobody@customer.example']);
    expect(a.relatedMessageIds).toEqual(['<a1@cadenza.local>']);
    expect(a.cadenzaEmailId).toBeNull(); // the header belongs to the returned original
    expect(a.returnDate).toBeNull();
    expect(a.bounceStatus).toBe('5.1.1');
    expect(a.bounceReason).toBe('smtp; 550 5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown');
  });

  it('reads an Exchange NDR with a base64 message/rfc822 and several recipients', async () => {
    const original = crlf(
      `From: Rita Rep <rita@acme.example>\nTo: a@customer.example, b@customer.example\nSubject: Quick question\nMessage-ID: <a7@cadenza.local>\n\nHi!\n`,
    );
    const raw = crlf(`From: postmaster@customer.onmicrosoft.com
To: rita@acme.example
Date: Tue, 24 Nov 2026 09:01:00 +0000
Subject: Undeliverable: Quick question
Message-ID: <ndr-1@BN8PR.prod.outlook.com>
In-Reply-To: <a7@cadenza.local>
MIME-Version: 1.0
Content-Type: multipart/report; report-type="delivery-status"; boundary="_000_ndr"

--_000_ndr
Content-Type: multipart/alternative; boundary="_alt_"

--_alt_
Content-Type: text/plain; charset="us-ascii"

Your message to a@customer.example couldn't be delivered.

--_alt_
Content-Type: text/html; charset="us-ascii"

<p>Your message to a@customer.example couldn't be delivered.</p>

--_alt_--

--_000_ndr
Content-Type: message/delivery-status

Reporting-MTA: dns;BN8PR.prod.outlook.com
Received-From-MTA: dns;mx.acme.example
Arrival-Date: Tue, 24 Nov 2026 09:00:58 +0000

Final-Recipient: rfc822;A@customer.example
Action: failed
Status: 5.1.10
Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found

Final-Recipient: rfc822;b@customer.example
Action: delayed
Status: 4.4.7
Diagnostic-Code: smtp;450 4.4.7 Message delayed

--_000_ndr
Content-Type: message/rfc822
Content-Transfer-Encoding: base64

${Buffer.from(original).toString('base64').replace(/(.{76})/g, '$1\n')}
--_000_ndr--
`);
    const a = await analyzeInbound(Buffer.from(raw), NOW);
    expect(a.kind).toBe('bounce');
    expect(a.permanent).toBe(true);
    expect(a.bouncedRecipients).toEqual(['a@customer.example']);
    expect(a.relatedMessageIds).toEqual(['<a7@cadenza.local>']);
  });

  it('reads a delayed-delivery notice as a transient bounce', async () => {
    const raw = `From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: rita@acme.example
Subject: Delivery Status Notification (Delay)
Message-ID: <dsn-2@google.com>
Content-Type: multipart/report; boundary="b2"; report-type=delivery-status

--b2
Content-Type: text/plain

Delivery incomplete. We'll keep trying.

--b2
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com

Final-Recipient: rfc822; slow@customer.example
Action: delayed
Status: 4.4.1

--b2
Content-Type: message/rfc822

Message-ID: <a8@cadenza.local>
Subject: Quick question

Hi
--b2--
`;
    const a = await analyzeInbound(raw, NOW);
    expect(a.kind).toBe('bounce');
    expect(a.permanent).toBe(false);
    expect(a.bouncedRecipients).toEqual(['slow@customer.example']); // recorded and counted as a soft bounce
    expect(a.bounceStatus).toBe('4.4.1');
    expect(a.relatedMessageIds).toEqual(['<a8@cadenza.local>']);
  });

  it('does not take a successful-delivery DSN for a bounce', async () => {
    const raw = `From: MAILER-DAEMON@mx.acme.example
Subject: Successful Mail Delivery Report
Message-ID: <ok@mx.acme.example>
Content-Type: multipart/report; report-type=delivery-status; boundary=b

--b
Content-Type: text/plain

Your message was delivered.
--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.acme.example

Final-Recipient: rfc822; ann@customer.example
Action: delivered
Status: 2.0.0
--b--
`;
    expect((await analyzeInbound(raw, NOW)).kind).toBe('other');
  });

  it('reads a qmail bounce that has no report part', async () => {
    const raw = `Return-Path: <>
From: MAILER-DAEMON@mail.customer.example
To: rita@acme.example
Subject: failure notice
Message-ID: <q1@mail.customer.example>

Hi. This is the qmail-send program at mail.customer.example.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<Gone@Customer.example>:
203.0.113.9 does not like recipient.
Remote host said: 550 5.1.1 No such user

--- Below this line is a copy of the message.

Return-Path: <rita@acme.example>
From: Rita Rep <rita@acme.example>
Subject: Quick question
Message-ID: <a9@cadenza.local>

Hi!
`;
    const a = await analyzeInbound(raw, NOW);
    expect(a.kind).toBe('bounce');
    expect(a.permanent).toBe(true);
    expect(a.bouncedRecipients).toEqual(['gone@customer.example']);
    expect(a.relatedMessageIds).toEqual(['<a9@cadenza.local>']);
  });
});

describe('analyzeInbound: complaints', () => {
  it('reads an ARF abuse report', async () => {
    const raw = crlf(`From: <feedbackloop@fbl.mailprovider.example>
To: <fbl@acme.example>
Subject: FW: Quick question
Date: Tue, 24 Nov 2026 10:00:00 +0000
Message-ID: <fbl-77@fbl.mailprovider.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
     boundary="part1_13d.2e68ed54_boundary"

--part1_13d.2e68ed54_boundary
Content-Type: text/plain; charset="US-ASCII"
Content-Transfer-Encoding: 7bit

This is an email abuse report for an email message received from IP
192.0.2.1 on Tue, 24 Nov 2026 09:00:00 +0000.

--part1_13d.2e68ed54_boundary
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Mail-From: <rita@acme.example>
Original-Rcpt-To: <ann@customer.example>
Arrival-Date: Tue, 24 Nov 2026 09:00:00 +0000
Source-IP: 192.0.2.1

--part1_13d.2e68ed54_boundary
Content-Type: message/rfc822
Content-Disposition: inline

From: Rita Rep <rita@acme.example>
To: ann@customer.example
Subject: Quick question
Message-ID: <a10@cadenza.local>
X-Cadenza-Email-Id: em_50

Hi Ann!
--part1_13d.2e68ed54_boundary--
`);
    const a = await analyzeInbound(raw, NOW);
    expect(a.kind).toBe('complaint');
    expect(a.relatedMessageIds).toEqual(['<a10@cadenza.local>']);
    expect(a.bouncedRecipients).toEqual(['ann@customer.example']); // Original-Rcpt-To: the complainant
    expect(a.feedbackType).toBe('abuse');
    expect(a.cadenzaEmailId).toBeNull();
  });
});

describe('analyzeInbound: auto-replies', () => {
  it('reads an Outlook automatic reply and its return date', async () => {
    const raw = crlf(`Received: from EUR03-DB5-obe.outbound.protection.outlook.com (203.0.113.20)
From: Ann Buyer <ann@customer.example>
To: Rita Rep <rita@acme.example>
Subject: Automatic reply: Quick question
Thread-Topic: Quick question
Thread-Index: AQHbXyz1
Date: Tue, 24 Nov 2026 09:00:07 +0000
Message-ID: <AM0PR01MB1234ABCD@AM0PR01MB1234.eurprd01.prod.exchangelabs.com>
In-Reply-To: <a1@cadenza.local>
References: <a1@cadenza.local>
Auto-Submitted: auto-generated
X-MS-Exchange-Inbox-Rules-Loop: ann@customer.example
X-MS-Has-Attach:
Content-Language: en-US
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable
MIME-Version: 1.0

Thank you for your message. I am out of the office until Tuesday, December =
1, 2026 with limited access to email. For urgent matters please contact =
office@customer.example.
`);
    const a = await analyzeInbound(raw, NOW);
    expect(a.kind).toBe('auto_reply');
    expect(a.returnDate?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(a.relatedMessageIds).toEqual(['<a1@cadenza.local>']);
  });

  const ooo = (headers: string, body: string) =>
    `From: ann@customer.example\nTo: rita@acme.example\nMessage-ID: <o@customer.example>\n${headers}\n\n${body}\n`;

  it.each([
    ['Auto-Submitted: auto-replied\nSubject: Re: Quick question', 'Away.'],
    ['X-Autoreply: yes\nSubject: Quick question', 'Away.'],
    ['X-Autorespond: Quick question\nSubject: Quick question', 'Away.'],
    ['Precedence: bulk\nSubject: Quick question', 'Away.'],
    ['Subject: Out of Office: Quick question', 'Away.'],
    ['Subject: Abwesenheit: Kurze Frage', 'Ich bin nicht im Büro.'],
    ['Subject: Absence: Quick question', 'Away.'],
  ])('classifies %j as an auto-reply', async (headers, body) => {
    expect((await analyzeInbound(ooo(headers, body), NOW)).kind).toBe('auto_reply');
  });

  it('does not take Auto-Submitted: no for an auto-reply', async () => {
    const a = await analyzeInbound(ooo('Auto-Submitted: no\nSubject: Re: Quick question', 'Yes!'), NOW);
    expect(a.kind).toBe('reply');
  });

  it.each([
    ['I will be back on 2026-12-01.', '2026-12-01'],
    ['I will return on December 1.', '2026-12-01'],
    ['Out of office until 1 December 2026.', '2026-12-01'],
    ['Back in the office on Monday, Dec 7th.', '2026-12-07'],
    ['I am returning on 3 March.', '2027-03-03'], // no year: the next 3 March after now
    ['Back on 24 November.', '2026-11-24'], // today still counts
    ['Ich bin bis zum 05.01.2027 nicht im Büro.', '2027-01-05'],
    ['Ich bin ab dem 4. Januar zurück.', '2027-01-04'],
    ['I will be back 15/12.', '2026-12-15'],
    ['Je serai de retour le 2 décembre.', '2026-12-02'],
    ['I have limited access to email.', null],
    ['Back soon, on the 31 June.', null],
  ])('finds the return date in %j', async (body, expected) => {
    const a = await analyzeInbound(ooo('Subject: Out of office', body), NOW);
    expect(a.returnDate?.toISOString().slice(0, 10) ?? null).toBe(expected);
  });
});

describe('analyzeInbound: a message saved from an mbox', () => {
  it('reads past the "From " separator line', async () => {
    const a = await analyzeInbound(
      'From MAILER-DAEMON Thu Apr 29 23:34:45 2026\nFrom: Mail Delivery System <mailer-daemon@mx.example>\nTo: rita@acme.example\n' +
      'Subject: Mail delivery failed: returning message to sender\n\nThis message was created automatically by mail delivery software.\n\n' +
      'The following address failed:\n\ngone@customer.example\n\n--- The header of the original message is following. ---\n\nTo: x@customer.example\n',
      NOW,
    );
    expect(a).toMatchObject({ kind: 'bounce', permanent: true, bouncedRecipients: ['gone@customer.example'] });
  });
});

describe('analyzeInbound: not a message', () => {
  it.each([
    ['empty', ''],
    ['blank', ' \r\n \n'],
    ['prose', 'hello world, this is not an email'],
    ['binary', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0x0a, 0x42])],
    ['headers without sender, id or body', 'Subject: hi\n\n'],
  ])('rejects %s input', async (_name, raw) => {
    await expect(analyzeInbound(raw, NOW)).rejects.toBeInstanceOf(InboundParseError);
  });
});

// Each of these blocked the event loop for half a minute or more before: a regex that
// backtracked over a long token, once per position (now read in one pass).
describe('analyzeInbound: hostile mail costs work linear in its size', () => {
  it('reads a Content-Type whose parameters are one long token', async () => {
    const raw = `From: ann@customer.example\nMessage-ID: <h1@customer.example>\nSubject: hi\nContent-Type: text/plain; ${'a'.repeat(200_000)}\n\nhello\n`;
    const a = await analyzeInbound(raw, NOW);
    expect(a.kind).toBe('other');
    expect(a.from).toBe('ann@customer.example');
  });

  it('reads a daemon bounce whose text is a line of "@"s', async () => {
    for (const line of [`<${'@'.repeat(60_000)}`, `<a${'@'.repeat(60_000)}`, ` a${'@'.repeat(60_000)}:`]) {
      const raw = `From: MAILER-DAEMON@mx.example\nSubject: Undelivered Mail Returned to Sender\nMessage-ID: <b1@mx.example>\n\nThis is the mail system.\n\n${line}\n`;
      const a = await analyzeInbound(raw, NOW);
      expect(a.kind).toBe('bounce');
      expect(a.bouncedRecipients).toEqual([]);
    }
  });
});
