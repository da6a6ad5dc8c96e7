import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Issue 14: the IMAP poller skips only a message that cannot be parsed, and records it
 * here (the rest stop the pass and are retried from the same UID). A row keeps where the
 * message was (the mailbox's user, the folder's UIDVALIDITY and the message's UID), its
 * Message-ID when one could be read, why it failed, and its first bytes (at most 256 KB)
 * for a person to look at. The mailbox health counts them by user and time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    create table inbound_failures (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      uid_validity bigint not null,
      uid bigint not null,
      message_id text,
      error text not null,
      raw bytea not null,
      raw_size int not null,
      at timestamptz not null,
      unique (user_id, uid_validity, uid)
    );
    create index inbound_failures_user_at_idx on inbound_failures (user_id, at);
  `);
}
