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

/** Delivers composed messages over SMTP, one pool per server URL (mailboxes may name their own server). */
export class SmtpDelivery {
  private readonly pools = new Map<string, SmtpPool>();

  constructor(private readonly maxConnections = 5) {}

  /**
   * Sends one composed message (RFC 5322 bytes) as it is; a failure is a DeliveryError.
   * With a `gate`, the message leaves only once it opens (see SmtpPool.send); returns
   * whether it was sent.
   */
  async send(target: SmtpTarget, envelope: { from: string; to: string[] }, raw: Buffer, gate?: Promise<boolean>): Promise<boolean> {
    try {
      return await this.pool(target.smtpUrl).send(envelope, raw, gate);
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
