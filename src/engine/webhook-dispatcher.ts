import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { systemClock, type Clock } from '../app/clock.ts';
import type { AppContext } from '../app/context.ts';
import { judgeAttempt, signatureHeader, signingSecrets, webhookBody } from '../webhooks/standard-webhooks.ts';
import {
  claimDueDeliveries, recordAttempts, releaseClaims, type AttemptResult, type ClaimedDelivery,
} from '../store/webhook-delivery.repository.ts';
import { expandWebhookEvents, pruneWebhookMessages, WEBHOOK_MESSAGE_RETENTION_MS } from '../store/webhook-outbox.repository.ts';
import { PassFailures } from './pass-failures.ts';
import { AttemptTimeout, WebhookHttp, type WebhookAnswer } from './webhook-http.ts';

export interface WebhookDispatcherOptions {
  workerId: string;
  /** Requests in flight at once, all endpoints together. */
  concurrency: number;
  /** Requests in flight at once to one endpoint: a hanging endpoint takes no more than this. */
  perEndpoint: number;
  /** One attempt's limit, answer included (CADENZA_WEBHOOK_TIMEOUT_SECONDS). */
  timeoutMs: number;
  /** A claim's life: a worker that dies holds its deliveries this long at most. */
  leaseMs: number;
  /** The wait between passes that found nothing, and between looks for new work while requests are out. */
  pollIntervalMs: number;
  /** How often the loop deletes settled messages older than 30 days. */
  pruneEveryMs: number;
  /** Jitter of the retry schedule, in [0, 1). */
  random?: () => number;
  /**
   * The real time, for `webhook-timestamp`: receivers check it against their own clock,
   * so a server on the manual clock (whose time drives the retries) still signs with it.
   */
  wallClock?: Clock;
  /**
   * True while this process's engine is advancing steps. The engine's work (mail due
   * now) comes first: the dispatcher starts nothing new for up to `maxDeferMs` of it,
   * then goes on at `busyConcurrency` requests out until the engine is done, so a long
   * backlog delays webhooks by at most that, and never stops them.
   */
  engineBusy?: () => boolean;
  maxDeferMs?: number;
  busyConcurrency?: number;
}

export interface DispatchResult {
  /** Attempts made, and what they came to. */
  attempts: number;
  delivered: number;
  retried: number;
  failed: number;
  /** Endpoints disabled because they answered 410. */
  disabled: number;
}

/** Answers recorded in one statement once this many are in (or nothing is out). */
const RECORD_BATCH = 32;
/** How long a pass waits, after an answer, for more to record with it. */
const GATHER_MS = 5;
/** Deliveries claimed for one endpoint, as a multiple of its cap on requests out. */
const CLAIM_AHEAD = 4;

/** The most of an answer's body read (and kept in the delivery log). */
const RESPONSE_LIMIT = 1000;

const workerName = () => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

export function defaultWebhookOptions(workerId = `webhooks:${workerName()}`): WebhookDispatcherOptions {
  return {
    workerId,
    concurrency: 64,
    perEndpoint: 8,
    timeoutMs: 10_000,
    // Longer than a claimed delivery can wait and last (four rounds of 10 s at most), so a
    // live worker never loses a claim.
    leaseMs: 60_000,
    pollIntervalMs: 1000,
    pruneEveryMs: 3_600_000,
  };
}

/** The dispatcher's knobs an operator may set (README "Webhooks"). */
export function webhookOptionsFromEnv(env: NodeJS.ProcessEnv, base = defaultWebhookOptions()): WebhookDispatcherOptions {
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
    return n;
  };
  const timeoutMs = int('CADENZA_WEBHOOK_TIMEOUT_SECONDS', base.timeoutMs / 1000, 1, 30) * 1000;
  return {
    ...base,
    timeoutMs,
    // A claimed delivery waits at most three rounds of requests before its own (see pass()).
    leaseMs: Math.max(base.leaseMs, timeoutMs * 5),
    concurrency: int('CADENZA_WEBHOOK_CONCURRENCY', base.concurrency, 1, 1024),
    perEndpoint: int('CADENZA_WEBHOOK_ENDPOINT_CONCURRENCY', base.perEndpoint, 1, 256),
  };
}

/** `CADENZA_WEBHOOKS=0` turns the dispatcher off in a process. */
export function webhooksEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.CADENZA_WEBHOOKS !== '0';
}

