import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.ts';
import { Engine, defaultEngineOptions } from '../../src/engine/engine.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { holdForMailboxSpacing, recordSentAndMarkSending } from '../../src/store/email.repository.ts';
import { sql } from 'kysely';
import { BACKENDS } from '../support/backends.ts';
import { type Harness } from '../support/harness.ts';
import { sinkAndHarness } from '../support/sink-harness.ts';

const ALWAYS = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' };

/** Outages and temporary refusals are waited out; a mailbox's spacing holds across workers (issue 14, parts 3 and 6). */
describe.each(BACKENDS)('send retries and spacing on %s', (backend) => {
  const t = sinkAndHarness(backend);
  const { sink } = t;
  let h: Harness;
  const extra: Database[] = [];
  beforeEach(() => {
    ({ h } = t);
    sink.clock = () => h.clock.now();
  });
  afterEach(async () => {
    for (const d of extra.splice(0)) await d.close();
  });

  async function enrol(emails: string[], ownerId: string, steps: unknown[]) {
    const bulk = await h.api('POST', '/api/leads/bulk', { records: emails.map((email) => ({ email, ownerId })) });
    const cadence = await h.api('POST', '/api/cadences', { name: `C ${emails[0]}`, schedule: ALWAYS, steps });
    await h.api('POST', `/api/cadences/${cadence.body.id}/activate`);
    const enrolled = await h.api('POST', `/api/cadences/${cadence.body.id}/enrollments`, { recordIds: bulk.body.created });
    return enrolled.body.enrolled.map((e: { id: string }) => e.id) as string[];
  }
  const emailTo = async (to: string) =>
    ((await h.api('GET', '/api/emails')).body.items as Array<{ to: string; status: string; error: string | null }>).find((e) => e.to === to)!;
  const advance = (advance: string) => h.api('POST', '/api/dev/clock', { advance });

  it('a 20-minute outage of the SMTP server loses nothing: the email goes once the server is back, exactly once', async () => {
    await sink.down();
    try {
      await enrol(['ada@example.com'], h.reps[0].id, [{ type: 'email', subject: 'Hello', body: 'Hi Ada' }]);
      for (let step = 1; step <= 10; step++) {
        await advance('PT2M');
        expect((await emailTo('ada@example.com')).status).toBe('queued');
      }
      expect((await emailTo('ada@example.com')).error).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await sink.up();
    }
    const back = h.clock.now();
    for (let step = 1; step <= 10; step++) await advance('PT4M');
    expect(sink.received.map((m) => m.envelope.to)).toEqual([['ada@example.com']]);
    // Sent at its next retry after the server came back: at most six tries fit in 20
    // minutes of back-off, so the wait before the next is at most 32 minutes (and a step).
    expect(sink.received[0].at.getTime() - back.getTime()).toBeLessThanOrEqual(36 * 60_000);
    expect(await emailTo('ada@example.com')).toMatchObject({ status: 'sent' });
  }, 180_000);

  it('a 421 that closes the session is waited out like an outage: retried on a fresh connection, sent once', async () => {
    sink.faults.set('cy@example.com', { reply: 421, message: '4.7.0 Too many connections, closing transmission channel' });
    await enrol(['cy@example.com'], h.reps[0].id, [{ type: 'email', subject: 'Hello', body: 'Hi Cy' }]);
    await advance('PT1M');
    expect(await emailTo('cy@example.com')).toMatchObject({ status: 'queued', error: expect.stringContaining('421') });
    sink.faults.clear();
    for (let step = 0; step < 3; step++) await advance('PT1M');
    expect(sink.received.map((m) => m.envelope.to)).toEqual([['cy@example.com']]);
    expect(await emailTo('cy@example.com')).toMatchObject({ status: 'sent' });
  }, 180_000);

  it('72 hours of 4xx answers: still queued at 71 h, failed after 72 h, and the enrolment goes on', async () => {
    sink.faults.set('bob@example.com', { reply: 451, message: '4.3.0 Temporary local problem, try again later' });
    const [enrollmentId] = await enrol(['bob@example.com'], h.reps[0].id, [
      { type: 'email', subject: 'Hello', body: 'Hi Bob' },
      { type: 'task', delayDays: 1, title: 'Call Bob' },
    ]);
    await advance('PT1M');
    for (let hours = 0; hours < 70; hours += 10) await advance('PT10H');
    await advance('PT1H');
    // 71 hours after the first refusal.
    expect(await emailTo('bob@example.com')).toMatchObject({ status: 'queued', error: expect.stringContaining('451') });
    expect((await h.api('GET', `/api/tasks?enrollmentId=${enrollmentId}`)).body.items).toHaveLength(0);
    await advance('PT2H');
    expect(await emailTo('bob@example.com')).toMatchObject({
      status: 'failed', error: expect.stringMatching(/^gave up after 72 h of temporary failures; last: .*451 4\.3\.0/),
    });
    expect(sink.received).toHaveLength(0);
    // As for any failed email, the cadence goes on: the next step a day later.
    await advance('P1D');
    expect((await h.api('GET', `/api/tasks?enrollmentId=${enrollmentId}`)).body.items).toHaveLength(1);
    expect((await h.api('GET', `/api/enrollments/${enrollmentId}`)).body).toMatchObject({ status: 'active' });
  }, 180_000);

  it('minIntervalSeconds spaces one mailbox\u2019s sends across workers; another mailbox is not held up', async () => {
    await h.api('PUT', `/api/users/${h.reps[0].id}/mailbox`, { fromEmail: 'rep1@example.com', minIntervalSeconds: 60 });
    await h.api('PUT', `/api/users/${h.reps[1].id}/mailbox`, { fromEmail: 'rep2@example.com' });
    const step = [{ type: 'email', subject: 'Hello', body: 'Hi' }];
    await enrol(['s0@example.com', 's1@example.com', 's2@example.com', 's3@example.com'], h.reps[0].id, step);
    await enrol(['f0@example.com', 'f1@example.com', 'f2@example.com'], h.reps[1].id, step);
    // Several workers on one database where the backend allows it (PostgreSQL).
    const engines = [h.engine];
    if (backend === 'postgres') {
      for (let i = 0; i < 2; i++) {
        const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, schema: h.database.schema, poolSize: 3 });
        extra.push(db);
        engines.push(new Engine(createContext(db.db, h.clock, h.ctx.config), defaultEngineOptions(`spacing-${i}`)));
      }
    }
    try {
      for (let s = 0; s < 5 * 6; s++) {
        h.clock.set(new Date(h.clock.now().getTime() + 10_000));
        const now = h.clock.now();
        await Promise.all(engines.map((e) => e.drain(now)));
      }
    } finally {
      for (const e of engines.slice(1)) await e.stop();
    }
    const from = (address: string) => sink.received.filter((m) => m.envelope.from === address).map((m) => m.at.getTime());
    const spaced = from('rep1@example.com').sort((a, b) => a - b);
    expect(spaced).toHaveLength(4);
    for (let i = 1; i < spaced.length; i++) expect(spaced[i] - spaced[i - 1]).toBeGreaterThanOrEqual(60_000);
    // Never dropped, and not held longer than needed: four sends within four intervals.
    expect(spaced[3] - spaced[0]).toBeLessThanOrEqual(4 * 60_000);
    const free = from('rep2@example.com');
    expect(free).toHaveLength(3);
    expect(new Set(free).size).toBe(1);
    expect(free[0]).toBe(spaced[0]);
    expect(((await h.api('GET', '/api/emails')).body.items as Array<{ status: string }>).every((e) => e.status === 'sent')).toBe(true);
  }, 180_000);

  it('a mailbox’s next slot counts from when its message left, however long it waited for a lane after taking the slot', async () => {
    await h.api('PUT', `/api/users/${h.reps[0].id}/mailbox`, { fromEmail: 'rep1@example.com', minIntervalSeconds: 60 });
    await enrol(['s0@example.com', 's1@example.com'], h.reps[0].id, [{ type: 'email', subject: 'Hello', body: 'Hi' }]);
    const db = h.database.db;
    const t0 = h.clock.now();
    await h.engine.advanceDue(t0); // queued, and claimed for this engine's sender
    // In the order the mailbox's mail takes its slots: by due time, then id.
    const ids = (await sql<{ id: string }>`select id from emails order by send_after, id`.execute(db)).rows.map((r) => r.id);
    const nextSlot = async () => (await sql<{ at: Date }>`select next_send_at as at from mailboxes where user_id = ${h.reps[0].id}`.execute(db)).rows[0].at;
    // One slot: the first email takes it, the second waits one interval.
    expect(await holdForMailboxSpacing(db, ids, t0)).toEqual([ids[1]]);
    expect(await nextSlot()).toEqual(new Date(t0.getTime() + 60_000));
    const waited = (await sql<{ send_after: Date }>`select send_after from emails where id = ${ids[1]}`.execute(db)).rows[0].send_after;
    expect(waited).toEqual(new Date(t0.getTime() + 60_000));
    // The first leaves 30 s later: the next slot is 60 s after that.
    const left = new Date(t0.getTime() + 30_000);
    expect(await recordSentAndMarkSending(db, [], [ids[0]], 'test-worker', left)).toEqual(new Set([ids[0]]));
    expect(await nextSlot()).toEqual(new Date(left.getTime() + 60_000));
  });
});
