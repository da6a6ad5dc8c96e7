import { resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase } from '../support/backends.ts';

type Columns = Record<string, Record<string, 'null' | 'not null'>>;

/**
 * The tables and columns that src/store/schema.ts declares, read with the TypeScript
 * compiler: a column is nullable when the type a select returns admits null (the
 * first argument of ColumnType or Generated, else the type itself).
 */
function typeColumns(): Columns {
  const file = resolve(import.meta.dirname, '../../src/store/schema.ts');
  const program = ts.createProgram([file], {
    strict: true, noEmit: true, skipLibCheck: true, types: [],
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const db = checker.getExportsOfModule(moduleSymbol).find((s) => s.name === 'DB')!;
  const out: Columns = {};
  for (const table of checker.getDeclaredTypeOfSymbol(db).getProperties()) {
    out[table.name] = {};
    for (const column of checker.getTypeOfSymbol(table).getProperties()) {
      let type = checker.getTypeOfSymbol(column);
      const select = type.getProperty('__select__');
      if (select) type = checker.getTypeOfSymbol(select);
      const admitsNull = (type.isUnion() ? type.types : [type]).some((t) => t.flags & ts.TypeFlags.Null);
      out[table.name][column.name] = admitsNull ? 'null' : 'not null';
    }
  }
  return out;
}

/** The tables and columns that the migrations built (Kysely's own bookkeeping aside). */
async function databaseColumns(db: Kysely<any>): Promise<Columns> {
  const { rows } = await sql<{ table_name: string; column_name: string; is_nullable: 'YES' | 'NO' }>`
    select c.table_name, c.column_name, c.is_nullable
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' and c.table_name not like 'kysely\\_%'
    order by c.table_name, c.ordinal_position`.execute(db);
  const out: Columns = {};
  for (const r of rows) (out[r.table_name] ??= {})[r.column_name] = r.is_nullable === 'YES' ? 'null' : 'not null';
  return out;
}

const sorted = (c: Columns) =>
  Object.fromEntries(Object.keys(c).sort().map((t) => [t, Object.fromEntries(Object.keys(c[t]).sort().map((k) => [k, c[t][k]]))]));

describe('the table types in src/store/schema.ts', () => {
  const declared = sorted(typeColumns());

  describe.each(BACKENDS)('against the database the migrations build on %s', (backend) => {
    it('name every table and column, with its nullability, and nothing else', async () => {
      const database = await freshDatabase(backend);
      try {
        expect(sorted(await databaseColumns(database.db))).toEqual(declared);
      } finally {
        await database.close();
      }
    });

    it('and the comparison sees a column the types do not know, or one the database lacks', async () => {
      const database = await freshDatabase(backend);
      try {
        await sql`alter table leads add column surprise text`.execute(database.db);
        await sql`alter table users drop column timezone`.execute(database.db);
        await sql`alter table tasks alter column body set not null`.execute(database.db);
        const built = await databaseColumns(database.db);
        expect(built.leads.surprise).toBe('null');
        expect(declared.leads.surprise).toBeUndefined();
        expect(built.users.timezone).toBeUndefined();
        expect(built.tasks.body).not.toBe(declared.tasks.body);
        expect(sorted(built)).not.toEqual(declared);
      } finally {
        await database.close();
      }
    });
  });
});
