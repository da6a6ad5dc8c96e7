import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Sign-in for the web app: a user may have a password (an scrypt hash with its salt
 * and parameters, see src/app/passwords.ts), and a browser holds a session whose
 * token is stored only as a SHA-256 digest. A removed user's sessions go with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    alter table users add column password_hash text;
    create table sessions (
      token_hash text primary key,
      user_id uuid not null references users (id) on delete cascade,
      created_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index sessions_user_idx on sessions (user_id);
  `);
}
