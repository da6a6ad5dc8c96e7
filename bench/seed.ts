import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { systemClock } from '../src/app/clock.ts';
import { createCadence, transitionCadence } from '../src/app/cadences.ts';
import { createContext, type AppContext } from '../src/app/context.ts';
import { createUser, putMailbox } from '../src/app/users.ts';
import type { CadenceInput } from '../src/domain/cadence.ts';
import { openDatabase, type Database } from '../src/store/database.ts';
import { migrateToLatest } from '../src/store/migrate.ts';

export const ALWAYS = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' };

export interface Workspace {
  database: Database;
  ctx: AppContext;
  schema: string;
  repId: string;
  cadenceId: string;
  firstStepId: string;
  drop(): Promise<void>;
}

/** A fresh schema on PostgreSQL (or an in-memory PGlite), one rep, one active cadence. */
export async function workspace(
  backend: { url: string } | 'pglite',
  steps: CadenceInput['steps'],
  smtpUrl: string | null = null,
): Promise<Workspace> {
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const database = backend === 'pglite'
    ? await openDatabase({})
    : await openDatabase({ databaseUrl: backend.url, schema, poolSize: 8 });
  await migrateToLatest(database);
  const ctx = createContext(database.db, systemClock, { publicUrl: 'http://bench.test', smtpUrl });
  const admin = await createUser(ctx, { name: 'Admin', email: 'admin@bench.test', role: 'admin' });
  const actor = { id: admin.id, role: 'admin' as const, name: admin.name, email: admin.email };
  const rep = await createUser(ctx, { name: 'Rep', email: 'rep@bench.test', role: 'rep' });
  await putMailbox(ctx, actor, rep.id, { fromEmail: 'rep@bench.test', dailyLimit: 100_000, hourlyLimit: 100_000 });
  const cadence = await createCadence(ctx, actor, { name: 'Bench', schedule: ALWAYS, waitForTasks: false, steps });
  await transitionCadence(ctx, cadence.id, 'activate');
  return {
    database, ctx, schema, repId: rep.id, cadenceId: cadence.id, firstStepId: cadence.steps[0].id,
    async drop() {
      await database.close();
      if (backend === 'pglite') return;
      const c = new pg.Client({ connectionString: backend.url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** `n` leads of `ownerId` (the workspace's rep by default) and their enrolments, due at `dueAt`, in set-based statements. */
export async function seedEnrollments(w: Workspace, n: number, dueAt: Date, offset = 0, ownerId = w.repId): Promise<void> {
  const now = new Date();
  for (let i = 0; i < n; i += 100_000) {
    const count = Math.min(100_000, n - i);
    await sql`
      with l as (
        insert into leads (id, module, email, first_name, status, owner_id, fields, created_at, updated_at)
        select gen_random_uuid(), 'lead', 'b' || (${offset + i}::int + g) || '@bench.test', 'B' || g, 'New', ${ownerId}::uuid, '{}', ${now}, ${now}
        from generate_series(1, ${count}::int) g
        returning id)
      insert into enrollments (id, cadence_id, record_id, status, cadence_version, next_step_id, next_step_index, next_due_at, anchor_at, enrolled_at, started_at, updated_at)
      select gen_random_uuid(), ${w.cadenceId}::uuid, l.id, 'active', 1, ${w.firstStepId}, 0, ${dueAt}, ${now}, ${now}, ${now}, ${now}
      from l`.execute(w.database.db);
  }
  // As autovacuum would: statistics for the planner, visibility and hint bits set.
  await sql`vacuum analyze`.execute(w.database.db);
}

export async function count(w: Workspace, query: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  return (await query.execute(w.database.db)).rows[0].n;
}
