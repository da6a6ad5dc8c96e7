import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Sender identity (issue 14, part 6): a mailbox's DKIM key and OAuth grant, on its row.
 *
 * - `dkim_*`: the signing domain (d=), the selector (s=) and the PEM private key;
 *   every message the mailbox sends is signed with it.
 * - `oauth_*`: the provider (google, microsoft), the OAuth client and the user's
 *   refresh token, traded for short-lived access tokens (XOAUTH2 over SMTP and IMAP).
 *   Access tokens live in the worker's memory only: each lasts an hour at most.
 *
 * The private key, client secret and refresh token are never answered by the API.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    alter table mailboxes add column dkim_domain text;
    alter table mailboxes add column dkim_selector text;
    alter table mailboxes add column dkim_private_key text;
    alter table mailboxes add column oauth_provider text;
    alter table mailboxes add column oauth_client_id text;
    alter table mailboxes add column oauth_client_secret text;
    alter table mailboxes add column oauth_refresh_token text;
  `);
}
