import { DateTime, Duration } from 'luxon';
import { MAX_INSTANT } from '../contract/common.ts';
import { assertAdmin, type Actor } from './actor.ts';
import type { ManualClock } from './clock.ts';
import { invalid } from './errors.ts';

/** What the clock waits for: the engine, seen from here (app does not import engine). */
export interface Drainable {
  drain(at: Date): Promise<unknown>;
}

/**
 * `POST /api/dev/clock` (CADENZA_CLOCK=manual): an admin moves the clock forward, by a
 * duration or to an instant. Answers only once the engine has processed everything due
 * at the new time.
 */
export async function moveDevClock(
  actor: Actor,
  clock: ManualClock,
  engine: Drainable | undefined,
  input: { advance?: string; to?: string },
): Promise<{ now: string }> {
  assertAdmin(actor);
  const now = clock.now();
  let target: Date;
  if (input.advance) {
    const duration = Duration.fromISO(input.advance);
    if (!duration.isValid || duration.toMillis() < 0) throw invalid('body.advance: expected a positive ISO-8601 duration', [{ path: 'body.advance', message: 'invalid duration' }]);
    // Calendar arithmetic in UTC: P1M from 2 March is 2 April.
    target = DateTime.fromJSDate(now, { zone: 'UTC' }).plus(duration).toJSDate();
  } else {
    target = new Date(input.to!);
    if (target < now) throw invalid(`body.to: the clock does not go backwards (now ${now.toISOString()})`, [{ path: 'body.to', message: 'before now' }]);
  }
  if (!(target.getTime() < MAX_INSTANT)) {
    throw invalid('body: the clock cannot go past the year 3000', [{ path: 'body', message: 'too far in the future' }]);
  }
  clock.set(target);
  if (engine) await engine.drain(target);
  return { now: target.toISOString() };
}
