import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Issue 14: the Message-IDs a rep's mailbox has taken in. When a folder's UIDVALIDITY
 * changes (a server migration, a rebuilt index), the poller reads the last two weeks
 * again; a message it had already applied is then passed over, so no reply or bounce
 * counts twice. Rows older than 30 days are dropped as mailboxes are polled.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    create table inbound_seen (
      user_id uuid not null references users (id) on delete cascade,
      message_id text not null,
      at timestamptz not null,
      primary key (user_id, message_id)
    );
    create index inbound_seen_at_idx on inbound_seen (at);
  `);
}
