import { Readable } from 'node:stream';
import SMTPConnection, { type SMTPConnectionOptions } from 'nodemailer/lib/smtp-connection';
import { xoauth2Response } from './oauth.ts';

export interface SmtpPoolOptions extends SMTPConnectionOptions {
  /** Most connections open at once. */
  maxConnections: number;
  /** A connection is closed after this many messages and a fresh one opened (nodemailer's pool default). */
  maxMessages?: number;
  auth?: { user: string; pass: string };
  /**
   * Signs in by XOAUTH2 instead (OAuth mailboxes): asked for an access token at each
   * new connection, and again with `renew` when the server refuses the one given.
   */
  xoauth2?: { user: string; accessToken: (renew: boolean) => Promise<string> };
}

/** How a send went wrong, with what the pool knows that the error alone does not tell. */
export class SmtpSendError extends Error {
  constructor(
    readonly error: unknown,
    /** Whether any byte of the message left: only then can the server have it. */
    readonly messageStarted: boolean,
    /** The failure came while opening the session (connect, TLS, greeting, login). */
    readonly inSession: boolean,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

const OPEN = Promise.resolve(true);

/**
 * The message as the session reads it: its bytes are handed over only once the gate
 * opens, and the stream fails (ending the conversation) if the gate closes.
 */
class GatedMessage extends Readable {
  /** Whether any byte of the message was handed to the session: only then can the server have it. */
  started = false;
  withheld = false;
  private wanted = false;
  private open = false;

  constructor(private readonly raw: Buffer, gate: Promise<boolean>) {
    super();
    void gate.then((open) => {
      if (!open) {
        this.withheld = true;
        this.destroy(new Error('withheld: the message was not cleared to leave'));
        return;
      }
      this.open = true;
      this.flush();
    });
  }

  override _read(): void {
    this.wanted = true;
    this.flush();
  }

  private flush(): void {
    if (!this.open || !this.wanted || this.started) return;
    this.started = true;
    this.push(this.raw);
    this.push(null);
  }
}

interface Connection {
  smtp: SMTPConnection;
  messages: number;
  closed: boolean;
}

/**
 * Composed messages to one SMTP server over at most `maxConnections` kept-open
 * connections, on nodemailer's SMTPConnection. nodemailer's own pool takes mail
 * options or wraps raw bytes in a new MIME node and stream for each message; the
 * sender composes each message once, so it hands the bytes straight to the session.
 */
export class SmtpPool {
  private readonly idle: Connection[] = [];
  private readonly waiting: Array<() => void> = [];
  private open = 0;
  private closed = false;

  constructor(private readonly options: SmtpPoolOptions) {}

  /**
   * Sends one message; a failure is an SmtpSendError that says how far it got.
   *
   * `gate` lets the envelope (MAIL FROM, RCPT TO, DATA) go ahead while the caller
   * records that the message is about to leave: the message itself is written only
   * once the gate opens (true). A gate that closes (false) ends the conversation before
   * a byte of the message left, and the send returns false: nothing was sent.
   */
  async send(envelope: { from: string; to: string[] }, raw: Buffer, gate: Promise<boolean> = OPEN): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const conn = await this.acquire();
      const reused = conn.messages > 0;
      const message = new GatedMessage(raw, gate);
      try {
        await new Promise<void>((resolve, reject) => conn.smtp.send(envelope, message, (err) => (err ? reject(err) : resolve())));
        conn.messages++;
        this.release(conn);
        return true;
      } catch (e) {
        const refused = typeof (e as { responseCode?: unknown }).responseCode === 'number';
        if (refused && (e as { responseCode: number }).responseCode !== 421 && !conn.closed) this.resetAndRelease(conn);
        else this.discard(conn);
        if (message.withheld) return false;
        // A kept-open connection the server dropped meanwhile: nothing of the message
        // left, so it goes once more over a fresh connection.
        if (reused && !message.started && !refused && attempt === 0) continue;
        throw new SmtpSendError(e, message.started, false);
      }
    }
  }

  close(): void {
    this.closed = true;
    for (const conn of this.idle.splice(0)) this.discard(conn, true);
    for (const wake of this.waiting.splice(0)) wake();
  }

  private async acquire(): Promise<Connection> {
    for (;;) {
      if (this.closed) throw new SmtpSendError(new Error('the SMTP pool is closed'), false, true);
      const conn = this.idle.pop();
      if (conn) return conn;
      if (this.open < this.options.maxConnections) return this.connect();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private async connect(): Promise<Connection> {
    this.open++;
    const smtp = new SMTPConnection(this.options);
    const conn: Connection = { smtp, messages: 0, closed: false };
    // Errors also reach the send callback; this listener keeps one on a kept-open
    // connection from throwing, and either way the connection is done for.
    smtp.on('error', () => this.discard(conn));
    smtp.once('end', () => this.discard(conn));
    try {
      await new Promise<void>((resolve, reject) => {
        smtp.once('error', reject);
        smtp.connect((err) => (err ? reject(err) : resolve()));
      });
      const { auth, xoauth2 } = this.options;
      if (xoauth2) {
        // Fetched before the login, so that a token endpoint's refusal is its own error, not an EAUTH.
        const first = await xoauth2.accessToken(false);
        const oauth2 = {
          getToken: (renew: boolean, done: (err: Error | null, token?: string) => void) => {
            if (!renew) return done(null, first);
            xoauth2.accessToken(true).then((token) => done(null, token), (err: Error) => done(err));
          },
          buildXOAuth2Token: (token: string) => xoauth2Response(xoauth2.user, token),
        };
        await new Promise<void>((resolve, reject) =>
          smtp.login({ user: xoauth2.user, method: 'XOAUTH2', oauth2 } as unknown as Parameters<SMTPConnection['login']>[0], (err) => (err ? reject(err) : resolve())));
      } else if (auth && smtp.allowsAuth) {
        await new Promise<void>((resolve, reject) => smtp.login(auth, (err) => (err ? reject(err) : resolve())));
      }
      return conn;
    } catch (e) {
      this.discard(conn);
      throw new SmtpSendError(e, false, true);
    }
  }

  private release(conn: Connection): void {
    if (conn.closed) return;
    if (this.closed || conn.messages >= (this.options.maxMessages ?? 100)) {
      this.discard(conn, true);
      return;
    }
    this.idle.push(conn);
    this.waiting.shift()?.();
  }

  /** The server refused one message; the session is fine once reset. */
  private resetAndRelease(conn: Connection): void {
    conn.smtp.reset((err) => (err ? this.discard(conn) : this.release(conn)));
  }

  private discard(conn: Connection, politely = false): void {
    if (conn.closed) return;
    conn.closed = true;
    this.open--;
    const at = this.idle.indexOf(conn);
    if (at >= 0) this.idle.splice(at, 1);
    if (politely) conn.smtp.quit();
    else conn.smtp.close();
    this.waiting.shift()?.();
  }
}
