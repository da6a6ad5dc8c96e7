import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * SMTP answers (issue 14):
 *
 * - `emails.first_failed_at`: when the first temporary failure of a send came (a 4xx,
 *   a refused connection, a timeout). Retries go on with back-off until a window
 *   (SEND_RETRY_HOURS, 72 h by default) has passed since then, not for a count of
 *   attempts: a provider's outage of an hour loses nothing.
 * - `mailboxes.next_send_at`: the earliest instant this mailbox may send again under
 *   its `min_interval_seconds`. A sender takes the slot with one atomic update (the
 *   row lock makes two workers see each other), so two sends of one mailbox are at
 *   least that far apart, whichever worker makes them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    alter table emails add column first_failed_at timestamptz;
    alter table mailboxes add column next_send_at timestamptz;
  `);
}
