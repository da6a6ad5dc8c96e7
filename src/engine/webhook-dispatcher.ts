import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { systemClock, type Clock } from '../app/clock.ts';
import type { AppContext } from '../app/context.ts';
import { judgeAttempt, signatureHeader, signingSecrets, webhookBody } from '../domain/standard-webhooks.ts';
import {
  claimDueDeliveries, recordAttempts, releaseClaims, type AttemptResult, type ClaimedDelivery,
} from '../store/webhook-delivery.repository.ts';
import { pruneWebhookMessages, WEBHOOK_MESSAGE_RETENTION_MS } from '../store/webhook-outbox.repository.ts';
import { PassFailures } from './pass-failures.ts';

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

/** The most of an answer's body read (and kept in the delivery log). */
const RESPONSE_LIMIT = 1000;

const workerName = () => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

export function defaultWebhookOptions(workerId = `webhooks:${workerName()}`): WebhookDispatcherOptions {
  return {
    workerId,
    concurrency: 64,
    perEndpoint: 8,
    timeoutMs: 10_000,
    // Longer than an attempt can last (its timeout), so a live worker never loses a claim.
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
    leaseMs: Math.max(base.leaseMs, timeoutMs * 3),
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
  /** This worker's requests out, by endpoint. */
  private readonly inFlight = new Map<string, number>();
  /** Ends every request out when the dispatcher stops. */
  private aborter = new AbortController();
  private passes: Promise<unknown> = Promise.resolve();
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Wakes a pass waiting for a request to end, or the loop waiting for the next pass. */
  private wake: (() => void) | null = null;
  private prunedAt: number | null = null;

  constructor(private readonly ctx: AppContext, private readonly opts: WebhookDispatcherOptions = defaultWebhookOptions()) {
    this.random = opts.random ?? Math.random;
    this.wallClock = opts.wallClock ?? systemClock;
    this.failures = new PassFailures(ctx.log, opts.pollIntervalMs);
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
    const finished: AttemptResult[] = [];
    const out = new Set<Promise<void>>();
    const clockNow = () => fixedNow ?? this.ctx.clock.now();
    try {
      for (;;) {
        if (finished.length > 0) await this.record(finished.splice(0), total);
        if (this.aborter.signal.aborted) break;
        const room = this.opts.concurrency - out.size;
        const now = clockNow();
        const claimed = room > 0 ? await claimDueDeliveries(this.ctx.db, {
          now, workerId: this.opts.workerId, claimUntil: new Date(now.getTime() + this.opts.leaseMs),
          limit: room, perEndpoint: this.opts.perEndpoint, inFlight: this.inFlight,
        }) : [];
        for (const delivery of claimed) {
          this.inFlight.set(delivery.endpointId, (this.inFlight.get(delivery.endpointId) ?? 0) + 1);
          const request: Promise<void> = this.attempt(delivery, clockNow).then((r) => {
            if (r) finished.push(r);
          }).finally(() => {
            const n = (this.inFlight.get(delivery.endpointId) ?? 1) - 1;
            if (n > 0) this.inFlight.set(delivery.endpointId, n);
            else this.inFlight.delete(delivery.endpointId);
            out.delete(request);
            this.wake?.();
          });
          out.add(request);
        }
        if (out.size === 0 && finished.length === 0) break;
        if (finished.length > 0) continue;
        // Wait for a request to end, or, while there is room, look again after the poll
        // interval for what fell due meanwhile: a hanging request holds nothing else up.
        await this.sleep(out.size < this.opts.concurrency ? this.opts.pollIntervalMs : null);
        // Answers that came in together are recorded together.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      // A failed record (the database gone) or a stop: what is still out ends first, and
      // what was claimed and not recorded is claimed again once its lease runs out.
      await Promise.allSettled(out);
      if (finished.length > 0 && !this.aborter.signal.aborted) await this.record(finished.splice(0), total).catch(() => {});
    }
    return total;
  }

  /** Waits until a request ends, or `ms` pass (null: no limit). */
  private sleep(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === null ? null : setTimeout(done, ms);
      const self = this;
      function done() {
        if (timer) clearTimeout(timer);
        if (self.wake === done) self.wake = null;
        resolve();
      }
      this.wake = done;
    });
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
    const signal = AbortSignal.any([AbortSignal.timeout(this.opts.timeoutMs), this.aborter.signal]);
    let res: Response;
    try {
      // No redirect is followed: a 3xx is the endpoint's answer (and a failure).
      res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal });
    } catch (e) {
      if (this.aborter.signal.aborted) return null;
      return result(null, requestError(e, this.opts.timeoutMs), null);
    }
    const response = await readStart(res, RESPONSE_LIMIT);
    if (this.aborter.signal.aborted) return null;
    const ok = res.status >= 200 && res.status < 300;
    const error = ok ? null
      : res.status >= 300 && res.status < 400 ? `answered ${res.status}: redirects are not followed${res.headers.get('location') ? ` (to ${res.headers.get('location')!.slice(0, 200)})` : ''}`
        : `answered ${res.status}`;
    return result(res.status, error, response, res.headers.get('retry-after'));
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
    this.wake?.();
    await this.running;
    await this.passes;
    await releaseClaims(this.ctx.db, this.opts.workerId).catch((e: unknown) => {
      this.ctx.log.warn({ error: e instanceof Error ? e.message : String(e) },
        'webhooks: could not hand back claimed deliveries on stop; they are anyone\'s once their claim ends');
    });
  }
}

/** Why a request got no answer, in a line for the delivery log. */
function requestError(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = err?.cause;
  if (cause?.code) return `could not connect: ${cause.code}${cause.message ? ` (${cause.message.slice(0, 200)})` : ''}`;
  return (cause?.message ?? err?.message ?? String(e)).slice(0, 500);
}

/** The first `limit` characters of an answer's body; the rest is not read (the connection's body is cancelled). */
async function readStart(res: Response, limit: number): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // The answer's status is what counts; a body that stalls or breaks is cut short.
  } finally {
    reader.cancel().catch(() => {});
  }
  return text === '' ? null : text.slice(0, limit);
}
