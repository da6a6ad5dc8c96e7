import type { Actor } from '../app/actor.ts';

/**
 * How long a bearer token's holder is remembered. A token deleted from the database,
 * or a holder's changed role, takes effect on a running server within this time; an
 * unknown token is never remembered, so a newly issued one works at once.
 */
export const TOKEN_CACHE_MS = 2_000;

export interface TokenCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  /** Milliseconds on a monotonic clock (tests pass their own). */
  now?: () => number;
}

/**
 * Token → actor for a few seconds: a client calling many times a second (a tracking
 * integration posting opens) skips the token lookup, one round trip per request.
 * Concurrent first requests with the same token share one lookup.
 */
export class TokenCache {
  private readonly entries = new Map<string, { actor: Promise<Actor | null>; until: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly load: (token: string) => Promise<Actor | null>, opts: TokenCacheOptions = {}) {
    this.ttlMs = opts.ttlMs ?? TOKEN_CACHE_MS;
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Forgets every holder: a change that takes rights away (a deactivation) is seen by this process at once. */
  clear(): void {
    this.entries.clear();
  }

  async actorOf(token: string): Promise<Actor | null> {
    const now = this.now();
    const hit = this.entries.get(token);
    if (hit && hit.until > now) return hit.actor;
    this.entries.delete(token);
    // Oldest first: Map keeps insertion order.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    const entry = { actor: this.load(token), until: now + this.ttlMs };
    this.entries.set(token, entry);
    const forget = () => {
      if (this.entries.get(token) === entry) this.entries.delete(token);
    };
    try {
      const actor = await entry.actor;
      if (!actor) forget();
      return actor;
    } catch (error) {
      forget();
      throw error;
    }
  }
}
