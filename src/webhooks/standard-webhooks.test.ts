import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  RETRY_SCHEDULE_MS, judgeAttempt, parseRetryAfter, retryDelay, signatureHeader, signingSecrets, webhookBody, webhookSecret,
} from './standard-webhooks.ts';

const HOUR = 3_600_000;
const secret = webhookSecret(Buffer.alloc(32, 7));

describe('Standard Webhooks signatures', () => {
  it('match the reference implementation\'s, one per secret', () => {
    const body = webhookBody('task.created', new Date('2026-03-02T08:00:00Z'), { taskId: 't1' });
    expect(JSON.parse(body)).toEqual({ type: 'task.created', timestamp: '2026-03-02T08:00:00.000Z', data: { taskId: 't1' } });
    const at = new Date('2026-03-02T08:00:05Z');
    const ts = Math.floor(at.getTime() / 1000);
    expect(signatureHeader([secret], 'msg_1', ts, body)).toBe(new Webhook(secret).sign('msg_1', at, body));
    const other = webhookSecret(Buffer.alloc(24, 1));
    expect(signatureHeader([secret, other], 'msg_1', ts, body)).toBe(`${new Webhook(secret).sign('msg_1', at, body)} ${new Webhook(other).sign('msg_1', at, body)}`);
  });

  it('a secret is whsec_ and 24 to 64 random bytes in base64', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(() => webhookSecret(Buffer.alloc(8))).toThrow(RangeError);
  });

  it('the previous secret signs until its overlap ends', () => {
    const until = new Date('2026-03-03T08:00:00Z');
    const e = { secret: 'whsec_new', previousSecret: 'whsec_old', previousSecretUntil: until };
    expect(signingSecrets(e, new Date(until.getTime() - 1))).toEqual(['whsec_new', 'whsec_old']);
    expect(signingSecrets(e, until)).toEqual(['whsec_new']);
    expect(signingSecrets({ ...e, previousSecret: null }, new Date(0))).toEqual(['whsec_new']);
  });
});

describe('the retry schedule', () => {
  const total = (random: number) => RETRY_SCHEDULE_MS.reduce((sum, _, i) => sum + retryDelay(i + 1, random)!, 0);

  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, each ±10 %, then gives up', () => {
    expect(RETRY_SCHEDULE_MS.map((_, i) => retryDelay(i + 1, 0.5))).toEqual([...RETRY_SCHEDULE_MS]);
    expect(retryDelay(1, 0)).toBe(4_500);
    expect(retryDelay(1, 0.999_999)).toBe(5_500);
    expect(retryDelay(8, 0.5)).toBeNull();
  });

  it('goes on for more than 24 hours whatever the jitter', () => {
    expect(total(0)).toBeGreaterThanOrEqual(24 * HOUR);
    expect(total(0.999_999)).toBeLessThan(31 * HOUR);
  });

  it('judges an answer: 2xx delivered, 410 gone, others retried, then failed', () => {
    const at = new Date('2026-03-02T08:00:00Z');
    expect(judgeAttempt({ status: 204, attempts: 1, at, random: 0.5 })).toEqual({ outcome: 'delivered', nextAttemptAt: null });
    expect(judgeAttempt({ status: 410, attempts: 1, at, random: 0.5 })).toEqual({ outcome: 'gone', nextAttemptAt: null });
    expect(judgeAttempt({ status: 301, attempts: 2, at, random: 0.5 })).toEqual({ outcome: 'retry', nextAttemptAt: new Date(at.getTime() + 300_000) });
    expect(judgeAttempt({ status: null, attempts: 8, at, random: 0.5 })).toEqual({ outcome: 'failed', nextAttemptAt: null });
  });

  it('honours a 429\'s or 503\'s Retry-After, never sooner than the schedule and at most an hour', () => {
    const at = new Date('2026-03-02T08:00:00Z');
    const next = (status: number, retryAfter: string, attempts = 1) => judgeAttempt({ status, retryAfter, attempts, at, random: 0.5 }).nextAttemptAt!.getTime() - at.getTime();
    expect(next(429, '120')).toBe(120_000);
    expect(next(503, 'Mon, 02 Mar 2026 08:10:00 GMT')).toBe(600_000);
    expect(next(429, '999999')).toBe(HOUR);
    expect(next(429, '1', 3)).toBe(1_800_000); // the schedule is later
    expect(next(500, '120')).toBe(5_000); // only 429 and 503 ask
    expect(parseRetryAfter('soon', at)).toBeNull();
    expect(parseRetryAfter(undefined, at)).toBeNull();
  });
});
