import { randomUUID } from 'node:crypto';
import type { KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bulkUpdateTasks } from '../../src/app/task-bulk.ts';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, advance, createCadence, createLead, enrollOne, expectError, expectFieldError } from './helpers.ts';

/**
 * Bulk skip and snooze of a rep's overdue tasks (POST /api/tasks/bulk): each id fails
 * alone, with its reason; the rest change in a few set-based statements, and skipped
 * steps move their enrolments on as a single skip does.
 */
describe.each(BACKENDS)('bulk task actions on %s', (backend) => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(backend); });
  afterEach(() => h.close());

  const ok = (res: { status: number; body: any }, status = 200) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  const task = async (id: string) => ok(await h.api('GET', '/api/tasks?limit=1000')).items.find((t: any) => t.id === id);

  /** `n` leads of `owner` in a call-then-"sorry" cadence; their calls open, then overdue two days later. */
  async function overdueCalls(n: number, owner = h.reps[0]) {
    const cadence = await createCadence(h, {
      name: `Calls ${randomUUID()}`, schedule: ALWAYS_OPEN,
      steps: [{ type: 'call', title: 'Call' }, { type: 'email', subject: 'Sorry I missed you', body: 'Hi', condition: { stepIndex: 0, is: 'not_completed' } }],
    });
    const enrollments: string[] = [];
    for (let i = 0; i < n; i++) {
      const lead = await createLead(h, { email: `bulk-${randomUUID()}@example.com`, ownerId: owner.id, timezone: 'UTC' });
      enrollments.push(await enrollOne(h, cadence.id, lead.id));
    }
    await advance(h, 'PT1M');
    const tasks = ok(await h.api('GET', `/api/tasks?status=open&limit=1000`, undefined, owner.token)).items
      .filter((t: any) => enrollments.includes(t.enrollmentId));
    expect(tasks).toHaveLength(n);
    return { enrollments, ids: enrollments.map((e) => tasks.find((t: any) => t.enrollmentId === e).id as string) };
  }

  it('skips what it may and says why for the rest; the skipped steps move their enrolments on', async () => {
    const rep = h.reps[0];
    const mine = await overdueCalls(3);
    const theirs = await overdueCalls(1, h.reps[1]);
    ok(await h.api('POST', `/api/tasks/${mine.ids[2]}/complete`, { outcome: 'connected' }, rep.token));
    await advance(h, 'P2D');
    const overdue = ok(await h.api('GET', '/api/tasks?status=open&due=overdue', undefined, rep.token)).items.map((t: any) => t.id);
    expect(overdue).toEqual(expect.arrayContaining(mine.ids.slice(0, 2)));

    const unknown = randomUUID();
    const result = ok(await h.api('POST', '/api/tasks/bulk', {
      action: 'skip', note: 'no time this week',
      ids: [mine.ids[0], theirs.ids[0], mine.ids[2], unknown, 'not-a-task', mine.ids[1], mine.ids[0]],
    }, rep.token));
    expect(result).toEqual({
      updated: [mine.ids[0], mine.ids[1]],
      failed: [
        { id: theirs.ids[0], reason: 'not found' },
        { id: mine.ids[2], reason: 'already completed' },
        { id: unknown, reason: 'not found' },
        { id: 'not-a-task', reason: 'not found' },
      ],
    });
    for (const id of mine.ids.slice(0, 2)) expect(await task(id)).toMatchObject({ status: 'cancelled', skipped: true, note: 'no time this week' });
    expect(await task(theirs.ids[0])).toMatchObject({ status: 'open' });
    // Skipped, not completed: each enrolment goes on to its "sorry" email at once.
    await advance(h, 'PT1M');
    for (const e of mine.enrollments.slice(0, 2)) {
      const emails = ok(await h.api('GET', `/api/emails?enrollmentId=${e}`)).items;
      expect(emails.map((m: any) => [m.subject, m.status])).toEqual([['Sorry I missed you', 'sent']]);
    }
    expect(ok(await h.api('GET', `/api/emails?enrollmentId=${mine.enrollments[2]}`)).items).toEqual([]);
    // The admin acts on anyone's.
    expect(ok(await h.api('POST', '/api/tasks/bulk', { action: 'skip', ids: [theirs.ids[0]] })).updated).toEqual([theirs.ids[0]]);
  });

  it('snoozes to a later time: the tasks leave the overdue list for the day given', async () => {
    const rep = h.reps[0];
    const { ids } = await overdueCalls(3);
    ok(await h.api('POST', `/api/tasks/${ids[2]}/skip`, {}, rep.token));
    await advance(h, 'P2D');
    const until = new Date(h.clock.now().getTime() + 3 * 86_400_000).toISOString();
    const result = ok(await h.api('POST', '/api/tasks/bulk', { action: 'snooze', until, ids }, rep.token));
    expect(result).toEqual({ updated: ids.slice(0, 2), failed: [{ id: ids[2], reason: 'already cancelled' }] });
    for (const id of ids.slice(0, 2)) expect(await task(id)).toMatchObject({ status: 'open', dueAt: until });
    const overdue = ok(await h.api('GET', '/api/tasks?status=open&due=overdue', undefined, rep.token)).items.map((t: any) => t.id);
    expect(overdue.filter((id: string) => ids.includes(id))).toEqual([]);
    const upcoming = ok(await h.api('GET', '/api/tasks?status=open&due=upcoming', undefined, rep.token)).items.map((t: any) => t.id);
    expect(upcoming).toEqual(expect.arrayContaining(ids.slice(0, 2)));
  });

  it('refuses bad input as a whole, naming the field, and changes nothing', async () => {
    const rep = h.reps[0];
    const { ids } = await overdueCalls(1);
    const now = h.clock.now().getTime();
    const later = new Date(now + 86_400_000).toISOString();
    const cases: Array<[unknown, string]> = [
      [{ action: 'delete', ids }, 'action'],
      [{ ids }, 'action'],
      [{ action: 'skip', ids: [] }, 'ids'],
      [{ action: 'skip', ids: Array.from({ length: 1001 }, () => randomUUID()) }, 'ids'],
      [{ action: 'skip', ids: ids[0] }, 'ids'],
      [{ action: 'skip', ids: [42] }, 'ids'],
      [{ action: 'skip', ids, until: later }, 'until'],
      [{ action: 'skip', ids, note: 'x'.repeat(10_001) }, 'note'],
      [{ action: 'snooze', ids }, 'until'],
      [{ action: 'snooze', ids, until: 'tomorrow' }, 'until'],
      [{ action: 'snooze', ids, until: new Date(now - 60_000).toISOString() }, 'until'],
      [{ action: 'snooze', ids, until: new Date(now + 400 * 86_400_000).toISOString() }, 'until'],
      [{ action: 'snooze', ids, until: later, note: 'why' }, 'note'],
    ];
    for (const [body, field] of cases) expectFieldError(await h.api('POST', '/api/tasks/bulk', body, rep.token), field);
    expectError(await h.api('POST', '/api/tasks/bulk', { action: 'skip', ids }, null), 401, 'unauthorized');
    expect(await task(ids[0])).toMatchObject({ status: 'open' });
  });

  it('takes as many statements for thirty tasks as for two', async () => {
    const rep = { id: h.reps[0].id, role: 'rep' as const, name: 'Rep 1', email: 'rep1@example.com' };
    const few = await overdueCalls(2);
    const many = await overdueCalls(30);
    const statementsFor = async (ids: string[]) => {
      let statements = 0;
      const counting: KyselyPlugin = { transformQuery: (a) => { statements++; return a.node; }, transformResult: async (a) => a.result };
      const ctx = { ...h.ctx, db: h.ctx.db.withPlugin(counting) };
      const result = await bulkUpdateTasks(ctx, rep, { action: 'skip', ids });
      expect(result.updated).toEqual(ids);
      return statements;
    };
    expect(await statementsFor(many.ids)).toBe(await statementsFor(few.ids));
  });
});
