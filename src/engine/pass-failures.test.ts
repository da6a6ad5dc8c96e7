import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../ops/logger.ts';
import { PassFailures, isConnectionError } from './pass-failures.ts';

function captured() {
  const lines: Array<{ level: number; msg: string; err?: { stack?: string } }> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger({ LOG_LEVEL: 'info' }, destination) };
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('PassFailures', () => {
  it('a lost database costs one line, a reminder a minute, one line when it is back; the wait doubles up to 5 s', () => {
    const { lines, log } = captured();
    const failures = new PassFailures(log, 1000);
    let t = 0;
    const delays: number[] = [];
    // Ten minutes of failed passes, each after the wait the last one asked for.
    while (t < 600_000) {
      const delay = failures.failed(refused, new Date(t));
      delays.push(delay);
      t += delay;
    }
    expect(delays.slice(0, 5)).toEqual([1000, 2000, 4000, 5000, 5000]);
    failures.succeeded(new Date(t));
    expect(lines.map((l) => l.msg)).toEqual([
      'engine: database unreachable; retrying with back-off',
      ...Array(9).fill('engine: database still unreachable'),
      'engine: database reachable again; resuming',
    ]);
    expect(lines.some((l) => l.err?.stack)).toBe(false);
    // The next outage is reported afresh.
    failures.failed(refused, new Date(t + 1000));
    expect(lines).toHaveLength(12);
  });

  it('a failure that is not the database is logged with its stack, once', () => {
    const { lines, log } = captured();
    const failures = new PassFailures(log, 1000);
    for (let i = 0; i < 5; i++) failures.failed(new TypeError('a bug'), new Date(i * 1000));
    expect(lines).toHaveLength(1);
    expect(lines[0].msg).toBe('engine: pass failed; retrying with back-off');
    expect(lines[0].err?.stack).toContain('TypeError: a bug');
  });

  it('knows a lost database from a wrong statement', () => {
    expect(isConnectionError(refused)).toBe(true);
    expect(isConnectionError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
  });
});
