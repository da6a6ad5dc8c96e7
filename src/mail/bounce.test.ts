import { describe, expect, it } from 'vitest';
import { cutAtOriginal, failedRecipients, scanAddresses, severityOf } from './bounce-text.ts';
import { analyzeInbound } from './inbound.ts';

const NOW = new Date('2026-11-24T09:00:00Z');

const daemon = (subject: string, body: string, extra = '') =>
  `Return-Path: <>\nFrom: Mail Delivery System <MAILER-DAEMON@mx.relay.example>\nTo: rita@acme.example\n` +
  `Subject: ${subject}\nMessage-ID: <b@mx.relay.example>\n${extra}\n${body}\n`;

describe('bounces in words: who failed', () => {
  it('takes the failed recipient from the report, never from the returned original', async () => {
    const a = await analyzeInbound(daemon('Mail delivery failed: returning message to sender', `
This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  cto@customer.example
    550 5.1.1 User unknown

------ This is a copy of the message, including all the headers. ------

From: Rita Rep <rita@acme.example>
To: ceo@customer.example
Cc: cfo@customer.example
Message-ID: <q1@cadenza.local>
`), NOW);
    expect(a).toMatchObject({ kind: 'bounce', permanent: true, bouncedRecipients: ['cto@customer.example'] });
    expect(a.relatedMessageIds).toEqual(['<q1@cadenza.local>']);
    expect(a.bounceStatus).toBe('5.1.1');
    expect(a.bounceReason).toBe('550 5.1.1 User unknown');
  });

  it('tells each recipient hard or soft by its own diagnostic, and reports the hard ones', async () => {
    const a = await analyzeInbound(daemon('failure notice', `
Hi. This is the qmail-send program at mx.relay.example.

<gone@customer.example>:
Remote host said: 550 5.1.1 No such user

<full@customer.example>:
Remote host said: 552 5.2.2 Mailbox quota exceeded
`), NOW);
    expect(a).toMatchObject({ kind: 'bounce', permanent: true, bouncedRecipients: ['gone@customer.example'] });
  });

  it('takes a full mailbox and a report of only soft failures as a soft bounce of those recipients', async () => {
    const a = await analyzeInbound(daemon('failure notice', `
Hi. This is the qmail-send program at mx.relay.example.

<full@customer.example>:
Remote host said: 552 5.2.2 Mailbox quota exceeded
`), NOW);
    expect(a).toMatchObject({ kind: 'bounce', permanent: false, bouncedRecipients: ['full@customer.example'], bounceStatus: '5.2.2' });
  });

  it('takes a delay warning as soft whatever codes it quotes', async () => {
    const a = await analyzeInbound(daemon('Warning: message 1abc-0001 delayed 24 hours', `
This message was created automatically by mail delivery software.
A message that you sent has not yet been delivered to one or more of its
recipients after more than 24 hours on the queue.

  slow@customer.example
    Delay reason: 550 5.0.0 host said no, for now

No action is required on your part.
`), NOW);
    expect(a).toMatchObject({ kind: 'bounce', permanent: false, bouncedRecipients: ['slow@customer.example'] });
  });

  it('takes X-Failed-Recipients as the list when it is there', async () => {
    const a = await analyzeInbound(daemon('Delivery Status Notification (Failure)',
      'Your message could not be delivered to one or more recipients.\n\n550 5.1.1 unknown\n',
      'X-Failed-Recipients: a@customer.example, B@customer.example\n'), NOW);
    expect(a.bouncedRecipients).toEqual(['a@customer.example', 'b@customer.example']);
  });

  it('still counts a report that names no one as a bounce, for the quoted email', async () => {
    const a = await analyzeInbound(daemon('Undelivered Mail Returned to Sender',
      'This is the mail system at host mx.relay.example.\n\nYour message could not be delivered.\n\n--- Undelivered message follows ---\n\nMessage-ID: <q2@cadenza.local>\nTo: lead@customer.example\n'), NOW);
    expect(a).toMatchObject({ kind: 'bounce', permanent: true, bouncedRecipients: [], relatedMessageIds: ['<q2@cadenza.local>'] });
  });
});

