import { DateTime } from 'luxon';

/** The start of the calendar day that `now` falls on in `zone`: throttles count per rep per local day. */
export function startOfLocalDay(now: Date, zone: string): Date {
  return DateTime.fromJSDate(now, { zone }).startOf('day').toJSDate();
}

/**
 * How many of `waiting` (in enrolment order) may start now under a per-rep daily
 * limit, given how many already started today.
 */
export function startsAllowed(limit: number | null, startedToday: number, waiting: number): number {
  if (limit === null) return waiting;
  return Math.max(0, Math.min(waiting, limit - startedToday));
}
