import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { newPGlite, openDatabase, type Database } from '../../src/store/database.ts';
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
      const pglite = newPGlite();
      await migrateToLatest(await openDatabase({ pglite }));
      return pglite;
    })();
    return openDatabase({ pglite: (await (await template).clone()) as PGlite });
  }
  const url = process.env.DATABASE_URL!;
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const database = await openDatabase({ databaseUrl: url, schema, poolSize: 4 });
  await migrateToLatest(database);
  return {
    ...database,
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}
