import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Why an enrolment failed (a step whose content could not be rendered for its record,
 * a row the database refused), for the API to show beside the `failed` status.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    alter table enrollments add column failure_reason text;
  `);
}
