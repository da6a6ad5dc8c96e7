// OAuth 2.0 access tokens for mailboxes at Google Workspace and Microsoft 365, which
// take XOAUTH2 over SMTP and IMAP instead of passwords. A mailbox keeps a refresh token;
// the access token it is traded for lasts about an hour and is kept in this process's
// memory, renewed a few minutes before it ends (RFC 6749 §6).
import { createHash } from 'node:crypto';

export const OAUTH_PROVIDERS = ['google', 'microsoft'] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];

/** What a mailbox holds to get access tokens. */
export interface OAuthGrant {
  provider: OAuthProvider;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export const PROVIDER_NAMES: Record<OAuthProvider, string> = { google: 'Google', microsoft: 'Microsoft' };

const TOKEN_URLS: Record<OAuthProvider, string> = {
  google: 'https://oauth2.googleapis.com/token',
  microsoft: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
};

/** Microsoft issues a token for the scopes asked; Google keeps those of the original consent. */
const MICROSOFT_SCOPE = 'https://outlook.office.com/SMTP.Send https://outlook.office.com/IMAP.AccessAsUser.All offline_access';

/** An access token is renewed this long before it ends, so none expires mid-conversation. */
export const RENEW_BEFORE_MS = 5 * 60_000;
const TOKEN_REQUEST_TIMEOUT_MS = 15_000;

/**
 * The provider's token endpoint: OAUTH_TOKEN_URL_GOOGLE / OAUTH_TOKEN_URL_MICROSOFT
 * override it (tests answer on loopback; a proxy may stand in front of the provider).
 */
export function tokenUrl(provider: OAuthProvider, env: NodeJS.ProcessEnv = process.env): string {
  return env[`OAUTH_TOKEN_URL_${provider.toUpperCase()}`] || TOKEN_URLS[provider];
}

/** A token could not be had; `revoked`: the user or an admin withdrew consent, and only reconnecting helps. */
export class OAuthError extends Error {
  constructor(message: string, readonly revoked: boolean) {
    super(message);
    this.name = 'OAuthError';
  }
}

interface CachedToken {
  token: string;
  expiresAt: number;
  /** A new refresh token the provider handed back (Microsoft rotates them: RFC 6749 §6). */
  refreshToken?: string;
}

/** Keeps a rotated refresh token (the old one stops working once its own lifetime ends, 90 days at Microsoft). */
export type OnRotated = (refreshToken: string) => Promise<void> | void;

/**
 * Access tokens per mailbox, fetched on first use and renewed once within
 * RENEW_BEFORE_MS of their end. Callers asking at the same time share one request.
 * Time comes from the caller (the engine's clock).
 */
export class OAuthTokens {
  private readonly cache = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();
  /** Token requests made, for tests and metrics. */
  requests = 0;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /**
   * A valid access token for the mailbox `key` holding `grant`. `renew`: the server
   * refused the cached one, so a fresh one is fetched whatever its age.
   */
  async accessToken(key: string, grant: OAuthGrant, now: Date, renew = false, onRotated?: OnRotated): Promise<string> {
    const slot = `${key}\u0000${grantDigest(grant)}`; // a new grant never reuses the old grant's token
    const cached = this.cache.get(slot);
    if (cached && !renew && now.getTime() < cached.expiresAt - RENEW_BEFORE_MS) return cached.token;
    let request = this.pending.get(slot);
    if (!request) {
      request = this.fetchToken(grant, now)
        .then(async (fresh) => {
          // Best effort: the refresh token used still works for now, and the next renewal offers a new one again.
          if (fresh.refreshToken && fresh.refreshToken !== grant.refreshToken) await Promise.resolve(onRotated?.(fresh.refreshToken)).catch(() => {});
          return fresh;
        })
        .finally(() => this.pending.delete(slot));
      this.pending.set(slot, request);
    }
    try {
      const fresh = await request;
      this.cache.set(slot, fresh);
      return fresh.token;
    } catch (e) {
      this.cache.delete(slot);
      throw e;
    }
  }

  /** The server refused the mailbox's access token before its time: the next ask fetches a fresh one. */
  forget(key: string): void {
    for (const slot of this.cache.keys()) if (slot.startsWith(`${key}\u0000`)) this.cache.delete(slot);
  }

  private async fetchToken(grant: OAuthGrant, now: Date): Promise<CachedToken> {
    const provider = PROVIDER_NAMES[grant.provider];
    const url = tokenUrl(grant.provider, this.env);
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: grant.refreshToken,
      client_id: grant.clientId,
      client_secret: grant.clientSecret,
      ...(grant.provider === 'microsoft' ? { scope: MICROSOFT_SCOPE } : {}),
    });
    this.requests++;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
        signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
      });
    } catch (e) {
      throw new OAuthError(`could not reach ${provider}'s token endpoint to renew the mailbox's access: ${e instanceof Error ? e.message : String(e)}`, false);
    }
    const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; refresh_token?: unknown; error?: unknown; error_description?: unknown };
    if (!res.ok || typeof body.access_token !== 'string') {
      const code = typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
      // RFC 6749 §5.2: invalid_grant is a refresh token revoked, expired or issued to another client.
      if (code === 'invalid_grant') {
        throw new OAuthError(`${provider} revoked access (invalid_grant): reconnect the mailbox with a new OAuth consent`, true);
      }
      const said = typeof body.error_description === 'string' ? `: ${body.error_description.slice(0, 300)}` : '';
      throw new OAuthError(`${provider} refused to renew the mailbox's access token (${code})${said}`, code === 'invalid_client' || code === 'unauthorized_client');
    }
    // expires_in is RECOMMENDED, not required (RFC 6749 §5.1): without it, assume an hour.
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
    const rotated = typeof body.refresh_token === 'string' && body.refresh_token.length > 0 && body.refresh_token.length <= 4000 ? body.refresh_token : undefined;
    return { token: body.access_token, expiresAt: now.getTime() + seconds * 1000, ...(rotated ? { refreshToken: rotated } : {}) };
  }
}

function grantDigest(grant: OAuthGrant): string {
  return createHash('sha256').update(`${grant.provider}\u0000${grant.clientId}\u0000${grant.refreshToken}`).digest('base64url').slice(0, 16);
}

/** This process's access tokens: the sender's SMTP sessions and the IMAP poller share them. */
export const processOAuthTokens = new OAuthTokens();

/** The SASL XOAUTH2 initial response (Google's and Microsoft's XOAUTH2 mechanism). */
export function xoauth2Response(user: string, accessToken: string): string {
  return Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`, 'utf8').toString('base64');
}
