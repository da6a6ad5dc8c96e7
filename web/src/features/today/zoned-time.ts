/**
 * Wall-clock arithmetic in a named zone with Intl alone (no date library in the bundle):
 * what time it is at the lead's, and instants such as "tomorrow 9:00" in the rep's zone.
 */

export interface WallTime {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** ISO weekday, Monday = 1. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** A zone Intl knows, else null (a lead's zone typed by hand may be anything). */
export function knownZone(zone: string | null | undefined): string | null {
  if (!zone) return null;
  try {
    partsFormatter(zone);
    return zone;
  } catch {
    return null;
  }
}

/** The wall clock in `zone` at `at`. */
export function wallTime(at: Date, zone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of partsFormatter(zone).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour) % 24, minute: Number(parts.minute), weekday: WEEKDAYS[parts.weekday!] ?? 1,
  };
}

/**
 * The instant when the wall clock in `zone` shows this date and time. A time skipped by
 * a clock change lands just after the change; a repeated one is its first occurrence.
 */
export function instantAt(wall: Pick<WallTime, 'year' | 'month' | 'day' | 'hour' | 'minute'>, zone: string): Date {
  const target = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  let guess = target;
  for (let i = 0; i < 3; i++) {
    const seen = wallTime(new Date(guess), zone);
    const diff = target - Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
    if (diff === 0) break;
    guess += diff;
  }
  return new Date(guess);
}

/** The calendar day `days` after this wall time's day (months and years roll over). */
export function addDays(wall: Pick<WallTime, 'year' | 'month' | 'day'>, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `YYYY-MM-DD` and `HH:MM` of an instant in a zone: the values of date and time inputs. */
export function toDateTimeInputs(at: Date, zone: string): { date: string; time: string } {
  const w = wallTime(at, zone);
  const two = (n: number) => String(n).padStart(2, '0');
  return { date: `${w.year}-${two(w.month)}-${two(w.day)}`, time: `${two(w.hour)}:${two(w.minute)}` };
}

/** The instant a date input and a time input mean in `zone`; null while either is incomplete. */
export function fromDateTimeInputs(date: string, time: string, zone: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const wall = { year: Number(d[1]), month: Number(d[2]), day: Number(d[3]), hour: Number(t[1]), minute: Number(t[2]) };
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31 || wall.hour > 23 || wall.minute > 59) return null;
  return instantAt(wall, zone);
}

export interface SnoozePreset {
  id: 'hour' | 'tomorrow' | 'monday';
  label: string;
  until: Date;
}

/** "In 1 hour", "Tomorrow 9:00" and "Next Monday 9:00", in the rep's zone. */
export function snoozePresets(now: Date, zone: string): SnoozePreset[] {
  const today = wallTime(now, zone);
  const nineOn = (day: { year: number; month: number; day: number }) => instantAt({ ...day, hour: 9, minute: 0 }, zone);
  const toMonday = 8 - today.weekday; // Monday itself: a week on
  return [
    { id: 'hour', label: 'In 1 hour', until: new Date(now.getTime() + 3600_000) },
    { id: 'tomorrow', label: 'Tomorrow 9:00', until: nineOn(addDays(today, 1)) },
    { id: 'monday', label: 'Next Monday 9:00', until: nineOn(addDays(today, toMonday)) },
  ];
}

/** Office hours at the lead's: a call outside them reaches nobody, or annoys. */
export const OFFICE_HOURS = { start: 9, end: 18 } as const;

export function isOfficeHours(wall: WallTime): boolean {
  return wall.hour >= OFFICE_HOURS.start && wall.hour < OFFICE_HOURS.end;
}

/** "Toronto" from "America/Toronto", "Ho Chi Minh" from "Asia/Ho_Chi_Minh". */
export function zoneCity(zone: string): string {
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}

/** When today began on the wall clock in `zone`: a task due before it is overdue. */
export function startOfDay(at: Date, zone: string): Date {
  const w = wallTime(at, zone);
  return instantAt({ year: w.year, month: w.month, day: w.day, hour: 0, minute: 0 }, zone);
}
