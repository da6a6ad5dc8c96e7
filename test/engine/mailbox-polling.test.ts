import hoodiecrow from 'hoodiecrow-imap';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MessageAlreadyTaken, takeInbound } from '../../src/app/inbound.ts';
import { BACKENDS, freshDatabase } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';

const ALWAYS = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' };

describe.each(BACKENDS)('reading reps\u2019 mailboxes over IMAP on %s', (backend) => {
  let h: Harness;
  let imap: ReturnType<typeof hoodiecrow>;
  let imapUrl = '';
  // PGlite's migrated template is made once per file: here, on its own hook's time, not the first test's.
  beforeAll(async () => { if (backend === 'pglite') await (await freshDatabase(backend)).close(); }, 300_000);
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

  /** Rep 1's mailbox on the IMAP server, and `names.length` leads each sent the first email of a two-email cadence. */
  async function leadsWithSentEmails(names: string[]) {
    await h.api('PUT', `/api/users/${h.reps[0].id}/mailbox`, { fromEmail: 'rep1@example.com', imapUrl });
    const cadence = await h.api('POST', '/api/cadences', {
      name: 'C', schedule: ALWAYS,
      steps: [{ type: 'email', subject: 'One', body: 'first' }, { type: 'email', delayDays: 2, subject: 'Two', body: 'second' }],
    });
    await h.api('POST', `/api/cadences/${cadence.body.id}/activate`);
    const leads = [];
    for (const name of names) {
      const lead = (await h.api('POST', '/api/leads', { email: `${name}@example.com`, firstName: name, ownerId: h.reps[0].id })).body;
      const enrollmentId = (await h.api('POST', `/api/cadences/${cadence.body.id}/enrollments`, { recordIds: [lead.id] })).body.enrolled[0].id;
      leads.push({ ...lead, enrollmentId });
    }
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    for (const lead of leads) {
      const [sent] = (await h.api('GET', `/api/emails?enrollmentId=${lead.enrollmentId}`)).body.items;
      expect(sent.status).toBe('sent');
      lead.messageId = sent.messageId;
    }
    return leads as Array<{ id: string; email: string; enrollmentId: string; messageId: string }>;
  }
  const reply = (lead: { email: string; messageId: string }, n: number) => [
    `From: <${lead.email}>`, 'To: rep1@example.com', 'Subject: Re: One', `Message-ID: <r${n}-${lead.email}>`,
    `In-Reply-To: ${lead.messageId}`, 'Content-Type: text/plain', '', 'Sounds good, call me.', '',
  ].join('\r\n');
  // bigint: a string from PostgreSQL, a number from PGlite.
  const cursor = async () => {
    const row = await h.database.db.selectFrom('mailboxes').select(['imap_last_uid', 'imap_error']).executeTakeFirstOrThrow();
    return { imap_last_uid: row.imap_last_uid === null ? null : String(row.imap_last_uid), imap_error: row.imap_error };
  };
  const status = async (enrollmentId: string) => (await h.api('GET', `/api/enrollments/${enrollmentId}`)).body.status;
  const replies = async () => (await sql<{ record_id: string; n: number }>`
    select record_id, count(*)::int as n from signals where type = 'replied' group by record_id`.execute(h.database.db)).rows;

  it('a database failure on the 2nd of 3 messages stops the pass before it; the next poll takes it and the 3rd, each once', async () => {
    const [ann, bob, cy] = await leadsWithSentEmails(['ann', 'bob', 'cy']);
    const base = BigInt((await cursor()).imap_last_uid ?? '0');
    // The database refuses to record anything about Bob (a failure that is no bad message).
    await sql.raw(`create or replace function refuse_bob() returns trigger language plpgsql as $$
      begin if new.record_id = '${bob.id}' then raise exception 'could not extend file: No space left on device'; end if; return new; end $$`)
      .execute(h.database.db);
    await sql.raw('create trigger refuse_bob before insert on signals for each row execute function refuse_bob()').execute(h.database.db);
    for (const [i, lead] of [ann, bob, cy].entries()) imap.appendMessage('INBOX', [], new Date(`2026-03-02T09:0${i}:00Z`), reply(lead, i));

    await h.api('POST', '/api/dev/clock', { advance: 'PT2M' });
    // Ann's reply was taken in; the pass stopped at Bob's: the cursor has not passed it, Cy's waits.
    expect(await cursor()).toMatchObject({ imap_last_uid: String(base + 1n), imap_error: expect.stringContaining('No space left') });
    expect([await status(ann.enrollmentId), await status(bob.enrollmentId), await status(cy.enrollmentId)]).toEqual(['exited', 'active', 'active']);
    const health = (await h.api('GET', '/api/mailboxes')).body.items.find((i: any) => i.user.id === h.reps[0].id).health;
    expect(health.lastImapError.message).toContain('No space left');

    // The database is well again: the next poll starts from Bob's message.
    await sql.raw('drop trigger refuse_bob on signals').execute(h.database.db);
    await sql.raw('drop function refuse_bob()').execute(h.database.db);
    await h.api('POST', '/api/dev/clock', { advance: 'PT2M' });
    expect(await cursor()).toEqual({ imap_last_uid: String(base + 3n), imap_error: null });
    expect([await status(ann.enrollmentId), await status(bob.enrollmentId), await status(cy.enrollmentId)]).toEqual(['exited', 'exited', 'exited']);
    expect((await replies()).sort((a, b) => a.record_id.localeCompare(b.record_id)))
      .toEqual([ann, bob, cy].map((l) => ({ record_id: l.id, n: 1 })).sort((a, b) => a.record_id.localeCompare(b.record_id)));
    const list = (await h.api('GET', '/api/cadences')).body.items[0];
    expect(list.replied).toBe(3);

    // Taken in again after a crash between its commit and the next message (a second
    // poller): the cursor is already past it, so nothing of it is applied twice.
    await expect(takeInbound(h.ctx, Buffer.from(reply(bob, 1)), { userId: h.reps[0].id, uidValidity: BigInt((await h.database.db
      .selectFrom('mailboxes').select('imap_uid_validity').executeTakeFirstOrThrow()).imap_uid_validity!), uid: base + 2n }))
      .rejects.toBeInstanceOf(MessageAlreadyTaken);
    expect((await replies()).find((r) => r.record_id === bob.id)?.n).toBe(1);
    await h.api('POST', '/api/dev/clock', { advance: 'PT2M' });
    expect((await replies()).map((r) => r.n)).toEqual([1, 1, 1]);
  });

  it('a folder whose UIDVALIDITY changed is read again from two weeks back, and what was taken in before is not applied twice', async () => {
    const [dee, eve] = await leadsWithSentEmails(['dee', 'eve']);
    imap.appendMessage('INBOX', [], new Date('2026-03-02T09:00:00Z'), reply(dee, 0));
    await h.api('POST', '/api/dev/clock', { advance: 'PT2M' });
    expect(await replies()).toEqual([{ record_id: dee.id, n: 1 }]);

    // The server's folder was rebuilt: its UIDs mean something else now. Eve's reply came meanwhile.
    await sql`update mailboxes set imap_uid_validity = imap_uid_validity + 1`.execute(h.database.db);
    imap.appendMessage('INBOX', [], new Date('2026-03-02T09:05:00Z'), reply(eve, 1));
    await h.api('POST', '/api/dev/clock', { advance: 'PT2M' });
    expect((await replies()).sort((a, b) => a.record_id.localeCompare(b.record_id)))
      .toEqual([dee, eve].map((l) => ({ record_id: l.id, n: 1 })).sort((a, b) => a.record_id.localeCompare(b.record_id)));
    expect([await status(dee.enrollmentId), await status(eve.enrollmentId)]).toEqual(['exited', 'exited']);
    expect((await cursor()).imap_error).toBeNull();
  });

  it('a message that cannot be parsed is skipped and recorded (mailbox health); the messages after it are taken in', async () => {
    const [ann, bob] = await leadsWithSentEmails(['ann', 'bob']);
    const base = BigInt((await cursor()).imap_last_uid ?? '0');
    imap.appendMessage('INBOX', [], new Date('2026-03-02T09:00:00Z'), reply(ann, 0));
    imap.appendMessage('INBOX', [], new Date('2026-03-02T09:01:00Z'), 

      // A corrupted spool entry: a line of noise where the header block should start.
      '%%% spool entry 4471 truncated %%%\r\nMessage-ID: <broken-1@relay.example>\r\n\r\nX-Garbage: yes\r\n');
    imap.appendMessage('INBOX', [], new Date('2026-03-02T09:02:00Z'), reply(bob, 2));

    await h.api('POST', '/api/dev/clock', { advance: 'PT2M' });
    expect(await cursor()).toEqual({ imap_last_uid: String(base + 3n), imap_error: null });
    expect([await status(ann.enrollmentId), await status(bob.enrollmentId)]).toEqual(['exited', 'exited']);
    const health = (await h.api('GET', '/api/mailboxes')).body.items.find((i: any) => i.user.id === h.reps[0].id).health;
    expect(health).toMatchObject({
      lastImapError: null,
      skippedInboundLast30Days: 1,
      lastSkippedInbound: { messageId: '<broken-1@relay.example>', uid: String(base + 2n), at: expect.any(String), message: expect.stringMatching(/header/) },
    });
    const [kept] = await h.database.db.selectFrom('inbound_failures').select(['raw', 'raw_size']).execute();
    expect(Buffer.from(kept.raw).toString()).toContain('X-Garbage: yes');
    // Another pass reads nothing again: the skipped message stays one record.
    await h.api('POST', '/api/dev/clock', { advance: 'PT2M' });
    expect((await h.database.db.selectFrom('inbound_failures').select('id').execute())).toHaveLength(1);
    const other = (await h.api('GET', '/api/mailboxes')).body.items.find((i: any) => i.user.id === h.reps[1].id).health;
    expect(other).toMatchObject({ skippedInboundLast30Days: 0, lastSkippedInbound: null });
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
