import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { sql, type Kysely, type Migration } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { applyMigrations, migrateToLatest } from '../../src/store/migrate.ts';
import { BACKENDS, type BackendName } from '../support/backends.ts';

/** A database with nothing in it: a new in-memory PGlite, or a new PostgreSQL schema. */
async function emptyDatabase(backend: BackendName): Promise<Database> {
  if (backend === 'pglite') return openDatabase({ pglite: new PGlite() });
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
