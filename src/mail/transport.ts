import nodemailer, { type Transporter } from 'nodemailer';

export interface DeliveryResult {
  accepted: boolean;
  response: string;
}

/**
 * Why a send failed: `permanent` (the server said 5xx), `temporary` (4xx, or the
 * connection failed before the message was handed over: safe to retry), or
 * `uncertain` (the link broke after the message data went out: it may have arrived,
 * so it must not be sent again).
 */
export class DeliveryError extends Error {
  constructor(message: string, readonly kind: 'permanent' | 'temporary' | 'uncertain') {
    super(message);
  }
}

/**
 * Delivers raw RFC 5322 messages over SMTP, one pooled nodemailer transport per
 * server URL (mailboxes may name their own server).
 */
export class SmtpDelivery {
  private readonly transports = new Map<string, Transporter>();

  constructor(private readonly maxConnections = 5) {}

  async send(smtpUrl: string, envelope: { from: string; to: string[] }, raw: Buffer): Promise<DeliveryResult> {
    try {
      const info = await this.transport(smtpUrl).sendMail({ envelope, raw });
      return { accepted: (info.accepted?.length ?? 0) > 0, response: String(info.response ?? '') };
    } catch (e) {
      const error = e as { responseCode?: number; message?: string; command?: string };
      const message = error.message ?? String(e);
      if (typeof error.responseCode === 'number') {
        throw new DeliveryError(message, error.responseCode >= 500 ? 'permanent' : 'temporary');
      }
      const handedOver = error.command === 'DATA' || error.command === 'BDAT';
      throw new DeliveryError(message, handedOver ? 'uncertain' : 'temporary');
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
