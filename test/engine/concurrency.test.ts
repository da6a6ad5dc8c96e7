import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createContext } from '../../src/app/context.ts';
import { Engine, defaultEngineOptions } from '../../src/engine/engine.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { startHarness, type Harness } from '../support/harness.ts';

const ALWAYS = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' };

// Several workers need a shared server: this runs on PostgreSQL only.
describe.runIf(!!process.env.DATABASE_URL)('several engines on one PostgreSQL', () => {
  let h: Harness;
  const extra: Database[] = [];
  afterEach(async () => {
    for (const d of extra.splice(0)) await d.close();
    await h.close();
  });

  it('execute every due step exactly once and send every email once', async () => {
    h = await startHarness('postgres', new Date('2026-03-02T08:00:00Z'));
    const n = 600;
    const bulk = await h.api('POST', '/api/leads/bulk', {
      records: Array.from({ length: n }, (_, i) => ({ email: `p${i}@example.com`, ownerId: h.reps[i % 2].id })),
    });
    const cadence = await h.api('POST', '/api/cadences', {
      name: 'Race', schedule: ALWAYS, waitForTasks: false,
      steps: [{ type: 'task', title: 'T' }, { type: 'email', subject: 'S', body: 'B' }, { type: 'call', title: 'C' }],
    });
    await h.api('POST', `/api/cadences/${cadence.body.id}/activate`);
    const enrolled = await h.api('POST', `/api/cadences/${cadence.body.id}/enrollments`, { recordIds: bulk.body.created });
    expect(enrolled.body.enrolled).toHaveLength(n);

    const engines = [h.engine];
    for (let i = 0; i < 3; i++) {
      const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, schema: h.database.schema, poolSize: 3 });
      extra.push(db);
      const ctx = createContext(db.db, h.clock, h.ctx.config);
      engines.push(new Engine(ctx, { ...defaultEngineOptions(`w${i}`), batchSize: 50 }));
    }
    const now = h.clock.now();
    await Promise.all(engines.map((e) => e.drain(now)));
    await Promise.all(engines.map((e) => e.drain(now)));

    const count = async (q: ReturnType<typeof sql<{ n: number }>>) => (await q.execute(h.database.db)).rows[0].n;
    expect(await count(sql`select count(*)::int as n from step_executions`)).toBe(3 * n);
    expect(await count(sql`select count(*)::int as n from tasks`)).toBe(2 * n);
    expect(await count(sql`select count(*)::int as n from emails where status = 'sent'`)).toBe(n);
    expect(await count(sql`select count(*)::int as n from dev_outbox`)).toBe(n);
    expect(await count(sql`select count(*)::int as n from enrollments where status = 'completed'`)).toBe(n);
    for (const e of engines.slice(1)) await e.stop();
  });
});
