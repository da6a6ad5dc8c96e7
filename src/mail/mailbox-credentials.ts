import type { Clock } from '../app/clock.ts';
import type { Handle } from '../store/database.ts';
import { findMailboxCredentials, replaceRefreshToken, type MailboxCredentialsRow } from '../store/mailbox-credentials.repository.ts';
import type { DkimKey } from './dkim.ts';
import type { OAuthGrant } from './oauth.ts';

/** How a sender's mail is signed and how its mailbox signs in, beyond its SMTP URL. */
export interface SenderCredentials {
  dkim: DkimKey | null;
  /** With `user`, the address XOAUTH2 signs in as. */
  oauth: (OAuthGrant & { user: string }) | null;
}

export interface CredentialsSource {
  /** Null: the sender has no mailbox row (nothing to sign with, no OAuth). */
  get(senderId: string): Promise<SenderCredentials | null>;
  /** The clock access tokens are judged by. */
  now(): Date;
  /** Keeps the refresh token the provider rotated `used` to. */
  rotated?(senderId: string, used: string, rotated: string): Promise<void>;
}

/** A mailbox row's credentials; XOAUTH2 signs in as the user named in the SMTP URL, or the sending address. */
export function credentialsOf(row: MailboxCredentialsRow): SenderCredentials {
  const dkim = row.dkim_domain && row.dkim_selector && row.dkim_private_key
    ? { domain: row.dkim_domain, selector: row.dkim_selector, privateKey: row.dkim_private_key } : null;
  const oauth = row.oauth_provider && row.oauth_client_id && row.oauth_client_secret && row.oauth_refresh_token
    ? {
      provider: row.oauth_provider, clientId: row.oauth_client_id, clientSecret: row.oauth_client_secret,
      refreshToken: row.oauth_refresh_token, user: urlUser(row.smtp_url) ?? row.from_email,
    }
    : null;
  return { dkim, oauth };
}

function urlUser(url: string | null): string | null {
  try {
    return url && new URL(url).username ? decodeURIComponent(new URL(url).username) : null;
  } catch {
    return null;
  }
}

/**
 * Senders' credentials read from their mailboxes and kept for `ttlMs` (engine clock):
 * a changed key or grant is in use within a minute, and the senders whose credentials
 * are missed at the same moment are read together, in one statement.
 */
export class CachedMailboxCredentials implements CredentialsSource {
  private readonly cache = new Map<string, { value: SenderCredentials | null; until: number }>();
  private batch: { ids: Set<string>; loaded: Promise<Map<string, SenderCredentials>> } | null = null;

  constructor(private readonly db: Handle, private readonly clock: Clock, private readonly ttlMs = 60_000) {}

  now(): Date {
    return this.clock.now();
  }

  async rotated(senderId: string, used: string, rotated: string): Promise<void> {
    await replaceRefreshToken(this.db, senderId, used, rotated);
    this.cache.delete(senderId);
  }

  async get(senderId: string): Promise<SenderCredentials | null> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(senderId);
    if (hit && now < hit.until) return hit.value;
    const loaded = await this.load(senderId);
    const value = loaded.get(senderId) ?? null;
    this.cache.set(senderId, { value, until: now + this.ttlMs });
    return value;
  }

  /** Joins the batch being gathered this tick, or starts one read once the tick's callers have joined. */
  private load(senderId: string): Promise<Map<string, SenderCredentials>> {
    if (!this.batch) {
      const ids = new Set<string>();
      const loaded = Promise.resolve().then(async () => {
        this.batch = null;
        const rows = await findMailboxCredentials(this.db, [...ids]);
        return new Map(rows.map((r) => [r.user_id, credentialsOf(r)]));
      });
      this.batch = { ids, loaded };
    }
    this.batch.ids.add(senderId);
    return this.batch.loaded;
  }
}
