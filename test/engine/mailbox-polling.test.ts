import hoodiecrow from 'hoodiecrow-imap';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';

const ALWAYS = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' };

describe.each(BACKENDS)('reading reps\u2019 mailboxes over IMAP on %s', (backend) => {
  let h: Harness;
  let imap: ReturnType<typeof hoodiecrow>;
  let imapUrl = '';
  beforeEach(async () => {
    h = await startHarness(backend, new Date('2026-03-02T08:00:00Z'));
    // A real IMAP server on loopback (hoodiecrow, made for testing IMAP clients).
    imap = hoodiecrow({ plugins: ['ID', 'IDLE', 'UNSELECT', 'ENABLE', 'LITERALPLUS'], users: { rep1: { password: 'secret' } }, storage: { INBOX: { messages: [] } } });
    await new Promise<void>((r) => imap.listen(0, '127.0.0.1', () => r()));
    imapUrl = `imap://rep1:secret@127.0.0.1:${(imap.server.address() as AddressInfo).port}/INBOX?starttls=false`;
  });
  afterEach(async () => {
    await h.close();
    await new Promise<void>((r) => imap.close(() => r()));
  });

  it('a reply that lands in the rep\u2019s inbox exits the enrolment at the next poll', async () => {
    const mailbox = await h.api('PUT', `/api/users/${h.reps[0].id}/mailbox`, { fromEmail: 'rep1@example.com', imapUrl });
    expect(mailbox.status).toBe(200);
    expect(mailbox.body.imapUrl).not.toContain('secret');
    const lead = await h.api('POST', '/api/leads', { email: 'lin@example.com', firstName: 'Lin', ownerId: h.reps[0].id });
    const cadence = await h.api('POST', '/api/cadences', {
      name: 'C', schedule: ALWAYS,
      steps: [{ type: 'email', subject: 'One', body: 'first' }, { type: 'email', delayDays: 2, subject: 'Two', body: 'second' }],
    });
    await h.api('POST', `/api/cadences/${cadence.body.id}/activate`);
    const enrollmentId = (await h.api('POST', `/api/cadences/${cadence.body.id}/enrollments`, { recordIds: [lead.body.id] })).body.enrolled[0].id;
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    const [sent] = (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items;
    expect(sent.status).toBe('sent');

    // Some unrelated mail, then the lead's reply, arrive in the rep's inbox.
    imap.appendMessage('INBOX', [], new Date('2026-03-02T09:00:00Z'), 'From: news@vendor.example\r\nTo: rep1@example.com\r\nSubject: Newsletter\r\nMessage-ID: <n1@vendor.example>\r\n\r\nnews\r\n');
    imap.appendMessage('INBOX', [], new Date('2026-03-02T09:05:00Z'), [
      'From: Lin <lin@example.com>', 'To: rep1@example.com', 'Subject: Re: One', 'Message-ID: <r1@example.com>',
      `In-Reply-To: ${sent.messageId}`, 'Content-Type: text/plain', '', 'Sounds good, call me.', '',
    ].join('\r\n'));
    await h.api('POST', '/api/dev/clock', { advance: 'PT2M' });
    expect((await h.api('GET', `/api/enrollments/${enrollmentId}`)).body).toMatchObject({ status: 'exited', exitReason: 'replied' });
    await h.api('POST', '/api/dev/clock', { advance: 'P3D' });
    expect((await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items).toHaveLength(1);
  });

  it('an unreachable mailbox is recorded and retried, and does not stop the engine', async () => {
    await h.api('PUT', `/api/users/${h.reps[0].id}/mailbox`, { fromEmail: 'rep1@example.com', imapUrl: 'imap://rep1:wrong@127.0.0.1:1/INBOX?starttls=false' });
    const lead = await h.api('POST', '/api/leads', { email: 'kim@example.com', ownerId: h.reps[0].id });
    const cadence = await h.api('POST', '/api/cadences', { name: 'C', schedule: ALWAYS, steps: [{ type: 'task', title: 'T' }] });
    await h.api('POST', `/api/cadences/${cadence.body.id}/activate`);
    await h.api('POST', `/api/cadences/${cadence.body.id}/enrollments`, { recordIds: [lead.body.id] });
    const moved = await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(moved.status).toBe(200);
    expect((await h.api('GET', '/api/tasks?status=open')).body.items).toHaveLength(1);
    const row = await h.database.db.selectFrom('mailboxes').select(['imap_error', 'imap_polled_at']).executeTakeFirstOrThrow();
    expect(row.imap_error).toBeTruthy();
  });
});