describe('what is not a bounce', () => {
  it('keeps a human reply that quotes a bounce a reply', async () => {
    const a = await analyzeInbound(
      'From: kim@customer.example\nTo: rita@acme.example\nSubject: Re: Quick question\nMessage-ID: <h@customer.example>\nIn-Reply-To: <q3@cadenza.local>\n\n' +
      'Your mail to my old address bounced: "550 5.1.1 User unknown, could not be delivered". Use this one.\n', NOW);
    expect(a.kind).toBe('reply');
  });

  it('does not take a reply from a person at postmaster@ for one', async () => {
    const a = await analyzeInbound(
      'From: postmaster@customer.example\nTo: rita@acme.example\nSubject: Re: Quick question\nMessage-ID: <pm@customer.example>\nIn-Reply-To: <q4@cadenza.local>\n\n' +
      'Your mail could not be delivered to our old sales box, I forwarded it to bob@customer.example.\n', NOW);
    expect(a.kind).not.toBe('bounce');
  });

  it('does not take a forwarded non-delivery report for one', async () => {
    const a = await analyzeInbound(
      'From: kim@customer.example\nTo: rita@acme.example\nSubject: Fwd: Undeliverable: Quick question\nMessage-ID: <f@customer.example>\n\n' +
      'Delivery has failed to these recipients or groups:\n\nbob@customer.example\n550 5.1.1 not found\n', NOW);
    expect(a.kind).toBe('other');
  });

  it('does not take an auto-reply to a subject with a report\'s words for one', async () => {
    const a = await analyzeInbound(
      'Return-Path: <>\nFrom: omar@logistics.example\nTo: rita@acme.example\nSubject: Automatic reply: Undeliverable parcels cost you\n' +
      'Message-ID: <ar@logistics.example>\nAuto-Submitted: auto-replied\n\nI am out of the office until Monday.\n', NOW);
    expect(a.kind).toBe('auto_reply');
  });

  it('does not take a parcel service\'s "delivery failed" for one', async () => {
    const a = await analyzeInbound(
      'From: noreply@parcels.example\nTo: rita@acme.example\nSubject: Delivery failed\nMessage-ID: <p@parcels.example>\n\nYour parcel could not be delivered today.\n', NOW);
    expect(a.kind).toBe('other');
  });
});

describe('receipts are machine notices, never replies', () => {
  it('marks a read receipt from the lead on our thread as automated', async () => {
    const a = await analyzeInbound(`From: ann@customer.example
To: rita@acme.example
Subject: Read: Quick question
Message-ID: <mdn@customer.example>
In-Reply-To: <r1@cadenza.local>
Content-Type: multipart/report; report-type=disposition-notification; boundary=m

--m
Content-Type: text/plain

Your message was read.
--m
Content-Type: message/disposition-notification

Final-Recipient: rfc822;ann@customer.example
Original-Message-ID: <r1@cadenza.local>
Disposition: manual-action/MDN-sent-manually; displayed
--m--
`, NOW);
    expect(a).toMatchObject({ kind: 'other', automated: true, relatedMessageIds: ['<r1@cadenza.local>'] });
  });

  it('does not mark the lead\'s own reply as automated', async () => {
    const a = await analyzeInbound(
      'From: ann@customer.example\nTo: rita@acme.example\nSubject: Re: Quick question\nMessage-ID: <h2@customer.example>\nIn-Reply-To: <r1@cadenza.local>\n\nYes.\n', NOW);
    expect(a).toMatchObject({ kind: 'reply', automated: false });
  });
});

