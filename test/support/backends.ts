import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { newPGlite, openDatabase, type Database } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

export type BackendName = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when DATABASE_URL is set (CI sets it). DESIGN §10. */
export const BACKENDS: BackendName[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A migrated PGlite, and what a reused copy is reset to. */
interface Template {
  pglite: PGlite;
  /** Every table of the schema (the migrator's own excepted), and the rows the migrations seeded. */
  tables: string[];
  seeds: Array<{ table: string; columns: string[]; rows: unknown[] }>;
  shape: string;
}

let template: Promise<Template> | undefined;

/**
 * Copies of the template this process made, each lent to one open database at a time.
 * Opening PGlite (a clone of the template included) costs seconds; emptying the tables
 * of a copy a test has closed costs milliseconds, so copies are reused: a suite pays for
 * as many copies as it holds open at once, not one per test.
 */
const copies: Array<{ pglite: PGlite; lent: boolean }> = [];

async function makeTemplate(): Promise<Template> {
  const pglite = newPGlite();
  await migrateToLatest(await openDatabase({ pglite }));
  const { rows: tables } = await pglite.query<{ name: string }>(`select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_migration%' order by 1`);
  const seeds: Template['seeds'] = [];
  for (const { name } of tables) {
    const { rows } = await pglite.query(`select * from "${name}"`);
    if (rows.length === 0) continue;
    const { rows: columns } = await pglite.query<{ name: string }>(`select column_name as name from information_schema.columns
      where table_schema = 'public' and table_name = $1 and is_generated = 'NEVER' order by ordinal_position`, [name]);
    seeds.push({ table: name, columns: columns.map((c) => c.name), rows });
  }
  return { pglite, tables: tables.map((t) => t.name), seeds, shape: await shapeOf(pglite) };
}

/** The schema's tables, columns, constraints, indexes and triggers, as one digest: a test that altered it leaves a copy that is not reused. */
async function shapeOf(pglite: PGlite): Promise<string> {
  const { rows } = await pglite.query<{ shape: string }>(`select md5(concat_ws('|',
      (select string_agg(x, ',' order by x) from (select table_name || '.' || column_name || ':' || data_type || ':' || is_nullable
        || ':' || coalesce(column_default, '') as x from information_schema.columns where table_schema = 'public') c),
      (select string_agg(x, ',' order by x) from (select conname || ':' || pg_get_constraintdef(oid) as x
        from pg_constraint where connamespace = 'public'::regnamespace) k),
      (select string_agg(indexdef, ',' order by indexdef) from pg_indexes where schemaname = 'public'),
      (select string_agg(tgname::text, ',' order by tgname) from pg_trigger t join pg_class c on c.oid = t.tgrelid
        where c.relnamespace = 'public'::regnamespace and not t.tgisinternal))) as shape`);
  return rows[0].shape;
}

/** Empties a copy's tables and puts back the seeded rows; false when it cannot be reused. */
async function reset(pglite: PGlite, t: Template): Promise<boolean> {
  try {
    await pglite.exec('rollback'); // a test that failed inside a transaction
    await pglite.exec('discard all'); // its prepared statements, settings, advisory locks
    if ((await shapeOf(pglite)) !== t.shape) return false;
    await pglite.exec(`truncate ${t.tables.map((n) => `"${n}"`).join(', ')} restart identity cascade`);
    for (const seed of t.seeds) {
      const columns = seed.columns.map((c) => `"${c}"`).join(', ');
      await pglite.query(`insert into "${seed.table}" (${columns}) select ${columns} from json_populate_recordset(null::"${seed.table}", $1::json)`, [JSON.stringify(seed.rows)]);
    }
    return true;
  } catch {
    return false; // a copy a test closed or broke: a new one is made
  }
}

async function lendPGlite(): Promise<Database> {
  const t = await (template ??= makeTemplate());
  let copy = copies.find((c) => !c.lent && !c.pglite.closed);
  if (copy) {
    copy.lent = true;
    if (!(await reset(copy.pglite, t))) {
      copies.splice(copies.indexOf(copy), 1);
      await copy.pglite.close().catch(() => {});
      copy = undefined;
    }
  }
  if (!copy) {
    copy = { pglite: (await t.pglite.clone()) as PGlite, lent: true };
    copies.push(copy);
  }
  const lent = copy;
  // The Kysely dialect closes its client when destroyed: this one hands the copy back instead.
  const client = { query: lent.pglite.query.bind(lent.pglite), close: async () => { lent.lent = false; } } as unknown as PGlite;
  const database = await openDatabase({ pglite: client });
  return database;
}

/** A fresh, migrated database: an in-memory PGlite (see `copies`), or a new schema on PostgreSQL. */
export async function freshDatabase(backend: BackendName): Promise<Database> {
  if (backend === 'pglite') return lendPGlite();
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
