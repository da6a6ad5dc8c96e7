import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Settings (issue 13):
 *
 * - `users.deactivated_at`: a deactivated user keeps its rows (leads, tasks, emails
 *   stay theirs for the record) but cannot sign in; its sessions and API tokens are
 *   deleted when it is deactivated, and the sign-in lookups refuse it besides.
 * - `user_invitations`: an admin invites a user by a link; only the token's SHA-256
 *   digest is stored, it expires, and accepting it marks it used (single use). A
 *   newer invitation for the same user replaces the older one.
 * - `sender_errors`: the last SMTP error of each sender, written where the sender
 *   records failed sends (and by a failed test email), shown with the mailbox health.
 * - two small partial indexes for that health: failed mail per sender, bounces by
 *   time (both rare rows), so that counting them reads only them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    alter table users add column deactivated_at timestamptz;
    create table user_invitations (
      token_hash text primary key,
      user_id uuid not null references users (id) on delete cascade,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index user_invitations_user_idx on user_invitations (user_id);
    create table sender_errors (
      user_id uuid primary key references users (id) on delete cascade,
      error text not null,
      at timestamptz not null
    );
    create index emails_sender_failed_idx on emails (sender_id, queued_at) where status = 'failed';
    create index signals_bounced_idx on signals (at) where type = 'bounced';
  `);
}
