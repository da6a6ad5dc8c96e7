import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskPage } from '../../src/store/task.repository.ts';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';

/** A rep's queue when a bulk enrolment gave thousands of its tasks one due time. */
describe.each(BACKENDS)('a rep\u2019s long task queue on %s', (backend) => {
  let h: Harness;
  const N = 20_000;
  beforeAll(async () => {
    h = await startHarness(backend);
    const lead = await h.client.leads.create({ body: { email: 'queue@example.com', ownerId: h.reps[0].id } });
    const now = h.clock.now();
    for (const [owner, n] of [[h.reps[0].id, N], [h.reps[1].id, 2000]] as const) {
      await sql`
        insert into tasks (id, record_id, owner_id, type, title, priority, due_at, status, created_at)
        select gen_random_uuid(), ${lead.id}, ${owner}, 'call', 'Call ' || g, 'normal', ${now}, case when g % 10 = 0 then 'completed' else 'open' end, ${now}
        from generate_series(1, ${n}::int) g`.execute(h.ctx.db);
    }
    await sql`analyze tasks`.execute(h.ctx.db);
  });
  afterAll(() => h.close());

  it('pages through the rep\u2019s own open tasks in (due, id) order, without gaps or repeats', async () => {
    const rep = h.clientAs(h.reps[0].token);
    const page = async (offset: number) => (await rep.tasks.list({ query: { status: 'open', limit: 1000, offset } })).items;
    const seen = [...(await page(0)), ...(await page(1000))];
    expect(seen).toHaveLength(2000);
    expect(seen.every((t) => t.ownerId === h.reps[0].id && t.status === 'open')).toBe(true);
    expect(seen.map((t) => t.id)).toEqual(seen.map((t) => t.id).sort());
  });

  it('reads a page from the queue index in order instead of sorting every open task', async () => {
    const query = taskPage(h.ctx.db, { status: 'open', limit: 100, offset: 0 }, h.reps[0].id);
    const plan = JSON.stringify((await sql`explain (format json) ${query}`.execute(h.ctx.db)).rows);
    expect(plan).toContain('tasks_queue_idx');
    expect(plan).not.toMatch(/Sort/);
  });
});
