import type { Handle } from './database.ts';
import type { MailboxRow } from './schema.ts';

/** The columns of a mailbox's DKIM key and OAuth grant (migration 0013). */
export const IDENTITY_COLUMNS = [
  'dkim_domain', 'dkim_selector', 'dkim_private_key', 'oauth_provider', 'oauth_client_id', 'oauth_client_secret', 'oauth_refresh_token',
] as const;
export type IdentityColumns = Pick<MailboxRow, (typeof IDENTITY_COLUMNS)[number]>;

/** What a mailbox signs and signs in with, as the sender needs it. */
export type MailboxCredentialsRow = Pick<MailboxRow, 'user_id' | 'from_email' | 'smtp_url'> & IdentityColumns;

/** The credentials of these senders' mailboxes, in one statement (senders without a mailbox are left out). */
export async function findMailboxCredentials(h: Handle, userIds: readonly string[]): Promise<MailboxCredentialsRow[]> {
  if (userIds.length === 0) return [];
  return h
    .selectFrom('mailboxes')
    .select(['user_id', 'from_email', 'smtp_url', ...IDENTITY_COLUMNS])
    .where('user_id', 'in', userIds)
    .execute();
}

/**
 * Stores the refresh token the provider rotated to, unless the mailbox's grant changed
 * meanwhile (an admin reconnected it): only the token that was used is replaced.
 */
export async function replaceRefreshToken(h: Handle, userId: string, used: string, rotated: string): Promise<boolean> {
  const res = await h
    .updateTable('mailboxes')
    .set({ oauth_refresh_token: rotated })
    .where('user_id', '=', userId)
    .where('oauth_refresh_token', '=', used)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
