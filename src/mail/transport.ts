import { signMessage } from './dkim.ts';
import type { CredentialsSource, SenderCredentials } from './mailbox-credentials.ts';
import { processOAuthTokens, type OAuthTokens } from './oauth.ts';
import { SmtpPool, SmtpSendError } from './smtp-pool.ts';

/**
 * Why a send failed: `permanent` (the server said 5xx), `temporary` (4xx, no session
 * could be opened, or the line broke before any of the message left: safe to retry),
 * or `uncertain` (the line broke once the message was under way: it may have arrived,
 * so it must not be sent again).
 */
export class DeliveryError extends Error {
  constructor(message: string, readonly kind: 'permanent' | 'temporary' | 'uncertain') {
    super(message);
  }
}

/**
 * Sorts a failed send. A failure while opening the session (connect, DNS, TLS,
 * greeting, login) left nothing with the server: retried. Otherwise a server answer
 * decides by its code. A broken line is `uncertain` once any byte of the message left,
 * since the server may have taken it (nodemailer reports a line cut after the message
 * data exactly as one cut before it), and retried when none did.
 */
export function classifySmtpError(e: SmtpSendError): DeliveryError {
  const responseCode = (e.error as { responseCode?: unknown } | null)?.responseCode;
  if (e.inSession) return new DeliveryError(e.message, 'temporary');
  if (typeof responseCode === 'number') return new DeliveryError(e.message, responseCode >= 500 ? 'permanent' : 'temporary');
  return new DeliveryError(e.message, e.messageStarted ? 'uncertain' : 'temporary');
}

/** Where one email goes: the SMTP server, and the user whose mailbox sends it (its credentials and signing). */
export interface SmtpTarget {
  smtpUrl: string;
  senderId: string | null;
}

/**
 * Delivers composed messages over SMTP, one pool per server URL (mailboxes may name
 * their own server), and one per OAuth mailbox (its sessions sign in as it). With a
 * credentials source, a sender's mail is DKIM-signed with its mailbox's key.
 */
export class SmtpDelivery {
  private readonly pools = new Map<string, SmtpPool>();
  /** The grant each OAuth mailbox's pool signs in with, as last read (a new refresh token is used at the next connection). */
  private readonly grants = new Map<string, NonNullable<SenderCredentials['oauth']>>();

  constructor(
    private readonly maxConnections = 5,
    private readonly credentials: CredentialsSource | null = null,
    private readonly tokens: OAuthTokens = processOAuthTokens,
  ) {}

  /**
   * Sends one composed message (RFC 5322 bytes), signed if its sender's mailbox has a
   * DKIM key; a failure is a DeliveryError. With a `gate`, the message leaves only
   * once it opens (see SmtpPool.send); returns whether it was sent.
   */
  async send(target: SmtpTarget, envelope: { from: string; to: string[] }, raw: Buffer, gate?: Promise<boolean>): Promise<boolean> {
    let message = raw;
    let pool: SmtpPool;
    try {
      const creds = target.senderId && this.credentials ? await this.credentials.get(target.senderId) : null;
      if (creds?.dkim) message = await signMessage(raw, creds.dkim);
      pool = creds?.oauth && target.senderId ? this.oauthPool(target.smtpUrl, target.senderId, creds.oauth) : this.pool(target.smtpUrl);
    } catch (e) {
      // Nothing left: the credentials could not be read, or the message not signed.
      throw new DeliveryError(`could not prepare the message for its mailbox: ${e instanceof Error ? e.message : String(e)}`, 'temporary');
    }
    try {
      return await pool.send(envelope, message, gate);
    } catch (e) {
      throw classifySmtpError(e instanceof SmtpSendError ? e : new SmtpSendError(e, true, false));
    }
  }

  close(): void {
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
  }

  private pool(url: string): SmtpPool {
    let pool = this.pools.get(url);
    if (!pool) {
      pool = new SmtpPool({ maxConnections: this.maxConnections, ...smtpServerOptions(url), connectionTimeout: 30_000, socketTimeout: 60_000 });
      this.pools.set(url, pool);
    }
    return pool;
  }

  /** A provider rotated the refresh token: used from now on, and stored for the other workers and restarts. */
  private async rotated(senderId: string, used: string, rotated: string): Promise<void> {
    const grant = this.grants.get(senderId);
    if (grant?.refreshToken === used) this.grants.set(senderId, { ...grant, refreshToken: rotated });
    await this.credentials?.rotated?.(senderId, used, rotated);
  }

  private oauthPool(url: string, senderId: string, grant: NonNullable<SenderCredentials['oauth']>): SmtpPool {
    this.grants.set(senderId, grant);
    const key = `oauth:${senderId}\u0000${url}`;
    let pool = this.pools.get(key);
    if (!pool) {
      const { auth: _password, ...server } = smtpServerOptions(url);
      const current = () => this.grants.get(senderId) ?? grant;
      pool = new SmtpPool({
        maxConnections: this.maxConnections, ...server, connectionTimeout: 30_000, socketTimeout: 60_000,
        xoauth2: {
          user: grant.user,
          accessToken: (renew) => {
            const used = current();
            return this.tokens.accessToken(senderId, used, this.credentials?.now() ?? new Date(), renew,
              (rotated) => this.rotated(senderId, used.refreshToken, rotated));
          },
        },
      });
      this.pools.set(key, pool);
    }
    return pool;
  }
}

/** Where and how to connect for an SMTP URL (smtp:// or smtps://, credentials, TLS options in its query). */
export function smtpServerOptions(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587)),
    secure: parsed.protocol === 'smtps:',
    auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
    // Local sinks and dev servers often offer STARTTLS with self-signed certificates.
    tls: { rejectUnauthorized: parsed.searchParams.get('tlsRejectUnauthorized') !== 'false' },
    ignoreTLS: parsed.searchParams.get('ignoreTLS') === 'true',
  };
}
