import { describe, expect, it } from 'vitest';
import type { Actor } from '../app/actor.ts';
import { TOKEN_CACHE_MS, TokenCache } from './token-cache.ts';

const alice: Actor = { id: 'u1', role: 'rep', name: 'Alice', email: 'alice@example.com' };

/** A loader over a mutable token table that counts its lookups, and a clock the test moves. */
function setup(opts: { maxEntries?: number } = {}) {
  const table = new Map<string, Actor>([['t1', alice]]);
  const lookups: string[] = [];
  let now = 0;
  const cache = new TokenCache(async (token) => {
    lookups.push(token);
    return table.get(token) ?? null;
  }, { now: () => now, ...opts });
  return { cache, table, lookups, advance: (ms: number) => { now += ms; } };
}

describe('TokenCache', () => {
  it('looks a busy token up once per TOKEN_CACHE_MS, concurrent first requests included', async () => {
    const { cache, lookups, advance } = setup();
    expect(await Promise.all(Array.from({ length: 16 }, () => cache.actorOf('t1')))).toEqual(Array(16).fill(alice));
    advance(TOKEN_CACHE_MS - 1);
    expect(await cache.actorOf('t1')).toEqual(alice);
    expect(lookups).toEqual(['t1']);
    advance(1);
    expect(await cache.actorOf('t1')).toEqual(alice);
    expect(lookups).toEqual(['t1', 't1']);
  });

  it('refuses a revoked token once TOKEN_CACHE_MS has passed', async () => {
    const { cache, table, advance } = setup();
    expect(await cache.actorOf('t1')).toEqual(alice);
    table.delete('t1');
    advance(TOKEN_CACHE_MS);
    expect(await cache.actorOf('t1')).toBeNull();
  });

  it('never remembers an unknown token: one issued right after a refusal works at once', async () => {
    const { cache, table } = setup();
    expect(await cache.actorOf('t2')).toBeNull();
    table.set('t2', alice);
    expect(await cache.actorOf('t2')).toEqual(alice);
  });

  it('does not remember a failed lookup', async () => {
    let fail = true;
    const cache = new TokenCache(async () => {
      if (fail) throw new Error('database down');
      return alice;
    }, { now: () => 0 });
    await expect(cache.actorOf('t1')).rejects.toThrow('database down');
    fail = false;
    expect(await cache.actorOf('t1')).toEqual(alice);
  });

  it('holds at most maxEntries tokens, dropping the oldest', async () => {
    const { cache, table, lookups } = setup({ maxEntries: 2 });
    for (const t of ['a', 'b', 'c']) table.set(t, alice);
    for (const t of ['a', 'b', 'c', 'c', 'b', 'a']) await cache.actorOf(t);
    expect(lookups).toEqual(['a', 'b', 'c', 'a']);
  });
});