/**
 * Delivers webhook deliveries (Standard Webhooks 1.0): claims due ones, posts them signed,
 * records each answer (delivered, retried on the schedule, failed, 410 disabling the
 * endpoint). Its own loop beside the engine, never awaited by it; at most `concurrency`
 * requests out and `perEndpoint` to any one endpoint, each bounded by `timeoutMs`, so a
 * slow or dead endpoint holds up neither the engine nor the other endpoints. Any number
 * of dispatchers may share one database (claims with SKIP LOCKED and a lease).
 * `runOnce(now)` lets tests and the manual clock drive it.
 */
export class WebhookDispatcher {
  private readonly random: () => number;
  private readonly wallClock: Clock;
  private readonly failures: PassFailures;
  private readonly http = new WebhookHttp();
  /** This worker's claimed deliveries not answered yet (out or next), by endpoint. */
  private readonly inFlight = new Map<string, number>();
  /** Ends every request out when the dispatcher stops. */
  private aborter = new AbortController();
  private passes: Promise<unknown> = Promise.resolve();
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** A pass waiting for requests to end: checked as each ends. */
  private waiter: (() => void) | null = null;
  private prunedAt: number | null = null;
  /** Since when (performance.now()) this process's engine has been busy, while it is. */
  private busySince: number | null = null;

  constructor(private readonly ctx: AppContext, private readonly opts: WebhookDispatcherOptions = defaultWebhookOptions()) {
    this.random = opts.random ?? Math.random;
    this.wallClock = opts.wallClock ?? systemClock;
    // Its lines say 'engine: …' as the engine's do; the component tells them apart.
    this.failures = new PassFailures(ctx.log.child({ component: 'webhooks' }), opts.pollIntervalMs);
  }

  /**
   * Delivers everything due: claims, sends, records, and claims again as requests end,
   * until nothing is due and nothing is out. With `now`, every claim and record is at
   * that instant (the manual clock); without it, each reads the clock.
   */
  async runOnce(now?: Date): Promise<DispatchResult> {
    const run = this.passes.then(() => this.pass(now));
    this.passes = run.catch(() => {});
    return run;
  }

