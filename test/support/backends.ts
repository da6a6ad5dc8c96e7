import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

export type BackendName = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when DATABASE_URL is set (CI sets it). DESIGN §10. */
export const BACKENDS: BackendName[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

let template: Promise<PGlite> | undefined;

/** A fresh, migrated database: an in-memory PGlite, or a new schema on PostgreSQL. */
export async function freshDatabase(backend: BackendName): Promise<Database> {
  if (backend === 'pglite') {
    // Opening PGlite costs seconds; cloning a migrated template costs a fraction.
    template ??= (async () => {
      const pglite = new PGlite();
      await migrateToLatest(await openDatabase({ pglite }));
      return pglite;
    })();
    return openDatabase({ pglite: (await (await template).clone()) as PGlite });
  }
  const url = process.env.DATABASE_URL!;
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const database = await withSchemaLock(url, async (admin) => {
    await admin.query(`create schema ${schema}`);
    const opened = await openDatabase({ databaseUrl: url, schema, poolSize: 4 });
    await migrateToLatest(opened);
    return opened;
  });
  return {
    ...database,
    async close() {
      await database.close();
      await withSchemaLock(url, (admin) => admin.query(`drop schema ${schema} cascade`));
    },
  };
}

/**
 * Test files run in parallel, each in its own schema. Kysely's migrator lists the
 * tables of every schema, which fails if another file drops its schema at that
 * moment: creating, migrating and dropping take turns under an advisory lock.
 */
export async function withSchemaLock<T>(url: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(20261124)');
    return await fn(admin);
  } finally {
    await admin.end(); // ending the session releases the lock
  }
}
