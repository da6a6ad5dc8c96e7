import { describe, expect, it } from 'vitest';
import { defaultEngineOptions, engineOptionsFromEnv } from './engine.ts';
import { retryDelayMs } from './sender.ts';

describe('engineOptionsFromEnv', () => {
  const base = defaultEngineOptions('w');

  it('reads the tuning variables an operator sets, and keeps the defaults for the rest', () => {
    const opts = engineOptionsFromEnv({ CADENZA_SEND_CONCURRENCY: '16', CADENZA_SEND_LEASE_SECONDS: '30', CADENZA_BATCH_SIZE: '' }, base);
    expect(opts.sender.concurrency).toBe(16);
    expect(opts.sender.leaseMs).toBe(30_000);
    expect(opts.batchSize).toBe(base.batchSize);
    expect(opts.sender.batchSize).toBe(base.sender.batchSize);
  });

  it('refuses a value that is not a whole number in range, naming the variable and the value', () => {
    expect(() => engineOptionsFromEnv({ CADENZA_SEND_CONCURRENCY: '0' }, base)).toThrow('CADENZA_SEND_CONCURRENCY must be a whole number >= 1, not "0"');
    expect(() => engineOptionsFromEnv({ CADENZA_BATCH_SIZE: 'lots' }, base)).toThrow('CADENZA_BATCH_SIZE must be a whole number >= 1, not "lots"');
    expect(() => engineOptionsFromEnv({ CADENZA_POLL_MS: '5' }, base)).toThrow('CADENZA_POLL_MS must be a whole number >= 10');
    expect(() => engineOptionsFromEnv({ CADENZA_SEND_LEASE_SECONDS: '1.5' }, base)).toThrow('CADENZA_SEND_LEASE_SECONDS');
  });
});

describe('the send retry window', () => {
  const base = defaultEngineOptions('w');

  it('is 72 hours unless CADENZA_SEND_RETRY_HOURS says otherwise, from 1 hour to 30 days', () => {
    expect(base.sender.retryWindowMs).toBe(72 * 3_600_000);
    expect(engineOptionsFromEnv({ CADENZA_SEND_RETRY_HOURS: '24' }, base).sender.retryWindowMs).toBe(24 * 3_600_000);
    expect(() => engineOptionsFromEnv({ CADENZA_SEND_RETRY_HOURS: '0' }, base)).toThrow('CADENZA_SEND_RETRY_HOURS must be a whole number >= 1 and <= 720, not "0"');
    expect(() => engineOptionsFromEnv({ CADENZA_SEND_RETRY_HOURS: '721' }, base)).toThrow('CADENZA_SEND_RETRY_HOURS must be a whole number >= 1 and <= 720');
    expect(() => engineOptionsFromEnv({ CADENZA_SEND_RETRY_HOURS: 'forever' }, base)).toThrow('CADENZA_SEND_RETRY_HOURS');
  });

  it('backs off 1, 2, 4 … minutes up to an hour, each wait between half and all of its ceiling', () => {
    const ceilings = [1, 2, 4, 8, 16, 32, 60, 60].map((m) => m * 60_000);
    expect(ceilings.map((_, i) => retryDelayMs(i, () => 1))).toEqual(ceilings);
    expect(ceilings.map((_, i) => retryDelayMs(i, () => 0))).toEqual(ceilings.map((c) => c / 2));
    expect(retryDelayMs(500, () => 1)).toBe(3_600_000);
  });
});
