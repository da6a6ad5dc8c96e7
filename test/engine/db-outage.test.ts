/**
 * A worker whose PostgreSQL is stopped under it, for about 15 s of passes, and started
 * again: it says so in a few log lines (not a stack trace a pass), and once the
 * database is back it finishes what it held in the next passes, at the same moment
 * (no lease has to run out), sending nothing twice. The cluster is a throw-away one
 * that the test makes itself (test/support/pg-cluster.ts), never the machine's own.
 */
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import { createContext, type AppContext } from '../../src/app/context.ts';
import { Engine, defaultEngineOptions } from '../../src/engine/engine.ts';
import { createLogger } from '../../src/ops/logger.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { ThrowawayCluster, throwawayClusterSupport } from '../support/pg-cluster.ts';
import { seedBacklog } from '../support/backlog.ts';
import { SmtpSink } from '../support/smtp-sink.ts';

const LEADS = 600;
const support = throwawayClusterSupport();

if ('reason' in support) {
  describe('a worker whose database goes away', () => {
    it.skip(`skipped: ${support.reason}`, () => {});
  });
} else {
  describe('a worker whose database goes away', () => {
    const sink = new SmtpSink();
    const lines: Array<{ level: number; msg: string; err?: unknown }> = [];
    let cluster: ThrowawayCluster;
    let database: Database;
    let ctx: AppContext;
    const clock = new ManualClock(new Date('2026-03-02T08:00:00Z'));

    beforeAll(async () => {
      cluster = await ThrowawayCluster.create();
      database = await openDatabase({ databaseUrl: cluster.url, poolSize: 4 });
      await migrateToLatest(database);
      const destination = new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
          done();
        },
      });
      ctx = createContext(database.db, clock, { publicUrl: 'http://cadenza.test', smtpUrl: await sink.start() },
        { log: createLogger({ LOG_LEVEL: 'info' }, destination) });
      // A backlog due at once: LEADS enrolments of (email, task, email).
      await seedBacklog(ctx, { leads: LEADS, domain: 'outage.test', prefix: 'o' });
    });

    afterAll(async () => {
      await database?.close();
      await sink.stop();
      await cluster?.destroy();
    });

    it('logs a few lines, not a stack trace a pass, and finishes what it held once the database is back, sending nothing twice', async () => {
      const options = defaultEngineOptions('outage-worker');
      const engine = new Engine(ctx, options);
      try {
        // The worker drains part of the backlog; the database is stopped under it.
        let passEnded = false;
        const firstPass = engine.tick().finally(() => { passEnded = true; });
        while (!passEnded && sink.received.length < 100) await new Promise((resolve) => setImmediate(resolve));
        await cluster.stop();
        let delay = await firstPass;
        expect(sink.received.length).toBeLessThan(2 * LEADS);

        // About 15 s of passes on the engine's clock, each after the back-off the last asked for.
        const stoppedAt = clock.now().getTime();
        const failedPasses = [delay];
        while (clock.now().getTime() - stoppedAt < 15_000) {
          clock.advance(delay);
          delay = await engine.tick();
          failedPasses.push(delay);
        }
        expect(failedPasses.length).toBeGreaterThan(3);
        expect(Math.max(...failedPasses)).toBeLessThanOrEqual(5_000);

        // Back: the next passes finish everything, the clock standing still.
        await cluster.start();
        const open = async () => (await sql<{ n: number }>`
          select (select count(*)::int from enrollments where status <> 'completed')
               + (select count(*)::int from emails where status in ('queued', 'sending')) as n`.execute(database.db)).rows[0].n;
        let passes = 0;
        while (passes < 20 && (passes === 0 || (await open()) > 0)) {
          await engine.tick();
          passes++;
        }
        expect(await open()).toBe(0);
        expect(clock.now().getTime() - stoppedAt).toBeLessThan(options.sender.leaseMs);
      } finally {
        await engine.stop();
      }

      // Bounded lines: one when the database went, one when it came back; no stack traces.
      expect(lines.map((l) => l.msg)).toEqual([
        'engine: database unreachable; retrying with back-off',
        'engine: database reachable again; resuming',
      ]);
      expect(lines.some((l) => l.err)).toBe(false);

      // Every step once, every email sent once, none in doubt.
      const [counts] = (await sql<{ executions: number; distinct_steps: number; sent: number; other: number }>`
        select (select count(*)::int from step_executions) as executions,
               (select count(*)::int from (select distinct enrollment_id, step_id from step_executions) x) as distinct_steps,
               (select count(*)::int from emails where status = 'sent') as sent,
               (select count(*)::int from emails where status <> 'sent') as other`.execute(database.db)).rows;
      expect(counts).toEqual({ executions: 3 * LEADS, distinct_steps: 3 * LEADS, sent: 2 * LEADS, other: 0 });
      const received = sink.received.map((m) => m.parsed.messageId);
      expect(received).toHaveLength(2 * LEADS);
      expect(new Set(received).size).toBe(2 * LEADS);
    });
  });
}
