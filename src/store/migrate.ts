import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import { errorText, type Database } from './database.ts';
import * as m0001 from './migrations/0001_initial_schema.ts';
import * as m0002 from './migrations/0002_sender_pipeline.ts';
import * as m0003 from './migrations/0003_enrollment_failure_reason.ts';
import * as m0004 from './migrations/0004_worker_leases.ts';
import * as m0005 from './migrations/0005_tasks_queue_index.ts';
import * as m0006 from './migrations/0006_sessions_and_passwords.ts';
import * as m0007 from './migrations/0007_recent_intents_index.ts';
import * as m0008 from './migrations/0008_timeline_and_manual_email.ts';
import * as m0009 from './migrations/0009_lead_search_and_unique_email.ts';
import * as m0010 from './migrations/0010_user_invitations_and_deactivation.ts';
import * as m0011 from './migrations/0011_send_retry_window_and_mailbox_spacing.ts';
import * as m0012 from './migrations/0012_inbound_failures.ts';
import * as m0013 from './migrations/0013_mailbox_dkim_and_oauth.ts';
import * as m0014 from './migrations/0014_inbound_seen.ts';
import * as m0015 from './migrations/0015_webhooks_and_integrations.ts';
import * as m0016 from './migrations/0016_webhook_outbox_triggers.ts';

/** Numbered, append-only: add a file and a line here, never edit a shipped one. */
const migrations: Record<string, Migration> = {
  '0001_initial_schema': m0001,
  '0002_sender_pipeline': m0002,
  '0003_enrollment_failure_reason': m0003,
  '0004_worker_leases': m0004,
  '0005_tasks_queue_index': m0005,
  '0006_sessions_and_passwords': m0006,
  '0007_recent_intents_index': m0007,
  '0008_timeline_and_manual_email': m0008,
  '0009_lead_search_and_unique_email': m0009,
  '0010_user_invitations_and_deactivation': m0010,
  '0011_send_retry_window_and_mailbox_spacing': m0011,
  '0012_inbound_failures': m0012,
  '0013_mailbox_dkim_and_oauth': m0013,
  '0014_inbound_seen': m0014,
  '0015_webhooks_and_integrations': m0015,
  '0016_webhook_outbox_triggers': m0016,
};

/**
 * Applies pending migrations, each in its own transaction: a failing migration rolls
 * back alone, and those before it stay applied and recorded. Each step is one
 * `migrateUp` of Kysely's Migrator, which holds a PostgreSQL advisory lock around its
 * transaction, so two processes starting together apply each migration once (the
 * second finds it recorded). Kysely's own migrateToLatest would run every pending
 * migration in one transaction.
 */
export async function migrateToLatest(database: Database): Promise<string[]> {
  return applyMigrations(database, migrations);
}

/** migrateToLatest over a given list (tests pass their own). */
export async function applyMigrations(database: Database, list: Record<string, Migration>): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => list };
  const migrator = new Migrator({ db: database.db, provider, migrationTableSchema: database.schema });
  const applied: string[] = [];
  for (let attempt = 1; ; ) {
    const { error, results } = await migrator.migrateUp();
    if (!error) {
      if (!results?.length) return applied;
      applied.push(...results.map((r) => r.migrationName));
      continue;
    }
    // The migrator looks for its table among the tables of every schema; a schema that
    // another client drops or migrates during that look fails it ("schema does not
    // exist", "column does not exist" from pg_get_serial_sequence). Nothing was applied
    // then: look again.
    if (isRaceWithAnotherSchema(error) && !results?.length && attempt++ < 5) continue;
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(
      failed ? `migration ${failed.migrationName} failed: ${errorText(error)}` : `cannot migrate the database: ${errorText(error)}`,
      { cause: error },
    );
  }
}

/** invalid_schema_name, undefined_column, undefined_table: another schema changed under the look. */
const RACE_CODES = new Set(['3F000', '42703', '42P01']);

function isRaceWithAnotherSchema(error: unknown): boolean {
  return RACE_CODES.has((error as { code?: string } | null)?.code ?? '');
}
