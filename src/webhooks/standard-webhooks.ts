import { createHmac } from 'node:crypto';
import { WEBHOOK_RETRY_SCHEDULE_MS } from '../contract/enums.ts';

/**
 * Standard Webhooks 1.0 (https://www.standardwebhooks.com/), the sending side: the body,
 * the signature header and the retry schedule. Pure: no IO, time and randomness are inputs.
 */

const SECRET_PREFIX = 'whsec_';

/** The HMAC key of a `whsec_<base64>` secret: the bytes its base64 part encodes. */
export function secretKey(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  if (key.length === 0) throw new RangeError('a webhook secret needs a non-empty base64 key after "whsec_"');
  return key;
}

/** A new secret from random bytes (the caller draws them: 24 to 64 of them, as the spec asks). */
export function webhookSecret(bytes: Uint8Array): string {
  if (bytes.length < 24 || bytes.length > 64) throw new RangeError('a webhook secret takes 24 to 64 random bytes');
  return SECRET_PREFIX + Buffer.from(bytes).toString('base64');
}

/** `{"type","timestamp","data"}`, the timestamp being the event's own instant. */
export function webhookBody(type: string, at: Date, data: unknown): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

/**
 * `webhook-signature`: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret,
 * space-separated (during a rotation both the new and the previous secret sign).
 */
export function signatureHeader(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  const signed = `${id}.${timestamp}.${body}`;
  return secrets.map((s) => `v1,${createHmac('sha256', secretKey(s)).update(signed).digest('base64')}`).join(' ');
}

/** The secrets that sign at `now`: the current one, and the previous one until its overlap ends. */
export function signingSecrets(
  endpoint: { secret: string; previousSecret: string | null; previousSecretUntil: Date | null }, now: Date,
): string[] {
  const { secret, previousSecret, previousSecretUntil } = endpoint;
  return previousSecret && previousSecretUntil && previousSecretUntil > now ? [secret, previousSecret] : [secret];
}

/** The waits before each retry (the contract's, which the web app reads too). */
export const RETRY_SCHEDULE_MS = WEBHOOK_RETRY_SCHEDULE_MS;

/**
 * ±10 %: spreads retries that failed together (an outage) without bringing the whole
 * schedule under 24 h (27.6 h × 0.9 ≈ 24.8 h; ±20 % could make it 22 h).
 */
const JITTER = 0.1;

/**
 * The wait before the next attempt once `failedAttempts` attempts have failed (1 after
 * the first), or null when the schedule is over. `random` is in [0, 1).
 */
export function retryDelay(failedAttempts: number, random: number): number | null {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) throw new RangeError('failedAttempts counts from 1');
  const base = RETRY_SCHEDULE_MS[failedAttempts - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random));
}

/** The longest a `Retry-After` may hold a retry back. */
export const RETRY_AFTER_MAX_MS = 3_600_000;

/**
 * A `Retry-After` (seconds, or an HTTP date) as a wait from `now` in ms, at most an hour;
 * null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d{1,10}$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return null;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(ms, 0), RETRY_AFTER_MAX_MS);
}

/** What one attempt came to, and when the next one is due (`retry` only). */
export interface AttemptVerdict {
  outcome: 'delivered' | 'retry' | 'failed' | 'gone';
  nextAttemptAt: Date | null;
}

/**
 * 2xx: delivered. 410 Gone: the receiver wants no more (this delivery fails, the
 * endpoint is disabled). Anything else, 3xx included (redirects are not followed), or no
 * answer (`status` null: refused, timed out): retried on the schedule, a 429's or 503's
 * `Retry-After` honoured (never sooner than the schedule, at most an hour for it), and
 * failed once the schedule is over. `attempts` counts this one.
 */
export function judgeAttempt(a: { status: number | null; retryAfter?: string | null; attempts: number; at: Date; random: number }): AttemptVerdict {
  if (a.status !== null && a.status >= 200 && a.status < 300) return { outcome: 'delivered', nextAttemptAt: null };
  if (a.status === 410) return { outcome: 'gone', nextAttemptAt: null };
  const scheduled = retryDelay(a.attempts, a.random);
  if (scheduled === null) return { outcome: 'failed', nextAttemptAt: null };
  const asked = a.status === 429 || a.status === 503 ? parseRetryAfter(a.retryAfter, a.at) : null;
  return { outcome: 'retry', nextAttemptAt: new Date(a.at.getTime() + Math.max(scheduled, asked ?? 0)) };
}