  private async pass(fixedNow: Date | undefined): Promise<DispatchResult> {
    const total: DispatchResult = { attempts: 0, delivered: 0, retried: 0, failed: 0, disabled: 0 };
    const { concurrency, perEndpoint } = this.opts;
    const clockNow = () => fixedNow ?? this.ctx.clock.now();
    // Claimed and not started, by endpoint: an endpoint's next request starts as one of
    // its own ends, without waiting for the database.
    const queues = new Map<string, ClaimedDelivery[]>();
    const sending = new Map<string, number>();
    const out = new Set<Promise<void>>();
    const finished: AttemptResult[] = [];
    let held = 0;
    let closed = false;
    const add = (m: Map<string, number>, key: string, n: number) => {
      const v = (m.get(key) ?? 0) + n;
      if (v > 0) m.set(key, v);
      else m.delete(key);
    };
    const start = (d: ClaimedDelivery) => {
      add(sending, d.endpointId, 1);
      const request: Promise<void> = this.attempt(d, clockNow).then((r) => {
        if (r) finished.push(r);
        if (r?.outcome === 'gone') drop(d.endpointId);
      }).finally(() => {
        add(sending, d.endpointId, -1);
        add(this.inFlight, d.endpointId, -1);
        held--;
        out.delete(request);
        pump();
        this.notify();
      });
      out.add(request);
    };
    // An endpoint that answered 410 is disabled: what was claimed ahead for it is not sent,
    // and is handed back (it waits, pending, until the endpoint is enabled again).
    const handBack: string[] = [];
    const drop = (endpointId: string) => {
      for (const d of queues.get(endpointId) ?? []) {
        handBack.push(d.id);
        add(this.inFlight, endpointId, -1);
        held--;
      }
      queues.delete(endpointId);
    };
    const room = () => this.room(concurrency);
    const pump = () => {
      if (closed) return;
      for (const [endpointId, queue] of queues) {
        while (queue.length > 0 && (sending.get(endpointId) ?? 0) < perEndpoint && out.size < room()) start(queue.shift()!);
        if (queue.length === 0) queues.delete(endpointId);
      }
    };
    const queued = () => held - out.size;
    let expandedAt: number | null = null;
    let expanded = 0;
    try {
      let look = true;
      for (;;) {
        if (finished.length > 0) {
          await this.record(finished.splice(0), total);
          if (handBack.length > 0) await releaseClaims(this.ctx.db, this.opts.workerId, handBack.splice(0));
          look = true; // room was made: more may be claimed
        }
        if (this.aborter.signal.aborted) break;
        // While the engine defers us (room 0), nothing is expanded or claimed this look.
        if (look && held < concurrency * 2 && this.room(concurrency) === 0) look = false;
        if (look && held < concurrency * 2) {
          look = false;
          // The events the outbox triggers recorded become messages and deliveries here,
          // off the engine's path (dispatchers share the batches: SKIP LOCKED): at the start
          // of a pass, then while there were some, else once a poll interval.
          if (expandedAt === null || expanded > 0 || performance.now() - expandedAt >= this.opts.pollIntervalMs) {
            expanded = await expandWebhookEvents(this.ctx.db);
            expandedAt = performance.now();
          }
          const now = clockNow();
          // Twice what may be out in all, four times what one endpoint may: its next
          // requests are at hand while the answers are recorded.
          const claimed = await claimDueDeliveries(this.ctx.db, {
            now, workerId: this.opts.workerId, claimUntil: new Date(now.getTime() + this.opts.leaseMs),
            limit: concurrency * 2 - held, perEndpoint: perEndpoint * CLAIM_AHEAD, inFlight: this.inFlight,
          });
          for (const d of claimed) {
            const queue = queues.get(d.endpointId);
            if (queue) queue.push(d);
            else queues.set(d.endpointId, [d]);
            add(this.inFlight, d.endpointId, 1);
            held++;
          }
          pump();
        }
        if (held === 0 && finished.length === 0) {
          if (look) continue;
          break;
        }
        if (out.size === 0 && this.room(concurrency) === 0) {
          // Deferring to the engine with claims in hand: start them a poll interval on.
          await this.waitUntil(() => this.aborter.signal.aborted, this.opts.pollIntervalMs);
          pump();
          continue;
        }
        // Wait for an answer, or, after the poll interval, look for what fell due
        // meanwhile: a hanging request holds nothing else up.
        const answered = await this.waitUntil(() => finished.length > 0 || out.size === 0, this.opts.pollIntervalMs);
        if (!answered) look = true;
        // Then a moment for more, answers that come in together being recorded together,
        // until what was claimed ahead is all out: then more is claimed.
        else if (finished.length < RECORD_BATCH && out.size > 0 && queued() > 0) {
          await this.waitUntil(() => finished.length >= RECORD_BATCH || out.size === 0 || queued() === 0, GATHER_MS);
        }
      }
    } finally {
      // A failed statement (the database gone) or a stop: no new request starts; what is
      // out ends first. What was claimed and not recorded is claimed again once its claim
      // runs out (or at once, handed back by stop()).
      closed = true;
      await Promise.allSettled(out);
      for (const queue of queues.values()) for (const d of queue) add(this.inFlight, d.endpointId, -1);
      // Answers already in are recorded, on a stop too (no need to send them again).
      if (finished.length > 0) await this.record(finished.splice(0), total).catch(() => {});
    }
    return total;
  }

  /** Requests that may be out now: none while the engine has been busy less than maxDeferMs, a few after, all when it is idle. */
  private room(concurrency: number): number {
    if (!this.opts.engineBusy?.()) {
      this.busySince = null;
      return concurrency;
    }
    const now = performance.now();
    this.busySince ??= now;
    if (now - this.busySince < (this.opts.maxDeferMs ?? 30_000)) return 0;
    return Math.min(concurrency, this.opts.busyConcurrency ?? 4);
  }

