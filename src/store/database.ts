import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
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
  /** Who opens a PGlite folder (e.g. "cadenza serve"), for the message a second process gets. */
  owner?: string;
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
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // The server may end a connection while the pool has lent it out (a restart, an
    // admin's terminate): pg then emits 'error' on the client, which, unheard, would
    // crash the process. The next query on it fails instead, and the pool drops it.
    this.on('error', () => {});
  }

  // Typed loosely: pg's many overloads of query() cannot be restated one by one.
  override query(...args: unknown[]): never {
    const [text, values] = args;
    const name = typeof text === 'string' && args.length === 2 && Array.isArray(values) ? PREPARED.exec(text)?.[1] : undefined;
    const query = super.query as (...a: unknown[]) => never;
    return name ? query.call(this, { name, text, values }) : query.apply(this, args);
  }
}

/** A PGlite with the extensions the migrations use (pg_trgm for leads search); in memory without a folder. */
export function newPGlite(dataDir?: string): PGlite {
  return new PGlite({ dataDir, extensions: { pg_trgm } });
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const schema = config.schema ?? 'public';
  if (config.databaseUrl) return openPostgres(config.databaseUrl, schema, config.poolSize ?? 10);
  if (config.pglite || !config.dataDir) {
    const pglite = config.pglite ?? newPGlite();
    await pglite.waitReady;
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    return { db, kind: 'pglite', schema, close: () => db.destroy() };
  }
  // A data folder belongs to one process: take it before PGlite reads a byte of it.
  const lock = lockDataDir(config.dataDir, config.owner ?? 'cadenza');
  try {
    const pglite = newPGlite(config.dataDir);
    await pglite.waitReady;
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    return { db, kind: 'pglite', schema, close: () => db.destroy().finally(() => lock.release()) };
  } catch (e) {
    lock.release();
    throw e;
  }
}

async function openPostgres(databaseUrl: string, schema: string, poolSize: number): Promise<Database> {
  try {
    if (schema !== 'public') {
      // The schema must exist before connections put it first on their search path.
      const setup = new pg.Client({ connectionString: databaseUrl });
      await setup.connect();
      try {
        await setup.query(`create schema if not exists "${schema}"`);
      } finally {
        await setup.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: poolSize,
      Client: PreparingClient,
      ...(schema !== 'public' ? { options: `-c search_path=${schema}` } : {}),
    });
    // A broken idle connection must not crash the process; the next checkout reconnects.
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    // Connect now, so that an unreachable server fails here with one line saying where.
    await sql`select 1`.execute(db).catch(async (e: unknown) => {
      await db.destroy().catch(() => {});
      throw e;
    });
    return { db, kind: 'postgres', schema, close: () => db.destroy() };
  } catch (e) {
    // pg's own errors name neither the server nor, for a refused IPv4+IPv6 pair, the cause.
    throw new Error(`cannot connect to PostgreSQL at ${describeServer(databaseUrl)}: ${errorText(e)}`, { cause: e });
  }
}

/** Where a connection string points, without its credentials. */
export function describeServer(databaseUrl: string): string {
  try {
    const u = new URL(databaseUrl);
    return `${u.hostname || 'localhost'}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'DATABASE_URL (not a valid URL)';
  }
}

/** An error's text, also for an AggregateError (whose message is empty). */
export function errorText(e: unknown): string {
  if (e instanceof AggregateError && !e.message) return e.errors.map(errorText).join('; ');
  if (e instanceof Error) return e.message || (e as { code?: string }).code || e.name;
  return String(e);
}
