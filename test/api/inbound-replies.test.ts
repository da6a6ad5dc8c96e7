/**
 * Replies that are replies (issue 14): whose message ends a lead's cadence, what is only
 * recorded, and which lead a bounce acts on, through POST /api/inbound/email.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { advance, ALWAYS_OPEN, createCadence, createLead, crlf, enrollOne, expectFieldError, postInbound, replyMessage } from './helpers.ts';

describe.each(BACKENDS)('whose reply ends a cadence, on %s', (backend) => {
  let h: Harness;
  // PGlite's migrated template is made once per file: here, on its own hook's time, not the first test's.
  beforeAll(async () => { if (backend === 'pglite') await (await freshDatabase(backend)).close(); }, 300_000);
  beforeAll(async () => { h = await startHarness(backend); });
  afterAll(() => h.close());

  /** A lead at `email` in a two-email cadence (replies counted from `replyFrom`), its first email sent. */
  async function world(email: string, replyFrom?: 'address' | 'domain') {
    const lead = await createLead(h, { email, firstName: 'Lin', ownerId: h.reps[0].id });
    const cadence = await createCadence(h, {
      name: `Replies ${email}`, schedule: ALWAYS_OPEN, ...(replyFrom ? { exitOn: { replyFrom } } : {}),
      steps: [{ type: 'email', subject: 'Hello', body: 'Hi' }, { type: 'email', delayDays: 2, subject: 'Two', body: 'Again' }],
    });
    const enrollmentId = await enrollOne(h, cadence.id, lead.id);
    await advance(h, 'PT1M');
    const [email1] = (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items;
    expect(email1.status).toBe('sent');
    return { lead, cadence, enrollmentId, email: email1 as { id: string; messageId: string } };
  }
  const company = () => `acme-${randomUUID().slice(0, 8)}.example`;
  const enrollment = async (id: string) => (await h.api('GET', `/api/enrollments/${id}`)).body;
  const timeline = async (leadId: string) => (await h.api('GET', `/api/leads/${leadId}/timeline`)).body.items as Array<{ type: string; title: string; detail?: string; emailId?: string }>;
  const repliedCount = async (cadenceId: string) =>
    (await h.api('GET', '/api/cadences')).body.items.find((c: { id: string }) => c.id === cadenceId).replied;

  it('a reply from the lead\u2019s address (in any case) exits the enrolment', async () => {
    const domain = company();
    const w = await world(`lin@${domain}`);
    const res = await postInbound(h, replyMessage(`LIN@${domain.toUpperCase()}`, w.email.messageId));
    expect(res).toMatchObject({ status: 202, body: { kind: 'reply', matched: true, recordId: w.lead.id } });
    expect(await enrollment(w.enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'replied' });
    expect((await timeline(w.lead.id)).filter((i) => i.type === 'reply_other')).toEqual([]);
  });

  it('a colleague\u2019s reply on the lead\u2019s thread is recorded on the lead\u2019s timeline and ends nothing (replies from the lead\u2019s address only)', async () => {
    const domain = company();
    const w = await world(`lin@${domain}`);
    const res = await postInbound(h, replyMessage(`sam@${domain}`, w.email.messageId));
    expect(res).toMatchObject({ status: 202, body: { kind: 'reply', matched: true, recordId: w.lead.id, exited: [] } });
    expect(await enrollment(w.enrollmentId)).toMatchObject({ status: 'active' });
    const [item] = (await timeline(w.lead.id)).filter((i) => i.type === 'reply_other');
    expect(item).toMatchObject({ emailId: w.email.id });
    expect(item.title).toBe(`Reply from sam@${domain} (not the lead) to \u201cHello\u201d \u2014 the cadence goes on`);
    expect(await repliedCount(w.cadence.id)).toBe(0);
  });

  it('a colleague\u2019s reply exits under a cadence that counts replies from the lead\u2019s company', async () => {
    const domain = company();
    const w = await world(`lin@${domain}`, 'domain');
    const res = await postInbound(h, replyMessage(`sam@${domain}`, w.email.messageId));
    expect(res.body.exited).toEqual([{ id: w.enrollmentId, reason: 'replied' }]);
    expect(await enrollment(w.enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'replied' });
    const [item] = (await timeline(w.lead.id)).filter((i) => i.type === 'reply_other');
    expect(item.title).toContain(`Reply from sam@${domain} (at the lead\u2019s company)`);
    expect(await repliedCount(w.cadence.id)).toBe(1);
  });

  it('two people on a free-mail domain are no colleagues: no exit, even when the cadence counts the lead\u2019s company', async () => {
    const tag = randomUUID().slice(0, 8);
    const w = await world(`lin.${tag}@gmail.com`, 'domain');
    await postInbound(h, replyMessage(`sam.${tag}@gmail.com`, w.email.messageId));
    expect(await enrollment(w.enrollmentId)).toMatchObject({ status: 'active' });
    expect((await timeline(w.lead.id)).filter((i) => i.type === 'reply_other')).toHaveLength(1);
  });

  it('a stranger\u2019s message carrying our In-Reply-To is recorded on the lead\u2019s timeline and ends nothing', async () => {
    const w = await world(`lin@${company()}`, 'domain');
    const res = await postInbound(h, replyMessage('someone@elsewhere.example', w.email.messageId));
    expect(res).toMatchObject({ status: 202, body: { kind: 'reply', matched: true, exited: [] } });
    expect(await enrollment(w.enrollmentId)).toMatchObject({ status: 'active' });
    const items = (await timeline(w.lead.id)).filter((i) => i.type === 'reply_other');
    expect(items.map((i) => i.title)).toEqual(['Reply from someone@elsewhere.example (not the lead) to \u201cHello\u201d \u2014 the cadence goes on']);
    // The cadence goes on: its next email is sent when due.
    await advance(h, 'P3D');
    expect((await h.api('GET', `/api/emails?enrollmentId=${w.enrollmentId}`)).body.items).toHaveLength(2);
  });

  it('a mail daemon\u2019s notice threaded on our email is nobody\u2019s reply: nothing recorded, nothing ends', async () => {
    const w = await world(`lin@${company()}`, 'domain');
    const res = await postInbound(h, crlf(`From: Mail Delivery Subsystem <mailer-daemon@mx.relay.example>
To: rep1@example.com
Subject: Delivered: Hello
Message-ID: <notice-${randomUUID()}@mx.relay.example>
In-Reply-To: ${w.email.messageId}
Content-Type: text/plain

Your message was delivered to the following recipients.
`));
    expect(res.status).toBe(202);
    expect(res.body.kind).not.toBe('reply');
    expect(await enrollment(w.enrollmentId)).toMatchObject({ status: 'active' });
    expect((await timeline(w.lead.id)).filter((i) => i.type === 'reply_other' || i.type === 'email_replied')).toEqual([]);
  });

  it('a reply without In-Reply-To from the lead\u2019s address exits its enrolment', async () => {
    const domain = company();
    const w = await world(`lin@${domain}`);
    const res = await postInbound(h, crlf(`From: Lin <lin@${domain}>
To: rep1@example.com
Subject: Re: Hello
Message-ID: <fresh-${randomUUID()}@${domain}>
Content-Type: text/plain

Yes, let's talk.
`));
    expect(res).toMatchObject({ status: 202, body: { kind: 'reply', matched: true, recordId: w.lead.id } });
    expect(await enrollment(w.enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'replied' });
  });

  it('a bounce quoting lead X\u2019s Message-ID but naming lead Y\u2019s address as failed bounces Y, not X', async () => {
    const x = await world(`x@${company()}`);
    const y = await world(`y@${company()}`);
    const res = await postInbound(h, bounceOf(y.lead.email, x.email.messageId));
    expect(res).toMatchObject({ status: 202, body: { kind: 'bounce', matched: true, recordId: y.lead.id } });
    expect((await h.api('GET', `/api/leads/${y.lead.id}`)).body.bounced).toBe(true);
    expect(await enrollment(y.enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'bounced' });
    expect((await h.api('GET', `/api/leads/${x.lead.id}`)).body.bounced).toBe(false);
    expect(await enrollment(x.enrollmentId)).toMatchObject({ status: 'active' });
  });

  it('a bounce naming an address no lead has, quoting lead X\u2019s Message-ID, bounces nobody', async () => {
    const x = await world(`x@${company()}`);
    const res = await postInbound(h, bounceOf(`forwarded-${randomUUID()}@internal.example`, x.email.messageId));
    expect(res).toMatchObject({ status: 202, body: { kind: 'bounce', matched: false } });
    expect((await h.api('GET', `/api/leads/${x.lead.id}`)).body.bounced).toBe(false);
    expect(await enrollment(x.enrollmentId)).toMatchObject({ status: 'active' });
  });

  it('a bounce that names no failed recipient acts on the lead of the email it quotes', async () => {
    const x = await world(`x@${company()}`);
    const res = await postInbound(h, bounceOf(null, x.email.messageId));
    expect(res).toMatchObject({ status: 202, body: { kind: 'bounce', matched: true, recordId: x.lead.id, enrollmentId: x.enrollmentId } });
    expect((await h.api('GET', `/api/leads/${x.lead.id}`)).body.bounced).toBe(true);
    expect(await enrollment(x.enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'bounced' });
  });

  it('a hard bounce shows on the lead\u2019s timeline with what the server said', async () => {
    const x = await world(`x@${company()}`);
    await postInbound(h, bounceOf(x.lead.email, x.email.messageId));
    const [item] = (await timeline(x.lead.id)).filter((i) => i.type === 'email_bounced');
    expect(item).toMatchObject({ title: 'Bounced: \u201cHello\u201d', detail: expect.stringContaining('5.1.1') });
  });

  it('a soft bounce (a full mailbox) and a policy refusal of our server (5.7.1) are recorded on the lead and end nothing', async () => {
    const x = await world(`x@${company()}`);
    const full = await postInbound(h, bounceOf(x.lead.email, x.email.messageId, '4.2.2', '452 4.2.2 Mailbox full'));
    expect(full).toMatchObject({ status: 202, body: { kind: 'bounce', matched: true, recordId: x.lead.id } });
    const blocked = await postInbound(h, bounceOf(x.lead.email, x.email.messageId, '5.7.1', '550 5.7.1 Service unavailable, client host blocked using a blocklist'));
    expect(blocked).toMatchObject({ status: 202, body: { kind: 'bounce', matched: true, recordId: x.lead.id } });
    expect((await h.api('GET', `/api/leads/${x.lead.id}`)).body.bounced).toBe(false);
    expect(await enrollment(x.enrollmentId)).toMatchObject({ status: 'active' });
    const problems = (await timeline(x.lead.id)).filter((i) => i.type === 'email_bounced');
    expect(problems.map((i) => i.title)).toEqual([
      'Delivery problem with \u201cHello\u201d (not a hard bounce) \u2014 the cadence goes on',
      'Delivery problem with \u201cHello\u201d (not a hard bounce) \u2014 the cadence goes on',
    ]);
    expect(problems.map((i) => i.detail).join(' ')).toMatch(/5\.7\.1.*4\.2\.2|4\.2\.2.*5\.7\.1/);
    expect((await h.api('GET', `/api/cadences/${x.cadence.id}/stats`)).body.exitReasons.bounced ?? 0).toBe(0);
  });

  it('a read receipt from the lead on our thread is no reply: nothing ends', async () => {
    const w = await world(`lin@${company()}`);
    const res = await postInbound(h, crlf(`From: Lin <${w.lead.email}>
To: rep1@example.com
Subject: Read: Hello
Message-ID: <mdn-${randomUUID()}@customer.example>
In-Reply-To: ${w.email.messageId}
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification; boundary="M1"

--M1
Content-Type: text/plain

Your message was read on Monday.

--M1
Content-Type: message/disposition-notification

Final-Recipient: rfc822; ${w.lead.email}
Original-Message-ID: ${w.email.messageId}
Disposition: manual-action/MDN-sent-manually; displayed

--M1--
`));
    expect(res).toMatchObject({ status: 202, body: { matched: false } });
    expect(await enrollment(w.enrollmentId)).toMatchObject({ status: 'active' });
  });

  it('an out-of-office pauses the lead who sent it, never the thread\u2019s lead when a colleague sent it', async () => {
    const domain = company();
    const w = await world(`lin@${domain}`);
    await postInbound(h, outOfOffice(`sam@${domain}`, w.email.messageId));
    expect(await enrollment(w.enrollmentId)).toMatchObject({ status: 'active' });
    await postInbound(h, outOfOffice(`lin@${domain}`, w.email.messageId));
    expect(await enrollment(w.enrollmentId)).toMatchObject({ status: 'paused' });
  });

  describe('the cadence setting exitOn.replyFrom', () => {
    it('is answered by GET (\u2019address\u2019 by default) and taken back unchanged by PATCH; \u2019domain\u2019 is kept', async () => {
      const cadence = await createCadence(h, { name: 'Setting', steps: [{ type: 'task', title: 'T' }] }, false);
      const got = (await h.api('GET', `/api/cadences/${cadence.id}`)).body;
      expect(got.exitOn.replyFrom).toBe('address');
      const { id: _id, status: _s, version: _v, createdAt: _c, updatedAt: _u, enrollmentsByVersion: _e, ...definition } = got;
      expect((await h.api('PATCH', `/api/cadences/${cadence.id}`, definition)).status).toBe(200);
      const patched = await h.api('PATCH', `/api/cadences/${cadence.id}`, { exitOn: { ...got.exitOn, replyFrom: 'domain' } });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect((await h.api('GET', `/api/cadences/${cadence.id}`)).body.exitOn).toEqual({ ...got.exitOn, replyFrom: 'domain' });
    });

    it.each([['nonsense'], [''], [1], [null]])('refuses %j with a 400 naming exitOn.replyFrom, changing nothing', async (bad) => {
      const cadence = await createCadence(h, { name: 'Bad setting', steps: [{ type: 'task', title: 'T' }] }, false);
      const before = (await h.api('GET', `/api/cadences/${cadence.id}`)).body;
      if (bad !== null) expectFieldError(await h.api('PATCH', `/api/cadences/${cadence.id}`, { exitOn: { replyFrom: bad } }), 'exitOn.replyFrom');
      expectFieldError(await h.api('POST', '/api/cadences', { name: 'New', steps: [{ type: 'task', title: 'T' }], exitOn: { replyFrom: bad ?? 'everyone' } }), 'exitOn.replyFrom');
      expect((await h.api('GET', `/api/cadences/${cadence.id}`)).body).toEqual(before);
    });
  });
});

