import { describe, expect, it } from 'vitest';
import { defaultEngineOptions, engineOptionsFromEnv } from './engine.ts';

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
