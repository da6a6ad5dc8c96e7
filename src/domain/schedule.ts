import { IANAZone } from 'luxon';
import { assertNever } from './result.ts';

/**
 * Schedule arithmetic: delays and sending windows in a lead's time zone.
 * Pure: every instant, `now` included, is an argument.
 *
 * Method: Luxon gives the zone's UTC offset at an instant; everything else is
 * done on "wall" milliseconds (local wall-clock time written as if it were UTC),
 * where days are always 24 h, so calendar steps are plain additions. Going back
 * from wall time to an instant is where DST gaps and overlaps are resolved.
 */

export type DelayUnit = 'minutes' | 'hours' | 'days' | 'business_days';
export interface Delay { amount: number; unit: DelayUnit }
/** "HH:MM" 24 h local time, start < end; end exclusive. */
export interface TimeWindow { start: string; end: string }
/** ISO weekdays 1 = Monday … 7 = Sunday. */
export interface ScheduleSpec { days: number[]; windows: TimeWindow[] }
/** Holidays are local dates 'YYYY-MM-DD'. */
export interface WorkCalendar { workingDays: number[]; holidays: string[] }

export const DEFAULT_SCHEDULE: ScheduleSpec = { days: [1, 2, 3, 4, 5], windows: [{ start: '09:00', end: '17:00' }] };
export const DEFAULT_CALENDAR: WorkCalendar = { workingDays: [1, 2, 3, 4, 5], holidays: [] };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Past this many days without an opening the schedule is taken as unsatisfiable. */
export const MAX_SEARCH_DAYS = 800;

/** True for IANA names (and 'UTC'); fixed offsets and 'system' are refused so results never depend on the host. */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone === '') return false;
  // Luxon builds an Intl.DateTimeFormat to check a name: a third of the engine's CPU
  // before this cache (profile of a 20k-step drain). Zone names are few; cache them.
  let valid = validity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (validity.size < 10_000) validity.set(zone, valid);
  }
  return valid;
}
const validity = new Map<string, boolean>();

/** The first valid candidate (record's zone, then owner's, then org's…), else 'UTC'. */
export function resolveTimeZone(candidates: Array<string | null | undefined>): string {
  return candidates.find((z): z is string => typeof z === 'string' && isValidTimeZone(z)) ?? 'UTC';
}

export function addDelay(from: Date, delay: Delay, zone: string, calendar: WorkCalendar): Date {
  const { amount, unit } = delay;
  if (!Number.isFinite(amount) || amount < 0) throw new Error(`invalid delay amount ${amount}`);
  switch (unit) {
    case 'minutes':
      return new Date(from.getTime() + amount * MINUTE);
    case 'hours':
      return new Date(from.getTime() + amount * HOUR);
    case 'days':
    case 'business_days': {
      // Zero is "no change" even inside a repeated hour, where the wall time maps back to its first occurrence.
      if (amount === 0) return from;
      const tz = ianaZone(zone);
      const wall = toWall(from.getTime(), tz);
      const target = unit === 'days' ? wall + amount * DAY : addBusinessDays(wall, amount, calendar);
      return new Date(fromWall(target, tz));
    }
    default:
      return assertNever(unit);
  }
}

/**
 * The earliest instant >= `at` whose local time lies in a window on an allowed,
 * non-holiday day. Exact across DST changes: a window whose start falls in a
 * gap opens at the first instant after the gap; a repeated hour can re-enter a window.
 */
export function nextOpening(at: Date, schedule: ScheduleSpec, zone: string, holidays: string[] = []): Date {
  if (schedule.days.length === 0 || schedule.windows.length === 0) {
    throw new Error('schedule has no days or no windows');
  }
  const tz = ianaZone(zone);
  const open = openDays(schedule.days, holidays);
  const windows = schedule.windows
    .map((w) => ({ start: parseHHMM(w.start), end: parseHHMM(w.end) }))
    .sort((a, b) => a.start - b.start);

  // Walk the timeline one constant-offset stretch at a time: inside a stretch,
  // wall time is instant + offset, so the calendar search in wall time is exact.
  const limit = at.getTime() + MAX_SEARCH_DAYS * DAY;
  for (let t = at.getTime(); t <= limit; ) {
    const offset = offsetAt(t, tz);
    const candidate = earliestOpenWall(t + offset, windows, open) - offset;
    const change = nextOffsetChange(t, candidate, tz);
    if (change === null) return candidate === at.getTime() ? at : new Date(candidate);
    t = change; // the offset changed before the candidate: restart from there
  }
  throw new Error(`no opening within ${MAX_SEARCH_DAYS} days`);
}

export function dueAt(anchor: Date, delay: Delay, schedule: ScheduleSpec, zone: string, calendar: WorkCalendar): Date {
  return nextOpening(addDelay(anchor, delay, zone, calendar), schedule, zone, calendar.holidays);
}

// ---- wall-time helpers ----

type Window = { start: number; end: number }; // minutes after local midnight

function ianaZone(zone: string): IANAZone {
  // A bad zone would give NaN offsets and silently wrong dates: callers resolve zones first.
  if (!isValidTimeZone(zone)) throw new Error(`invalid time zone "${zone}"`);
  return IANAZone.create(zone);
}

