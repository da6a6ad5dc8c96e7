import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { advanceEnrollments } from '../app/advance.ts';
import { exitPastEndDates } from '../app/exits.ts';
import { startPending } from '../app/throttle.ts';
import type { AppContext } from '../app/context.ts';
import { CachedMailboxCredentials } from '../mail/mailbox-credentials.ts';
import { SmtpDelivery } from '../mail/transport.ts';
import { claimDue, pauseForTimeOff, resumeDue } from '../store/enrollment.repository.ts';
import { endWorkerLease, renewWorkerLease } from '../store/worker-lease.repository.ts';
import { PassFailures } from './pass-failures.ts';
import { MailboxPoller, type PollerOptions } from './poller.ts';
import { Sender, type SenderOptions } from './sender.ts';

/** The most enrolments a batch claims after one that queued mail (see advanceDue). */
const BATCH_AFTER_MAIL = 200;

export interface EngineOptions {
  /** Enrolments claimed and advanced per transaction. */
  batchSize: number;
  pollIntervalMs: number;
  sender: SenderOptions;
  mailboxes: PollerOptions;
}

export interface PassResult {
  advanced: number;
  sent: number;
  recovered: number;
  received: number;
}

/**
 * A worker's name, unique to this start: a restarted worker (in a container, often the
 * same host name and pid) must not pass for the one that died, whose claims end with it.
 */
const workerName = () => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

export function defaultEngineOptions(workerId = workerName()): EngineOptions {
  return {
    batchSize: 1000,
    pollIntervalMs: 1000,
    // A 30 s lease, renewed every 10 s: the work of a worker that dies is taken over
    // within 30 s (and a pass), and a live one may miss two beats before it loses any.
    // The hand holds ten send batches, a few seconds of sending: what a worker that dies
    // holds up for a lease; more mail is queued for whichever worker is free. (With 50,000,
    // workers killed every second or two took over 15 minutes to drain 5,000 leads of the
    // chaos test; with 1,000, two and a half.)
    // Temporary failures are retried for three days: an outage of a provider, a blocklist
    // lifted, a greylisting server all lose nothing.
    sender: { workerId, batchSize: 100, leaseMs: 30_000, concurrency: 4, handLimit: 1_000, retryWindowMs: 72 * 3_600_000 },
    mailboxes: { intervalMs: 60_000, leaseMs: 5 * 60_000 },
  };
}

/** The tuning knobs an operator may set (README "Running at scale"). */
export function engineOptionsFromEnv(env: NodeJS.ProcessEnv, base = defaultEngineOptions()): EngineOptions {
  const int = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`${name} must be a whole number >= ${min}${max < Number.MAX_SAFE_INTEGER ? ` and <= ${max}` : ''}, not "${raw}"`);
    }
    return n;
  };
  return {
    ...base,
    batchSize: int('CADENZA_BATCH_SIZE', base.batchSize, 1),
    pollIntervalMs: int('CADENZA_POLL_MS', base.pollIntervalMs, 10),
    sender: {
      ...base.sender,
      batchSize: int('CADENZA_SEND_BATCH_SIZE', base.sender.batchSize, 1),
      concurrency: int('CADENZA_SEND_CONCURRENCY', base.sender.concurrency, 1),
      leaseMs: int('CADENZA_SEND_LEASE_SECONDS', base.sender.leaseMs / 1000, 1) * 1000,
      // At most 30 days: an email older than that is no longer the one the cadence meant to send.
      retryWindowMs: int('CADENZA_SEND_RETRY_HOURS', base.sender.retryWindowMs / 3_600_000, 1, 720) * 3_600_000,
    },
  };
}

/**
 * The worker: claims due enrolments in batches and advances them, then hands queued
 * mail to the sender. Any number of engines may share one PostgreSQL database.
 * `runOnce(now)` beside the loop lets tests and the manual clock drive it.
 */
