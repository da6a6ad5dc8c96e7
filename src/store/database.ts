import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { DB } from './schema.ts';

export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;
/** Either the database or an open transaction: repositories take whichever they are given. */
export type Handle = Kysely<DB>;

export interface DatabaseConfig {
  /** PostgreSQL connection string; when absent the embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite data folder; undefined means in memory. */
  dataDir?: string;
  /** PostgreSQL schema to work in (tests use one per file). */
  schema?: string;
  poolSize?: number;
  /** An already open PGlite (tests clone a migrated template). */
  pglite?: PGlite;
}

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  schema: string;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const schema = config.schema ?? 'public';
  if (config.databaseUrl) {
    if (schema !== 'public') {
      // The schema must exist before connections put it first on their search path.
      const setup = new pg.Client({ connectionString: config.databaseUrl });
      await setup.connect();
      try {
        await setup.query(`create schema if not exists "${schema}"`);
      } finally {
        await setup.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: config.poolSize ?? 10,
      ...(schema !== 'public' ? { options: `-c search_path=${schema}` } : {}),
    });
    // A broken idle connection must not crash the process; the next checkout reconnects.
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', schema, close: () => db.destroy() };
  }
  const pglite = config.pglite ?? (config.dataDir ? new PGlite(config.dataDir) : new PGlite());
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', schema, close: () => db.destroy() };
}