/**
 * A zone's offset at an instant. Asking the zone (Intl under Luxon) is the engine's
 * costliest step when thousands of steps fall due together, so offsets are kept per
 * quarter hour. No zone changes its offset twice within a quarter hour, so a quarter
 * whose two ends agree has that offset throughout; any other is asked each time.
 */
function offsetAt(ms: number, tz: IANAZone): number {
  const quarter = Math.floor(ms / QUARTER);
  let byQuarter = offsets.get(tz.name);
  if (!byQuarter) offsets.set(tz.name, (byQuarter = new Map()));
  const known = byQuarter.get(quarter);
  if (known !== undefined) return known;
  const offset = tz.offset(ms) * MINUTE;
  const start = quarter * QUARTER;
  if (tz.offset(start) * MINUTE === offset && tz.offset(start + QUARTER - 1) * MINUTE === offset) {
    // Bounded (a few MB at most): a long-running worker starts over now and then.
    if (++offsetsKept > MAX_OFFSETS_KEPT) {
      offsets.clear();
      offsetsKept = 1;
      offsets.set(tz.name, (byQuarter = new Map()));
    }
    byQuarter.set(quarter, offset);
  }
  return offset;
}
const QUARTER = 15 * MINUTE;
const MAX_OFFSETS_KEPT = 100_000;
const offsets = new Map<string, Map<number, number>>();
let offsetsKept = 0;

function toWall(ms: number, tz: IANAZone): number {
  return ms + offsetAt(ms, tz);
}

/**
 * The instant showing wall time `wall`: the first of two in a repeated hour, or
 * the first instant after the gap when that time is skipped. Assumes at most one
 * offset change within a day either side, as in every real zone.
 */
function fromWall(wall: number, tz: IANAZone): number {
  const before = offsetAt(wall - DAY, tz);
  const after = offsetAt(wall + DAY, tz);
  const readings = [wall - before, wall - after].filter((ms) => offsetAt(ms, tz) === wall - ms);
  if (readings.length > 0) return Math.min(...readings);
  // A gap (clocks went forward, so after > before): the change itself is the first instant after it.
  const change = nextOffsetChange(wall - after, wall - before, tz);
  if (change === null) throw new Error('inconsistent zone offsets');
  return change;
}

/** The first instant in (from, to] whose offset differs from the one at `from`, or null. */
function nextOffsetChange(from: number, to: number, tz: IANAZone): number | null {
  const offset = offsetAt(from, tz);
  // Probe a day at a time (zones change offset at most once a day), then bisect to the millisecond.
  for (let lo = from; lo < to; lo += DAY) {
    let hi = Math.min(lo + DAY, to);
    if (offsetAt(hi, tz) === offset) continue;
    let same = lo;
    while (hi - same > 1) {
      const mid = same + Math.floor((hi - same) / 2);
      if (offsetAt(mid, tz) === offset) same = mid;
      else hi = mid;
    }
    return hi;
  }
  return null;
}

/** The earliest wall time >= `wall` inside a window on an open day. */
function earliestOpenWall(wall: number, windows: Window[], open: (day: number) => boolean): number {
  const firstDay = Math.floor(wall / DAY) * DAY;
  for (let i = 0; i <= MAX_SEARCH_DAYS; i++) {
    const day = firstDay + i * DAY;
    if (!open(day)) continue;
    for (const w of windows) {
      if (wall < day + w.end * MINUTE) return Math.max(wall, day + w.start * MINUTE);
    }
  }
  throw new Error(`no opening within ${MAX_SEARCH_DAYS} days`);
}

function openDays(weekdays: number[], holidays: string[]): (day: number) => boolean {
  const days = new Set(weekdays);
  const off = new Set(holidays);
  return (day) => days.has(isoWeekday(day)) && !off.has(isoDate(day));
}

function addBusinessDays(wall: number, amount: number, calendar: WorkCalendar): number {
  const open = openDays(calendar.workingDays, calendar.holidays);
  let day = wall;
  // From a non-working day, count from the start of the next working day: a Saturday
  // touch plus one business day is Tuesday 00:00, never earlier than Friday's +1 (Monday).
  // This keeps due instants monotonic in the anchor.
  if (!open(day)) {
    day -= ((day % DAY) + DAY) % DAY;
    for (let idle = 0; !open(day); ) {
      day += DAY;
      if (++idle > MAX_SEARCH_DAYS) throw new Error(`no working day within ${MAX_SEARCH_DAYS} days`);
    }
  }
  for (let counted = 0, idle = 0; counted < amount; ) {
    day += DAY;
    if (open(day)) {
      counted++;
      idle = 0;
    } else if (++idle > MAX_SEARCH_DAYS) {
      throw new Error(`no working day within ${MAX_SEARCH_DAYS} days`);
    }
  }
  return day;
}

function isoWeekday(wall: number): number {
  return ((new Date(wall).getUTCDay() + 6) % 7) + 1;
}

function isoDate(wall: number): string {
  return new Date(wall).toISOString().slice(0, 10);
}

function parseHHMM(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`invalid time "${hhmm}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}