export class Engine {
  private readonly sender: Sender;
  private readonly poller: MailboxPoller;
  private readonly delivery: SmtpDelivery;
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private passes: Promise<unknown> = Promise.resolve();
  private readonly failures: PassFailures;
  /** When (engine clock, ms) the lease was last renewed. */
  private renewedAt: number | null = null;
  private renewing: Promise<void> | null = null;
  /** A pass failed: what it held is settled before the next one goes on. */
  private unsettled = false;
  /** advanceDue calls running. */
  private advancing = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: EngineOptions = defaultEngineOptions(),
  ) {
    // Each sender's DKIM key and OAuth grant, read from its mailbox and kept a minute.
    this.delivery = new SmtpDelivery(opts.sender.concurrency, new CachedMailboxCredentials(ctx.db, ctx.clock));
    this.sender = new Sender(ctx, this.delivery, opts.sender);
    this.poller = new MailboxPoller(ctx, opts.mailboxes);
    this.failures = new PassFailures(ctx.log, opts.pollIntervalMs);
  }

  /**
   * Renews this worker's lease, and with it everything it holds (its hand, its sends in
   * flight): one statement, whatever it holds. Each pass renews it once a third of the
   * lease has passed; a running worker also renews it on a timer, as a pass can last
   * longer than the lease.
   */
  async keepAlive(now: Date = this.ctx.clock.now(), force = false): Promise<void> {
    const { leaseMs, workerId } = this.opts.sender;
    if (!force && this.renewedAt !== null && now.getTime() - this.renewedAt < leaseMs / 3) return;
    // One renewal out at a time: a slow database must not pile them up.
    this.renewing ??= renewWorkerLease(this.ctx.db, workerId, now, new Date(now.getTime() + leaseMs))
      .then(() => { this.renewedAt = now.getTime(); })
      .finally(() => { this.renewing = null; });
    await this.renewing;
  }

  /** True while this engine is advancing steps (its process's webhook dispatcher then steps back). */
  get busy(): boolean {
    return this.advancing > 0;
  }

  /** Advances every enrolment due at `now`, batch after batch, until none is left. */
  async advanceDue(now: Date): Promise<number> {
    this.advancing++;
    try {
      return await this.advanceBatches(now);
    } finally {
      this.advancing--;
    }
  }

  private async advanceBatches(now: Date): Promise<number> {
    await this.keepAlive(now);
    let total = 0;
    let size = this.opts.batchSize;
    for (;;) {
      const claimFor = {
        workerId: this.opts.sender.workerId,
        until: new Date(now.getTime() + this.opts.sender.leaseMs),
        limit: this.sender.room(),
      };
      const { claimed, emails, handed, steps } = await this.ctx.db.transaction().execute(async (trx) => {
        const rows = await claimDue(trx, now, size);
        const summary = await advanceEnrollments(this.ctx, trx, rows, now, claimFor);
        return { claimed: rows.length, emails: summary.emails, handed: summary.claimed, steps: summary.steps };
      });
      total += claimed;
      this.ctx.metrics.recordSteps(steps, new Date(Math.max(now.getTime(), this.ctx.clock.now().getTime())));
      // Committed: the emails queued due now, claimed for our sender, are its to send.
      this.sender.hand(handed);
      if (claimed > 0) this.sender.nudge();
      if (claimed < size) return total;
      // Mail just queued keeps the sender busy on this thread: smaller batches then, so
      // that planning and rendering a long one do not stall its SMTP conversations.
      size = emails > 0 ? Math.min(this.opts.batchSize, BATCH_AFTER_MAIL) : this.opts.batchSize;
    }
  }

  /** Sends every email due at `now`. */
  async sendDue(now: Date): Promise<number> {
    await this.keepAlive(now);
    return this.sender.sendDue(now);
  }

  /**
   * One pass: renew the lease, settle what a failed pass left, recover sends in doubt,
   * read mailboxes, advance what is due, send what is queued.
   */
  async runOnce(now: Date = this.ctx.clock.now()): Promise<PassResult> {
    return this.serialize(() => this.pass(now).catch((e: unknown) => {
      this.unsettled = true;
      throw e;
    }));
  }

  private async pass(now: Date): Promise<PassResult> {
    await this.keepAlive(now);
    if (this.unsettled) {
      await this.sender.reconcile(now);
      await this.poller.release();
      this.unsettled = false;
    }
    const recovered = await this.sender.recoverStale(now);
    await resumeDue(this.ctx.db, now);
    await pauseForTimeOff(this.ctx.db, now);
    await this.ctx.db.transaction().execute(async (trx) => {
      while ((await exitPastEndDates(trx, now)) > 0);
      await startPending(trx, now);
    });
    // Inbound first: a reply that arrived must stop the step that falls due now.
    const received = await this.poller.pollDue(now);
    // Sending runs beside advancing: each advanced batch's emails go out while the
    // next batch is planned, and the sender keeps looking until advancing is done.
    let advancing = true;
    const advance = this.advanceDue(now).finally(() => {
      advancing = false;
      this.sender.nudge();
    });
    const [advanced, sent] = await Promise.allSettled([advance, this.sender.sendDue(now, () => advancing)]);
    if (advanced.status === 'rejected') throw advanced.reason;
    if (sent.status === 'rejected') throw sent.reason;
    return { advanced: advanced.value, sent: sent.value, recovered, received };
  }

  /**
   * Runs passes until a pass finds nothing to do: a sent email wakes the next step,
   * which may queue the next email at the same instant. Used by the manual clock.
   */
  async drain(now?: Date): Promise<PassResult> {
    const total: PassResult = { advanced: 0, sent: 0, recovered: 0, received: 0 };
    for (let i = 0; i < 1000; i++) {
      // A real clock moves while we work: each pass sees what fell due meanwhile.
      const r = await this.runOnce(now ?? this.ctx.clock.now());
      total.advanced += r.advanced;
      total.sent += r.sent;
      total.recovered += r.recovered;
      total.received += r.received;
      if (r.advanced === 0 && r.sent === 0) return total;
    }
    throw new Error('engine did not settle after 1000 passes');
  }

  /**
   * One turn of the worker's loop: a pass, and how long to wait before the next (none
   * while busy, the poll interval when idle, a growing back-off while passes fail, with
   * a bounded number of log lines: see PassFailures).
   */
  async tick(): Promise<number> {
    const now = this.ctx.clock.now();
    try {
      const r = await this.runOnce(now);
      this.failures.succeeded(this.ctx.clock.now());
      return r.advanced + r.sent > 0 ? 0 : this.opts.pollIntervalMs;
    } catch (e) {
      return this.failures.failed(e, this.ctx.clock.now());
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // A pass can outlast the lease: the timer keeps it renewed (a failure shows in the passes).
    this.heartbeat = setInterval(() => {
      this.keepAlive(this.ctx.clock.now(), true).catch(() => {});
    }, this.opts.sender.leaseMs / 3);
    this.heartbeat.unref();
    const loop = async () => {
      if (this.stopped) return;
      const delay = await this.tick();
      if (!this.stopped) this.timer = setTimeout(() => (this.running = loop()), delay);
    };
    this.running = loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.running;
    await this.passes.catch(() => {});
    this.delivery.close();
    // Mail handed to our sender and not sent goes back to the queue now, not at its
    // lease's end; then the lease itself ends: this worker holds nothing any more.
    await this.renewing?.catch(() => {});
    try {
      await this.sender.releaseHanded();
      await endWorkerLease(this.ctx.db, this.opts.sender.workerId);
    } catch (e) {
      this.ctx.log.warn({ error: e instanceof Error ? e.message : String(e) },
        'engine: could not hand back claimed mail on stop; it is anyone\'s once this worker\'s lease ends');
    }
  }

  /** Passes never overlap within one engine (the loop and the manual clock share it). */
  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.passes.then(fn, fn);
    this.passes = run.catch(() => {});
    return run;
  }
}