describe('Amazon SES notifications', () => {
  const sns = (json: object) =>
    `From: AWS Notifications <no-reply@sns.amazonaws.com>\nTo: ops@acme.example\nSubject: AWS Notification Message\nMessage-ID: <n@sns.example>\n\n${JSON.stringify(json)}\n\n--\nIf you wish to stop receiving notifications...\n`;

  it('reads a transient bounce as soft', async () => {
    const a = await analyzeInbound(sns({
      notificationType: 'Bounce',
      bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'Ann@Customer.example', status: '4.2.2' }] },
      mail: { commonHeaders: { messageId: '<s1@cadenza.local>' } },
    }), NOW);
    expect(a).toMatchObject({
      kind: 'bounce', permanent: false, bouncedRecipients: ['ann@customer.example'], relatedMessageIds: ['<s1@cadenza.local>'], bounceStatus: '4.2.2',
    });
  });

  it('reads a permanent bounce wrapped in the SNS email-json envelope', async () => {
    const a = await analyzeInbound(sns({
      Type: 'Notification',
      MessageId: 'c1333a2d',
      Message: JSON.stringify({
        notificationType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'gone@customer.example', status: '5.1.1' }] },
        mail: { commonHeaders: { messageId: '<s2@cadenza.local>' } },
      }),
    }), NOW);
    expect(a).toMatchObject({ kind: 'bounce', permanent: true, bouncedRecipients: ['gone@customer.example'], relatedMessageIds: ['<s2@cadenza.local>'] });
  });

  it('does not take a broken notification for a report', async () => {
    const a = await analyzeInbound(sns({ notificationType: 'Delivery' }), NOW);
    expect(a.kind).toBe('other');
  });
});

describe('report text helpers', () => {
  it('finds addresses, trimming what surrounds them, and skips IP literals', () => {
    expect(scanAddresses('<Ann@Customer.Example>... user unknown; bob@x.example. and root@192.0.2.1, mailto:c@d.example>')
      .map((a) => a.address)).toEqual(['ann@customer.example', 'bob@x.example', 'c@d.example']);
  });

  it('cuts the report where the original starts', () => {
    const { report, original } = cutAtOriginal('failed:\n  a@b.example\n\n--- Below this line is a copy of the message.\n\nTo: c@d.example\n');
    expect(report).toBe('failed:\n  a@b.example\n\n');
    expect(original.startsWith('--- Below this line')).toBe(true);
  });

  it('does not count a helpdesk the report names', () => {
    const text = 'Your message to x@b.example couldn\'t be delivered.\nIf the problem continues, please contact help@b.example.\n';
    expect([...failedRecipients(text, new Set()).keys()]).toEqual(['x@b.example']);
  });

  it('does not count our own address, quoted header lines or the SMTP sender', () => {
    const text = 'Your message\n  To: all@b.example\n  From: rita@acme.example\nMAIL FROM:<rita@acme.example>\n\nnot delivered to x@b.example\n';
    expect([...failedRecipients(text, new Set(['rita@acme.example'])).keys()]).toEqual(['x@b.example']);
  });

  it.each([
    ['550 5.1.1 User unknown', 'hard'],
    ['554 5.7.1 blocked', 'hard'],
    ['450 4.7.1 Greylisted', 'soft'],
    ['552 5.2.2 Mailbox full', 'soft'],
    ['Mailbox is full', 'soft'],
    ['550 4.4.7 QUEUE.Expired', 'soft'], // the enhanced code is the finer one
    ['553 sorry, that domain isn\'t in my list', 'hard'],
    ['421 Service not available, try again later', 'soft'],
    ['Host 10.5.1.1 refused', null], // an IP address is no status code
    ['User not listed in public Name & Address Book', null],
  ])('reads %j as %s', (text, expected) => {
    expect(severityOf(text)).toBe(expected);
  });
});

// Without timing asserts: each pattern is anchored or bounded, so these finish at once;
// a quadratic one would run into the test's timeout.
describe('hostile reports cost work linear in their size', () => {
  const K64 = 64 * 1024;
  it.each([
    ['a line of address characters without "@"', 'a'.repeat(K64)],
    ['a line of "a@"', 'a@'.repeat(K64 / 2)],
    ['a line of "@."', '@.'.repeat(K64 / 2)],
    ['a line of status-like digits', '5.5.5.'.repeat(K64 / 6)],
    ['a line of reply codes', '550 '.repeat(K64 / 4)],
    ['many short lines of dashes', '---\n'.repeat(K64 / 4)],
    ['a long dashed line', '-'.repeat(K64)],
    ['a long line of spaces before text', `${' '.repeat(K64)}x`],
  ])('reads a daemon report made of %s', async (_name, line) => {
    const a = await analyzeInbound(daemon('Undelivered Mail Returned to Sender', `This is the mail system at host x.\n\n${line}\n`), NOW);
    expect(a.kind).toBe('bounce');
    expect(a.bouncedRecipients.length).toBeLessThanOrEqual(100);
  });
});
