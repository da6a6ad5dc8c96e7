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

// A hot statement opts in to a server-side prepared statement by starting with this
// comment: PostgreSQL then parses it once per connection and can reuse its plan. Only
// statements with a fixed result (no `select *`, no `returning *`) may opt in: a
// migration that adds a column would otherwise break the prepared statement.
const PREPARED = /^\s*\/\* prepared: ([\w-]+) \*\//;

/** A pg client that runs statements marked `/* prepared: name *\/` as named statements. */
class PreparingClient extends pg.Client {
  // Typed loosely: pg's many overloads of query() cannot be restated one by one.
  override query(...args: unknown[]): never {
    const [text, values] = args;
    const name = typeof text === 'string' && args.length === 2 && Array.isArray(values) ? PREPARED.exec(text)?.[1] : undefined;
    const query = super.query as (...a: unknown[]) => never;
    return name ? query.call(this, { name, text, values }) : query.apply(this, args);
  }
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
      Client: PreparingClient,
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
