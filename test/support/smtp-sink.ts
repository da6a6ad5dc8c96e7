import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo, Socket } from 'node:net';

/** How the sink treats mail to one recipient, to play a misbehaving server. */
export type SinkFault =
  | { reply: number; message: string } // refuse the recipient with this SMTP code
  | { reply: number; message: string; after: 'data' } // take the message, then refuse it with this code
  | 'drop-after-data' // take the whole message, then cut the line without an answer
  | 'drop-at-rcpt-once'; // cut the line at RCPT TO, before any of the message, once

/** The one account the sink accepts, for clients that log in. */
export const SINK_USER = { user: 'rep', pass: 's3cret pass' };

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** Who logged in for it, if anyone did. */
  user: string | null;
  raw: Buffer;
  parsed: ParsedMail;
  /** When it arrived, by the sink's clock (a test's manual clock, or the real time). */
  at: Date;
}

export interface SinkOptions {
  /**
   * Keep and parse each message (the default), for tests that read what arrived; off,
   * the sink only counts what it accepted, as a benchmark's receiver should: parsing
   * would take CPU from the senders it measures.
   */
  keep?: boolean;
  /** Whose time `at` records (default: the real time); a test passes its manual clock. */
  clock?: () => Date;
}

/** A real SMTP server on loopback that keeps what it receives. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Messages accepted since start, kept or not. */
  accepted = 0;
  /** Faults by recipient address; set and clear them between tests. */
  readonly faults = new Map<string, SinkFault>();
  private server: SMTPServer;
  private readonly sockets = new Map<number, Socket>();
  port = 0;
  /** Connections accepted since start. */
  connections = 0;
  private readonly dataWaiters = new Map<string, Array<() => void>>();

  /** Whose time `at` records; settable, for a sink shared by tests with clocks of their own. */
  clock: () => Date;

  constructor({ keep = true, clock = () => new Date() }: SinkOptions = {}) {
    this.clock = clock;
    this.server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true, // loopback only
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === SINK_USER.user && auth.password === SINK_USER.pass) return callback(null, { user: auth.username });
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onRcptTo: (address, session, callback) => {
        const fault = this.faults.get(address.address);
        if (fault === 'drop-at-rcpt-once') {
          this.faults.delete(address.address);
          this.sockets.get(session.remotePort)?.destroy();
          return;
        }
        if (fault && typeof fault === 'object' && !('after' in fault)) {
          return callback(Object.assign(new Error(fault.message), { responseCode: fault.reply }));
        }
        callback();
      },
      onData: (stream, session, callback) => {
        for (const r of session.envelope.rcptTo) {
          for (const resolve of this.dataWaiters.get(r.address) ?? []) resolve();
          this.dataWaiters.delete(r.address);
        }
        if (!keep) {
          stream.on('end', () => {
            this.accepted++;
            callback();
          });
          stream.resume();
          return;
        }
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks);
          if (session.envelope.rcptTo.some((r) => this.faults.get(r.address) === 'drop-after-data')) {
            this.sockets.get(session.remotePort)?.destroy();
            return;
          }
          const refusal = session.envelope.rcptTo.map((r) => this.faults.get(r.address)).find((f) => typeof f === 'object' && 'after' in f);
          if (refusal && typeof refusal === 'object') {
            return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.reply }));
          }
          const parsed = await simpleParser(raw);
          this.accepted++;
          this.received.push({
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            user: typeof session.user === 'string' ? session.user : null,
            raw,
            parsed,
            at: this.clock(),
          });
          callback();
        });
      },
    });
  }

  async start(): Promise<string> {
    // A client killed mid-conversation (the chaos test does that) resets its socket.
    this.server.on('error', () => {});
    this.server.server.on('connection', (socket: Socket) => {
      const port = socket.remotePort!;
      this.connections++;
      this.sockets.set(port, socket);
      socket.on('close', () => this.sockets.delete(port));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Resolves once the server has accepted DATA for a message to `address`: the envelope is done. */
  dataOpened(address: string): Promise<void> {
    return new Promise((resolve) => this.dataWaiters.set(address, [...(this.dataWaiters.get(address) ?? []), resolve]));
  }

  /** Cuts every open connection, as a server does with idle sessions. */
  dropConnections(): void {
    for (const socket of this.sockets.values()) socket.destroy();
  }

  /**
   * The server goes away, as in a provider's outage: open connections are cut and the
   * port refuses new ones until `up()`.
   */
  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.server.close(() => resolve()));
    this.dropConnections();
    await closed;
  }

  /** Back after `down()`, on the same port. */
  async up(): Promise<void> {
    await new Promise<void>((resolve) => this.server.server.listen(this.port, '127.0.0.1', () => resolve()));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
