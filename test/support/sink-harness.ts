import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { BackendName } from './backends.ts';
import { startHarness, type Harness } from './harness.ts';
import { SmtpSink } from './smtp-sink.ts';

/**
 * For a describe block: a real SMTP sink on loopback for the whole block, and before each
 * test a fresh harness (database, manual clock at `start`, engine, API) sending to it, the
 * sink emptied of what earlier tests received and of their faults. Read `h` in a test
 * (or a later beforeEach): it is the current test's harness.
 */
export function sinkAndHarness(backend: BackendName, start = new Date('2026-03-02T08:00:00Z')) {
  const sink = new SmtpSink();
  const state = { sink, smtpUrl: '', h: undefined as unknown as Harness };
  beforeAll(async () => { state.smtpUrl = await sink.start(); });
  afterAll(() => sink.stop());
  beforeEach(async () => {
    sink.received.length = 0;
    sink.faults.clear();
    state.h = await startHarness(backend, start, state.smtpUrl);
  }, 180_000); // the first one makes the migrated PGlite template: slow on a busy machine
  afterEach(() => state.h.close());
  return state;
}
