import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * The caps check counts each sender's mail of the last day at every send batch. Sent
 * mail is counted on emails_sender_sent_idx; this index counts the rest (still
 * `sending`, or `uncertain`) without a scan of the whole table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    create index emails_sender_in_doubt_idx on emails (sender_id, sending_at)
      where sent_at is null and status in ('sending', 'uncertain');
  `);
}
