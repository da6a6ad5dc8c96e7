import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { sql, type Kysely, type Migration } from 'kysely';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { newPGlite, openDatabase, type Database } from '../../src/store/database.ts';
import { applyMigrations, migrateToLatest } from '../../src/store/migrate.ts';
import { BACKENDS, type BackendName } from '../support/backends.ts';

/** A database with nothing in it: a new in-memory PGlite, or a new PostgreSQL schema. */
async function emptyDatabase(backend: BackendName): Promise<Database> {
  if (backend === 'pglite') return openDatabase({ pglite: newPGlite() });
  const url = process.env.DATABASE_URL!;
  const schema = `m_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const database = await openDatabase({ databaseUrl: url, schema, poolSize: 2 });
  return {
    ...database,
    async close() {
      await database.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

const tables = async (db: Kysely<any>) =>
  (await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = current_schema() order by 1`.execute(db))
    .rows.map((r) => r.t);

describe.each(BACKENDS)('upgrades on %s', (backend) => {
  it('each migration runs in its own transaction: a failing one rolls back alone and is named', async () => {
    const database = await emptyDatabase(backend);
    try {
      const list: Record<string, Migration> = {
        '0001_first': { up: (db) => db.schema.createTable('first').addColumn('id', 'integer').execute() },
        '0002_second': {
          up: async (db) => {
            await db.schema.createTable('second').addColumn('id', 'integer').execute();
            await sql`select 1 / 0`.execute(db);
          },
        },
      };
      await expect(applyMigrations(database, list)).rejects.toThrow(/^migration 0002_second failed: division by zero$/);
      expect(await tables(database.db)).toEqual(['first', 'kysely_migration', 'kysely_migration_lock']);
      const recorded = await database.db.selectFrom('kysely_migration' as any).select('name').execute();
      expect(recorded.map((r) => r.name)).toEqual(['0001_first']);
      // Fixed, it goes on from where it stopped.
      list['0002_second'] = { up: (db) => db.schema.createTable('second').addColumn('id', 'integer').execute() };
      expect(await applyMigrations(database, list)).toEqual(['0002_second']);
    } finally {
      await database.close();
    }
  });

  it.runIf(backend === 'postgres')('two processes starting together apply each migration once', async () => {
    const first = await emptyDatabase(backend);
    const second = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, schema: first.schema, poolSize: 2 });
    try {
      const [a, b] = await Promise.all([migrateToLatest(first), migrateToLatest(second)]);
      const all = await migrateToLatest(first);
      expect(all).toEqual([]);
      const recorded = await first.db.selectFrom('kysely_migration' as any).select('name').execute();
      expect([...a, ...b].sort()).toEqual(recorded.map((r) => r.name).sort());
    } finally {
      await second.close();
      await first.close();
    }
  });
});

/** Migrations 0001 up to (not including) `before`, read from src/store/migrations. */
async function migrationsBefore(before: string): Promise<Record<string, Migration>> {
  const dir = resolve(import.meta.dirname, '../../src/store/migrations');
  const names = readdirSync(dir).filter((f) => /^\d{4}_.*\.ts$/.test(f) && f < before).sort();
  const list: Record<string, Migration> = {};
  for (const f of names) list[f.replace(/\.ts$/, '')] = (await import(resolve(dir, f))) as Migration;
  return list;
}

describe.each(BACKENDS)('0009 on %s: one lead per email', (backend) => {
  it('merges leads sharing an email into the oldest, moving their history, and keeps the merged rows', async () => {
    const database = await emptyDatabase(backend);
    const db = database.db as Kysely<any>;
    try {
      await applyMigrations(database, await migrationsBefore('0009'));
      const t = (day: number) => new Date(Date.UTC(2026, 0, day));
      const [a, b, c, k, l] = [1, 2, 3, 4, 5].map((n) => `00000000-0000-4000-8000-00000000000${n}`);
      const lead = (id: string, email: string, day: number, extra: object) => ({
        id, module: 'lead', email, status: 'New', fields: '{}', created_at: t(day), updated_at: t(day), ...extra,
      });
      await db.insertInto('leads').values([
        lead(a, 'ann@example.com', 1, { company: 'Acme', fields: JSON.stringify({ a: 1 }) }),
        lead(b, 'ANN@Example.com', 2, { first_name: 'Ann', phone: '+1 555', unsubscribed: true, fields: JSON.stringify({ a: 2, b: 3 }) }),
        lead(c, 'bob@example.com', 3, {}),
      ]).execute();
      await db.insertInto('cadences').values([k, l].map((id) => ({ id, name: id, module: 'lead', status: 'active', version: 1, created_at: t(1), updated_at: t(1) }))).execute();
      const enrol = (id: string, cadence: string, record: string) => ({
        id, cadence_id: cadence, record_id: record, status: 'active', cadence_version: 1, enrolled_at: t(3), updated_at: t(3),
      });
      const [ea, ebk, ebl] = ['10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000003'];
      await db.insertInto('enrollments').values([enrol(ea, k, a), enrol(ebk, k, b), enrol(ebl, l, b)]).execute();
      await db.insertInto('tasks').values({
        id: '20000000-0000-4000-8000-000000000001', enrollment_id: ebk, record_id: b, type: 'call', title: 'Call Ann', due_at: t(4), status: 'open', created_at: t(3),
      }).execute();
      await db.insertInto('signals').values({ id: '30000000-0000-4000-8000-000000000001', type: 'replied', record_id: b, at: t(3) }).execute();

      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      await migrateToLatest(database);
      expect(warn.mock.calls.join(' ')).toMatch(/merged 1 lead/);
      warn.mockRestore();

      const leads = await db.selectFrom('leads').selectAll().orderBy('created_at').execute();
      expect(leads.map((r) => r.email)).toEqual(['ann@example.com', 'bob@example.com']);
      expect(leads[0]).toMatchObject({ id: a, first_name: 'Ann', company: 'Acme', phone: '+1 555', unsubscribed: true, fields: { a: 1, b: 3 } });
      const enrolments = await db.selectFrom('enrollments').select(['id', 'record_id', 'status', 'exit_reason']).orderBy('id').execute();
      expect(enrolments).toEqual([
        { id: ea, record_id: a, status: 'active', exit_reason: null },
        { id: ebk, record_id: a, status: 'exited', exit_reason: 'manual' },
        { id: ebl, record_id: a, status: 'active', exit_reason: null },
      ]);
      expect(await db.selectFrom('tasks').select(['record_id', 'status']).execute()).toEqual([{ record_id: a, status: 'cancelled' }]);
      expect(await db.selectFrom('signals').select('record_id').execute()).toEqual([{ record_id: a }]);
      const merges = await db.selectFrom('lead_merges').selectAll().execute();
      expect(merges).toMatchObject([{ merged_id: b, into_id: a, email: 'ANN@Example.com', record: { first_name: 'Ann', phone: '+1 555' } }]);
      const events = await db.selectFrom('record_events').select(['record_id', 'type', 'data']).execute();
      expect(events).toMatchObject([{ record_id: a, type: 'field_changed' }]);
      await expect(db.insertInto('leads').values(lead(l, 'Bob@EXAMPLE.com', 6, {})).execute()).rejects.toThrow(/leads_email_unique/);
      // The trigram index serves substring search.
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from leads
        where (coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || email || ' ' || coalesce(company, '')) ilike '%acm%'`.execute(db);
      expect(rows[0].n).toBe(1);
    } finally {
      await database.close();
    }
  });
});