  /** Resolves true once `ready()` holds (checked as requests end), false after `ms`. */
  private waitUntil(ready: () => boolean, ms: number): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), ms);
      const check = () => {
        if (ready()) finish(true);
      };
      const finish = (value: boolean) => {
        clearTimeout(timer);
        if (this.waiter === check) this.waiter = null;
        resolve(value);
      };
      this.waiter = check;
    });
  }

  private notify(): void {
    this.waiter?.();
  }

  private async record(results: AttemptResult[], total: DispatchResult): Promise<void> {
    const { disabled } = await recordAttempts(this.ctx.db, this.opts.workerId, results);
    const count = (o: AttemptResult['outcome']) => results.filter((r) => r.outcome === o).length;
    const delivered = count('delivered');
    const retried = count('retry');
    const failed = count('failed') + count('gone');
    total.attempts += results.length;
    total.delivered += delivered;
    total.retried += retried;
    total.failed += failed;
    total.disabled += disabled;
    this.ctx.metrics.recordWebhookDeliveries('delivered', delivered);
    this.ctx.metrics.recordWebhookDeliveries('retried', retried);
    this.ctx.metrics.recordWebhookDeliveries('failed', count('failed'));
    this.ctx.metrics.recordWebhookDeliveries('gone', count('gone'));
    if (disabled > 0) this.ctx.log.warn({ endpoints: disabled }, 'webhooks: an endpoint answered 410 Gone and is disabled');
  }

  /** One attempt: the signed request, its answer judged. Null when the dispatcher stopped it. */
  private async attempt(d: ClaimedDelivery, clockNow: () => Date): Promise<AttemptResult | null> {
    const at = clockNow();
    const body = webhookBody(d.type, d.at, d.data);
    const timestamp = Math.floor(this.wallClock.now().getTime() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Cadenza-Webhooks/1.0',
      'webhook-id': d.messageId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(signingSecrets(d, at), d.messageId, timestamp, body),
    };
    const result = (status: number | null, error: string | null, response: string | null, retryAfter: string | null = null): AttemptResult => {
      const verdict = judgeAttempt({ status, retryAfter, attempts: d.attempts + 1, at, random: this.random() });
      return { id: d.id, outcome: verdict.outcome, attemptedAt: at, statusCode: status, error, response, nextAttemptAt: verdict.nextAttemptAt };
    };
    let url: URL;
    try {
      url = new URL(d.url);
    } catch {
      return result(null, 'the endpoint URL cannot be read', null);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return result(null, `only http and https are delivered to, not ${url.protocol}`, null);
    if (this.aborter.signal.aborted) return null;
    let answer: WebhookAnswer;
    try {
      answer = await this.http.post(url, headers, body, this.opts.timeoutMs, RESPONSE_LIMIT);
    } catch (e) {
      if (this.aborter.signal.aborted) return null;
      return result(null, requestError(e), null);
    }
    const { status, location } = answer;
    const error = status >= 200 && status < 300 ? null
      // No redirect is followed: a 3xx is the endpoint's answer, and a failure.
      : status >= 300 && status < 400 ? `answered ${status}: redirects are not followed${location ? ` (to ${location.slice(0, 200)})` : ''}`
        : `answered ${status}`;
    return result(status, error, answer.text, answer.retryAfter);
  }

  /** One turn of the loop: a pass (and now and then the outbox pruned); how long to wait before the next. */
  async tick(): Promise<number> {
    try {
      const r = await this.runOnce();
      await this.pruneIfDue();
      this.failures.succeeded(this.ctx.clock.now());
      return r.attempts > 0 ? 0 : this.opts.pollIntervalMs;
    } catch (e) {
      return this.failures.failed(e, this.ctx.clock.now());
    }
  }

  /** Deletes settled messages older than 30 days, once every `pruneEveryMs`. */
  private async pruneIfDue(): Promise<void> {
    const now = this.ctx.clock.now();
    if (this.prunedAt !== null && now.getTime() - this.prunedAt < this.opts.pruneEveryMs) return;
    this.prunedAt = now.getTime();
    const pruned = await pruneWebhookMessages(this.ctx.db, new Date(now.getTime() - WEBHOOK_MESSAGE_RETENTION_MS));
    if (pruned > 0) this.ctx.log.info({ pruned }, 'webhooks: deleted settled messages older than 30 days');
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.aborter = new AbortController();
    const loop = async () => {
      if (this.stopped) return;
      const delay = await this.tick();
      if (!this.stopped) this.timer = setTimeout(() => (this.running = loop()), delay);
    };
    this.running = loop();
  }

  /** Stops the loop; requests out are abandoned and their deliveries handed back, due at once for another worker. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.aborter.abort();
    this.http.close();
    await this.running;
    await this.passes;
    await releaseClaims(this.ctx.db, this.opts.workerId).catch((e: unknown) => {
      this.ctx.log.warn({ error: e instanceof Error ? e.message : String(e) },
        'webhooks: could not hand back claimed deliveries on stop; they are anyone\'s once their claim ends');
    });
  }
}

/** Why a request got no answer, in a line for the delivery log. */
function requestError(e: unknown): string {
  if (e instanceof AttemptTimeout) return e.message;
  const err = e as { code?: string; message?: string };
  if (err?.code) return `could not connect: ${err.code}${err.message ? ` (${err.message.slice(0, 200)})` : ''}`;
  return (err?.message ?? String(e)).slice(0, 500);
}
