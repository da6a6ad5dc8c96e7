import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskQueuePage } from '../../src/store/task-queue.repository.ts';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, advance, createCadence, createLead, enrollOne, expectError, expectFieldError } from './helpers.ts';

/**
 * A rep's working day through the API (issue 12): the queue's due buckets in each
 * owner's zone, hot leads first, what a row shows, and skip, snooze and reassign.
 * The harness starts on Monday 2 March 2026, 08:00 UTC: 03:00 in New York (rep 1),
 * 08:00 in London (rep 2).
 */
describe.each(BACKENDS)('a rep\u2019s day of tasks on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(backend); });
  afterAll(() => h.close());

  const tasksOf = async (query: string, token = h.adminToken) => {
    const res = await h.api('GET', `/api/tasks?${query}`, undefined, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as any[];
  };

  /** An open call of `owner` on `recordId`, due at `dueAt` (the bucket test needs exact instants). */
  async function insertTask(owner: string, recordId: string, dueAt: string, title: string): Promise<string> {
    const id = randomUUID();
    await sql`insert into tasks (id, record_id, owner_id, type, title, priority, due_at, status, created_at)
      values (${id}, ${recordId}, ${owner}, 'call', ${title}, 'normal', ${new Date(dueAt)}, 'open', ${h.clock.now()})`.execute(h.ctx.db);
    return id;
  }

  /** A call step after an email, enrolled now: the email goes at once and the call falls due. */
  async function callAfterEmail(email: string, owner: { id: string }, extra: Record<string, unknown> = {}) {
    const lead = await createLead(h, { email, firstName: 'Ada', lastName: 'Lovelace', company: 'Acme', phone: '+1 555 0100', ownerId: owner.id, timezone: 'America/Chicago' });
    const cadence = await createCadence(h, {
      name: `Day ${email}`, schedule: ALWAYS_OPEN, ...extra,
      steps: [{ type: 'email', subject: 'Hello', body: 'Hi' }, { type: 'call', title: 'Call {{lead.firstName}}' }],
    });
    const enrollmentId = await enrollOne(h, cadence.id, lead.id);
    await advance(h, 'PT1M');
    const [task] = await tasksOf(`status=open&enrollmentId=${enrollmentId}`);
    const [sent] = (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items;
    return { lead, cadence, enrollmentId, task, sent };
  }

  it('buckets overdue, today and upcoming by calendar day in each owner\u2019s zone, else the organisation\u2019s', async () => {
    const [ny, london] = h.reps;
    const lead = await createLead(h, { email: 'buckets@example.com', ownerId: ny.id });
    // Sunday 21:00 in New York, Monday 02:00 in London.
    const early = '2026-03-02T02:00:00.000Z';
    // Monday 21:00 in New York, Tuesday 02:00 in London.
    const late = '2026-03-03T02:00:00.000Z';
    const ids: Record<string, string> = {};
    for (const [who, rep] of [['ny', ny], ['london', london]] as const) {
      ids[`${who}-early`] = await insertTask(rep.id, lead.id, early, `${who} early`);
      ids[`${who}-late`] = await insertTask(rep.id, lead.id, late, `${who} late`);
    }
    const titles = async (query: string, token?: string) => (await tasksOf(query, token)).filter((t) => t.recordId === lead.id).map((t) => t.title);

    expect(await titles('due=overdue', ny.token)).toEqual(['ny early']);
    expect(await titles('due=today', ny.token)).toEqual(['ny late']);
    expect(await titles('due=upcoming', ny.token)).toEqual([]);
    expect(await titles('due=overdue', london.token)).toEqual([]);
    expect(await titles('due=today', london.token)).toEqual(['london early']);
    expect(await titles('due=upcoming', london.token)).toEqual(['london late']);
    // An admin sees each task bucketed in its owner's zone, or one owner's with ownerId.
    expect(await titles('due=today')).toEqual(['london early', 'ny late']);
    expect(await titles(`due=today&ownerId=${london.id}`)).toEqual(['london early']);

    // An owner without a zone: the organisation's (Tokyo, UTC+9: Monday 17:00 there).
    expect((await h.api('PATCH', '/api/organization', { timezone: 'Asia/Tokyo' })).status).toBe(200);
    const sundayUtc = await insertTask(h.admin.id, lead.id, '2026-03-01T16:00:00.000Z', 'admin Monday 01:00 Tokyo');
    expect((await tasksOf(`due=today&ownerId=${h.admin.id}`)).map((t) => t.id)).toEqual([sundayUtc]);
    expect(await tasksOf(`due=overdue&ownerId=${h.admin.id}`)).toEqual([]);
    expect((await h.api('PATCH', '/api/organization', { timezone: 'UTC' })).status).toBe(200);
    expect((await tasksOf(`due=overdue&ownerId=${h.admin.id}`)).map((t) => t.id)).toEqual([sundayUtc]);
    await sql`delete from tasks where record_id = ${lead.id}`.execute(h.ctx.db);

    for (const [field, value] of [['due', 'yesterday'], ['sort', 'random']]) {
      const res = await h.api('GET', `/api/tasks?${field}=${value}`, undefined, ny.token);
      expectError(res, 400, 'invalid_request');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([`querystring.${field}`]);
    }
  });

  it('shows each row\u2019s lead, cadence and step, and puts a lead that clicked first with its reason', async () => {
    const rep = h.reps[0];
    const cold = await callAfterEmail('cold@example.com', rep);
    const warm = await callAfterEmail('warm@example.com', rep);
    expect(Date.parse(warm.task.dueAt)).toBeGreaterThan(Date.parse(cold.task.dueAt));
    const mine = (items: any[]) => items.filter((t) => [cold.task.id, warm.task.id].includes(t.id)).map((t) => t.id);

    const [row] = (await tasksOf(`enrollmentId=${cold.enrollmentId}`, rep.token));
    expect(row).toMatchObject({
      id: cold.task.id, type: 'call', title: 'Call Ada', status: 'open', ownerId: rep.id, recordId: cold.lead.id, enrollmentId: cold.enrollmentId,
      lead: { id: cold.lead.id, name: 'Ada Lovelace', email: 'cold@example.com', company: 'Acme', phone: '+1 555 0100', timezone: 'America/Chicago' },
      cadence: { id: cold.cadence.id, name: 'Day cold@example.com' },
      stepId: cold.cadence.steps[1].id, stepIndex: 1, stepCount: 2, hot: false,
    });
    expect(row).not.toHaveProperty('hotReason');

    expect(mine(await tasksOf('status=open&sort=priority', rep.token))).toEqual([cold.task.id, warm.task.id]);
    const clickedAt = h.clock.now().toISOString();
    expect((await h.api('POST', '/api/signals', { type: 'clicked', messageId: warm.sent.messageId })).status).toBe(202);
    await advance(h, 'PT5M');
    const ranked = await tasksOf('status=open&sort=priority', rep.token);
    expect(mine(ranked)).toEqual([warm.task.id, cold.task.id]);
    // The reason and when it happened (the web app says "clicked 5 minutes ago"), in either order.
    expect(ranked.find((t) => t.id === warm.task.id)).toMatchObject({ hot: true, hotReason: 'clicked', hotAt: clickedAt });
    expect((await tasksOf('status=open&sort=due', rep.token)).find((t) => t.id === warm.task.id)).toMatchObject({ hotReason: 'clicked', hotAt: clickedAt });
    expect(ranked.find((t) => t.id === cold.task.id)).not.toHaveProperty('hotAt');
    // By due date the cold lead's older call still comes first.
    expect(mine(await tasksOf('status=open&sort=due', rep.token))).toEqual([cold.task.id, warm.task.id]);

    // A click keeps a lead hot for three days.
    await advance(h, 'P3DT1M');
    const later = await tasksOf('status=open&sort=priority', rep.token);
    expect(mine(later)).toEqual([cold.task.id, warm.task.id]);
    expect(later.find((t) => t.id === warm.task.id)).toMatchObject({ hot: false });
  });

  it('makes a lead hot for a reply or a boost, each with its reason, and not for a machine\u2019s click or a bare open', async () => {
    const rep = h.reps[1];
    const cold = await callAfterEmail('hot-cold@example.com', rep);
    // A reply that does not end the cadence leaves its call open, and hot.
    const replied = await callAfterEmail('hot-replied@example.com', rep, { exitOn: { onReply: false } });
    const boosted = await callAfterEmail('hot-boosted@example.com', rep, {
      boosts: [{ on: 'opened', stepIndex: 0, action: { type: 'task', title: 'Opened: look at it' } }],
    });
    const scanned = await callAfterEmail('hot-scanned@example.com', rep);
    const opened = await callAfterEmail('hot-opened@example.com', rep);
    const calls = [cold, replied, boosted, scanned, opened].map((x) => x.task.id);
    const ranked = async () => (await tasksOf('status=open&sort=priority', rep.token)).filter((t) => calls.includes(t.id));

    const signal = async (type: string, messageId: string) =>
      expect((await h.api('POST', '/api/signals', { type, messageId })).status).toBe(202);
    await signal('replied', replied.sent.messageId);
    await signal('opened', boosted.sent.messageId);
    await signal('opened', opened.sent.messageId);
    await signal('clicked', scanned.sent.messageId);
    // A link scanner's click (what the tracking route marks as a machine's) is no intent.
    await sql`update signals set machine = true where record_id = ${scanned.lead.id} and type = 'clicked'`.execute(h.ctx.db);
    await advance(h, 'PT5M');

    const rows = await ranked();
    expect(rows.slice(0, 2).map((t) => t.id).sort()).toEqual([replied.task.id, boosted.task.id].sort());
    expect(rows.find((t) => t.id === replied.task.id)).toMatchObject({ hot: true, hotReason: 'replied' });
    expect(rows.find((t) => t.id === boosted.task.id)).toMatchObject({ hot: true, hotReason: 'boost' });
    for (const quiet of [cold, scanned, opened]) {
      const row = rows.find((t) => t.id === quiet.task.id);
      expect(row, quiet.lead.email).toMatchObject({ hot: false });
      expect(row).not.toHaveProperty('hotReason');
    }
    // The rest keep their due order behind the hot ones.
    expect(rows.slice(2).map((t) => t.id)).toEqual([cold.task.id, scanned.task.id, opened.task.id]);
    // The tests after this one count this rep's open tasks.
    const leads = [cold, replied, boosted, scanned, opened].map((x) => x.lead.id);
    await sql`delete from tasks where record_id in (${sql.join(leads)})`.execute(h.ctx.db);
  });

  it('reads a page of a busy rep\u2019s day from the queue index', async () => {
    const rep = h.reps[1];
    const lead = await createLead(h, { email: 'busy@example.com', ownerId: rep.id });
    await sql`
      insert into tasks (id, record_id, owner_id, type, title, priority, due_at, status, created_at)
      select gen_random_uuid(), ${lead.id}, ${rep.id}, 'call', 'Call ' || g, 'normal', ${h.clock.now()}::timestamptz + (g % 96) * interval '1 hour', 'open', ${h.clock.now()}
      from generate_series(1, 5000) g`.execute(h.ctx.db);
    await sql`analyze tasks`.execute(h.ctx.db);
    for (const sort of ['priority', 'due'] as const) {
      const query = taskQueuePage({ status: 'open', due: 'today', sort, limit: 50, offset: 0 }, rep.id, h.clock.now());
      const plan = JSON.stringify((await sql`explain (format json) ${query}`.execute(h.ctx.db)).rows);
      expect(plan, sort).toContain('tasks_queue_idx');
      expect(plan, sort).not.toContain('Seq Scan on tasks');
    }
    const page = await tasksOf('status=open&due=today&sort=priority&limit=50', rep.token);
    expect(page).toHaveLength(50);
    expect(page.every((t) => t.lead.email === 'busy@example.com')).toBe(true);
    await sql`delete from tasks where record_id = ${lead.id}`.execute(h.ctx.db);
  });

  it('skips a call: the task is cancelled and skipped, the enrolment goes on as if the step was not done', async () => {
    const rep = h.reps[0];
    const lead = await createLead(h, { email: 'skip@example.com', firstName: 'Grace', ownerId: rep.id, timezone: 'UTC' });
    const cadence = await createCadence(h, {
      name: 'Skip', schedule: ALWAYS_OPEN,
      steps: [
        { type: 'call', title: 'Call' },
        { type: 'email', subject: 'Sorry I missed you', body: 'Hi', condition: { stepIndex: 0, is: 'not_completed' } },
      ],
    });
    const enrollmentId = await enrollOne(h, cadence.id, lead.id);
    await advance(h, 'PT1M');
    const [task] = await tasksOf(`status=open&enrollmentId=${enrollmentId}`, rep.token);

    expectError(await h.api('POST', `/api/tasks/${task.id}/skip`, {}, h.reps[1].token), 404, 'not_found');
    expectError(await h.api('POST', `/api/tasks/${randomUUID()}/skip`, {}, rep.token), 404, 'not_found');
    expectFieldError(await h.api('POST', `/api/tasks/${task.id}/skip`, { note: 5 }, rep.token), 'note');

    const skipped = await h.api('POST', `/api/tasks/${task.id}/skip`, { note: 'no number' }, rep.token);
    expect(skipped.status, JSON.stringify(skipped.body)).toBe(200);
    expect(skipped.body).toMatchObject({ id: task.id, status: 'cancelled', skipped: true, note: 'no number' });
    expect(skipped.body).not.toHaveProperty('outcome');
    expectError(await h.api('POST', `/api/tasks/${task.id}/skip`, {}, rep.token), 409, 'invalid_state');

    await advance(h, 'PT1M');
    const emails = (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items;
    expect(emails).toEqual([expect.objectContaining({ subject: 'Sorry I missed you', status: 'sent' })]);
  });

  it('snoozes to a later time only, and reassigns to a user of the organisation only', async () => {
    const [rep, other] = h.reps;
    const { task } = await callAfterEmail('snooze@example.com', rep);
    const now = h.clock.now().getTime();
    const until = new Date(now + 2 * 86_400_000).toISOString();

    expectFieldError(await h.api('POST', `/api/tasks/${task.id}/snooze`, { until: new Date(now - 60_000).toISOString() }, rep.token), 'until');
    expectFieldError(await h.api('POST', `/api/tasks/${task.id}/snooze`, { until: new Date(now + 400 * 86_400_000).toISOString() }, rep.token), 'until');
    expectFieldError(await h.api('POST', `/api/tasks/${task.id}/snooze`, { until: 'tomorrow' }, rep.token), 'until');
    expectError(await h.api('POST', `/api/tasks/${task.id}/snooze`, { until }, other.token), 404, 'not_found');
    expectError(await h.api('POST', `/api/tasks/not-a-task/snooze`, { until }, rep.token), 404, 'not_found');
    const snoozed = await h.api('POST', `/api/tasks/${task.id}/snooze`, { until }, rep.token);
    expect(snoozed.body).toMatchObject({ id: task.id, status: 'open', dueAt: until });
    expect((await tasksOf('due=upcoming', rep.token)).map((t) => t.id)).toContain(task.id);

    expectFieldError(await h.api('POST', `/api/tasks/${task.id}/reassign`, { ownerId: randomUUID() }, rep.token), 'ownerId');
    expectFieldError(await h.api('POST', `/api/tasks/${task.id}/reassign`, { ownerId: 'bob' }, rep.token), 'ownerId');
    expectError(await h.api('POST', `/api/tasks/${task.id}/reassign`, { ownerId: other.id }, other.token), 404, 'not_found');
    const moved = await h.api('POST', `/api/tasks/${task.id}/reassign`, { ownerId: other.id }, rep.token);
    expect(moved.body).toMatchObject({ id: task.id, ownerId: other.id, status: 'open' });
    expect((await tasksOf('status=open', other.token)).map((t) => t.id)).toContain(task.id);
    expectError(await h.api('POST', `/api/tasks/${task.id}/snooze`, { until }, rep.token), 404, 'not_found');
    // An admin moves anyone's task.
    expect((await h.api('POST', `/api/tasks/${task.id}/reassign`, { ownerId: rep.id })).body.ownerId).toBe(rep.id);
  });

  it('takes a call outcome from the fixed set: meeting_booked exits on onMeeting, not_interested as the cadence says', async () => {
    const rep = h.reps[0];
    const booked = await callAfterEmail('booked@example.com', rep);
    expectFieldError(await h.api('POST', `/api/tasks/${booked.task.id}/complete`, { outcome: 'maybe_later' }, rep.token), 'outcome');
    expect((await tasksOf(`enrollmentId=${booked.enrollmentId}`, rep.token))[0].status).toBe('open');
    const done = await h.api('POST', `/api/tasks/${booked.task.id}/complete`, { outcome: 'meeting_booked' }, rep.token);
    expect(done.body).toMatchObject({ status: 'completed', outcome: 'meeting_booked' });
    expect((await h.api('GET', `/api/enrollments/${booked.enrollmentId}`)).body).toMatchObject({ status: 'exited', exitReason: 'meeting_booked' });

    const refused = await callAfterEmail('refused@example.com', rep, { exitOn: { callOutcomes: ['not_interested'] } });
    await h.api('POST', `/api/tasks/${refused.task.id}/complete`, { outcome: 'not_interested' }, rep.token);
    expect((await h.api('GET', `/api/enrollments/${refused.enrollmentId}`)).body).toMatchObject({ status: 'exited', exitReason: 'call_outcome' });
  });
});
