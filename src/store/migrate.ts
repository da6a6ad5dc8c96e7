import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './database.ts';
import * as m0001 from './migrations/0001_initial_schema.ts';
import * as m0002 from './migrations/0002_sender_pipeline.ts';

/** Numbered, append-only: add a file and a line here, never edit a shipped one. */
const migrations: Record<string, Migration> = {
  '0001_initial_schema': m0001,
  '0002_sender_pipeline': m0002,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Applies pending migrations. Kysely's Migrator takes a row lock on its lock table
 * inside a transaction, so two processes starting together apply each migration once.
 */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider,
    migrationTableSchema: database.schema,
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    // The migrator looks for its table among the tables of every schema; a schema that
    // another client drops during that look fails it with "schema does not exist".
    // Nothing was applied then: look again.
    if (isSchemaGone(error) && !results?.length && attempt < 5) continue;
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, { cause: error });
  }
}

function isSchemaGone(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '3F000';
}
