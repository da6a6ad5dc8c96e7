import type { Mailbox, User } from '../../contract/users.ts';
import type { MailboxRow, UserRow } from '../../store/schema.ts';

/** Users and mailboxes as the API answers them. */

export const toUser = (r: UserRow): User => ({
  id: r.id,
  name: r.name,
  email: r.email,
  role: r.role,
  timezone: r.timezone,
  createdAt: r.created_at.toISOString(),
  deactivatedAt: r.deactivated_at?.toISOString() ?? null,
});

/** Credentials in a mailbox URL are never shown back. */
export const redactUrl = (url: string | null) => (url ? url.replace(/\/\/([^@/]*)@/, '//***@') : null);

export const toMailbox = (r: MailboxRow): Mailbox => ({
  userId: r.user_id,
  fromEmail: r.from_email,
  fromName: r.from_name,
  smtpUrl: redactUrl(r.smtp_url),
  imapUrl: redactUrl(r.imap_url),
  dailyLimit: r.daily_limit,
  hourlyLimit: r.hourly_limit,
  minIntervalSeconds: r.min_interval_seconds,
  // Never the private key, the client secret or the refresh token.
  dkim: r.dkim_domain && r.dkim_selector ? { domain: r.dkim_domain, selector: r.dkim_selector, configured: true } : null,
  oauth: r.oauth_provider && r.oauth_client_id ? { provider: r.oauth_provider, clientId: r.oauth_client_id, configured: true } : null,
});
