import nodemailer, { type Transporter } from 'nodemailer';

/**
 * Why a send failed: `permanent` (the server said 5xx), `temporary` (4xx, or no
 * session could be opened: safe to retry), or `uncertain` (the line broke during
 * the conversation: the message may have arrived, so it must not be sent again).
 */
export class DeliveryError extends Error {
  constructor(message: string, readonly kind: 'permanent' | 'temporary' | 'uncertain') {
    super(message);
  }
}

// Failures that happen before a session exists: nothing of the message can have left.
const BEFORE_SESSION = /^(connect |getaddrinfo |queryA |Connection timeout|Greeting never received|Invalid greeting)/;
const BEFORE_SESSION_CODES = new Set(['EDNS', 'ETLS', 'EAUTH', 'ENOAUTH', 'EOAUTH2', 'EENVELOPE']);

/**
 * Sorts a nodemailer failure. A server answer decides by its code. A broken line is
 * `uncertain` unless it broke before a session opened: nodemailer reports a line cut
 * after the message data exactly as one cut after MAIL FROM ("Connection closed
 * unexpectedly", command CONN), so telling them apart is not possible and a resend
 * could deliver twice.
 */
export function classifySmtpError(e: unknown): DeliveryError {
  const error = (e ?? {}) as { responseCode?: number; message?: string; code?: string };
  const message = error.message ?? String(e);
  if (typeof error.responseCode === 'number') {
    return new DeliveryError(message, error.responseCode >= 500 ? 'permanent' : 'temporary');
  }
  const beforeSession = BEFORE_SESSION.test(message) || (error.code !== undefined && BEFORE_SESSION_CODES.has(error.code));
  return new DeliveryError(message, beforeSession ? 'temporary' : 'uncertain');
}

/**
 * Delivers messages over SMTP, one pooled nodemailer transport per
 * server URL (mailboxes may name their own server).
 */
export class SmtpDelivery {
  private readonly transports = new Map<string, Transporter>();

  constructor(private readonly maxConnections = 5) {}

  /** Sends one composed message (RFC 5322 bytes) as it is; a failure is a DeliveryError. */
  async send(smtpUrl: string, envelope: { from: string; to: string[] }, raw: Buffer): Promise<void> {
    try {
      await this.transport(smtpUrl).sendMail({ envelope, raw });
    } catch (e) {
      throw classifySmtpError(e);
    }
  }

  close(): void {
    for (const t of this.transports.values()) t.close();
    this.transports.clear();
  }

  private transport(url: string): Transporter {
    let t = this.transports.get(url);
    if (!t) {
      const parsed = new URL(url);
      t = nodemailer.createTransport({
        pool: true,
        maxConnections: this.maxConnections,
        host: parsed.hostname,
        port: Number(parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587)),
        secure: parsed.protocol === 'smtps:',
        auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
        // Local sinks and dev servers often offer STARTTLS with self-signed certificates.
        tls: { rejectUnauthorized: parsed.searchParams.get('tlsRejectUnauthorized') !== 'false' },
        ignoreTLS: parsed.searchParams.get('ignoreTLS') === 'true',
        connectionTimeout: 30_000,
        socketTimeout: 60_000,
      });
      this.transports.set(url, t);
    }
    return t;
  }
}
