import type { Clock } from './clock.ts';

export interface LoginThrottleOptions {
  windowMs?: number;
  perEmail?: number;
  perAddress?: number;
  maxKeys?: number;
}

/**
 * Slows down password guessing: after `perEmail` failed sign-ins for one email, or
 * `perAddress` from one IP address, within `windowMs`, further attempts are refused
 * until the oldest of those failures leaves the window. Kept in this process's memory:
 * one `cadenza serve` sees every attempt; several processes behind a balancer each
 * allow their own count (and a restart forgets), which still bounds guessing.
 * A failed attempt therefore writes nothing to the database. Times come from the app
 * clock, so the manual clock moves the window in tests.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly windowMs: number;
  private readonly perEmail: number;
  private readonly perAddress: number;
  private readonly maxKeys: number;

  constructor(private readonly clock: Clock, opts: LoginThrottleOptions = {}) {
    this.windowMs = opts.windowMs ?? 15 * 60_000;
    this.perEmail = opts.perEmail ?? 5;
    // An office shares one address: more room there than for one account.
    this.perAddress = opts.perAddress ?? 20;
    this.maxKeys = opts.maxKeys ?? 50_000;
  }

  /** Milliseconds until an attempt for this email from this address is allowed; 0: now. */
  waitMs(email: string, address: string): number {
    return Math.max(this.wait(`e:${email.toLowerCase()}`, this.perEmail), this.wait(`a:${address}`, this.perAddress));
  }

  recordFailure(email: string, address: string): void {
    const now = this.clock.now().getTime();
    for (const key of [`e:${email.toLowerCase()}`, `a:${address}`]) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.delete(key); // re-inserted last: the map's order is oldest use first
      if (this.failures.size >= this.maxKeys) this.failures.delete(this.failures.keys().next().value!);
      this.failures.set(key, times);
    }
  }

  /** A successful sign-in clears its email's count (not its address's). */
  recordSuccess(email: string): void {
    this.failures.delete(`e:${email.toLowerCase()}`);
  }

  private wait(key: string, limit: number): number {
    const now = this.clock.now().getTime();
    const times = this.recent(key, now);
    if (times.length < limit) return 0;
    return times[times.length - limit] + this.windowMs - now;
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }
}