/**
 * An RFC 3464 report: `failed` could not be reached (null: the report names no one);
 * its third part quotes the headers of our email `quotedId`.
 */
function bounceOf(failed: string | null, quotedId: string, status = '5.1.1', said = '550 5.1.1 User unknown'): string {
  return crlf(`From: Mail Delivery System <MAILER-DAEMON@mx.sales.example>
To: rep1@example.com
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-${randomUUID()}@mx.sales.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B42"

--B42
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered to one or more recipients.

${failed ? `<${failed}>: host mx.customer.example said: ` : ''}${said}

--B42
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.sales.example

${failed ? `Final-Recipient: rfc822; ${failed}\n` : ''}Action: ${status.startsWith('4') ? 'delayed' : 'failed'}
Status: ${status}
Diagnostic-Code: smtp; ${said}

--B42
Content-Type: text/rfc822-headers

From: Rep One <rep1@example.com>
${failed ? `To: ${failed}\n` : ''}Subject: Hello
Message-ID: ${quotedId}

--B42--
`);
}

function outOfOffice(from: string, inReplyTo: string): string {
  return crlf(`From: <${from}>
To: rep1@example.com
Subject: Automatic reply: Hello
Message-ID: <ooo-${randomUUID()}@customer.example>
In-Reply-To: ${inReplyTo}
Auto-Submitted: auto-replied
Content-Type: text/plain

I am out of the office and will reply when I am back.
`);
}
