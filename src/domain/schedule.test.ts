import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  addDelay,
  DEFAULT_CALENDAR,
  DEFAULT_SCHEDULE,
  dueAt,
  isValidTimeZone,
  nextOpening,
  resolveTimeZone,
  type Delay,
  type ScheduleSpec,
  type WorkCalendar,
} from './schedule.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FROM = Date.UTC(2026, 0, 1);
const UNTIL = Date.UTC(2028, 0, 1);

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Sydney',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'UTC',
  'Pacific/Chatham',
  'America/Santiago', // changes at local midnight
  'America/St_Johns', // -03:30 with DST
];

// ---- an oracle independent of Luxon: Intl only ----

const formatters = new Map<string, Intl.DateTimeFormat>();
function local(ms: number, zone: string) {
  let f = formatters.get(zone);
  if (!f) {
    const numeric = 'numeric' as const;
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: numeric, month: numeric, day: numeric, hour: numeric, minute: numeric,
    });
    formatters.set(zone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(ms)) p[part.type] = part.value;
  const dayMs = Date.UTC(+p.year, +p.month - 1, +p.day);
  const minutes = +p.hour * 60 + +p.minute;
  return {
    date: new Date(dayMs).toISOString().slice(0, 10),
    weekday: ((new Date(dayMs).getUTCDay() + 6) % 7) + 1,
    minutes,
    offset: (dayMs + minutes * MINUTE - (ms - (ms % MINUTE))) / MINUTE,
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const iso = (s: string) => new Date(s);

function isOpen(ms: number, s: ScheduleSpec, zone: string, holidays: string[] = []): boolean {
  const l = local(ms, zone);
  return (
    s.days.includes(l.weekday) &&
    !holidays.includes(l.date) &&
    s.windows.some((w) => toMinutes(w.start) <= l.minutes && l.minutes < toMinutes(w.end))
  );
}

/** First open instant in [at, until], stepping minute by minute (offsets and window edges are whole minutes). */
function bruteForceOpening(at: number, until: number, s: ScheduleSpec, zone: string, holidays: string[]): number | null {
  if (isOpen(at, s, zone, holidays)) return at;
  for (let t = Math.ceil(at / MINUTE) * MINUTE; t <= until; t += MINUTE) {
    if (isOpen(t, s, zone, holidays)) return t;
  }
  return null;
}

/** Every UTC-offset change in [FROM, UNTIL), found by scanning Intl offsets, then bisecting to the minute. */
function offsetChanges(zone: string): number[] {
  const step = 3 * HOUR; // changes are months apart
  const changes: number[] = [];
  for (let t = FROM; t < UNTIL; t += step) {
    const before = local(t, zone).offset;
    if (local(t + step, zone).offset === before) continue;
    let lo = t;
    let hi = t + step;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (local(mid, zone).offset === before) lo = mid;
      else hi = mid;
    }
    changes.push(hi);
  }
  return changes;
}

const CHANGES = new Map(ZONES.map((z) => [z, offsetChanges(z)]));
const NEAR = [-90, -60, -31, -30, -1, 0, 1, 29, 30, 60, 90].map((m) => m * MINUTE);
const anchorsNearChanges = (zone: string) => CHANGES.get(zone)!.flatMap((c) => NEAR.map((d) => c + d));

// ---- generators ----

const zoneArb = fc.constantFrom(...ZONES);
/** Instants in 2026–2027, a third of them within 90 min of one of the zone's offset changes. */
const instantArb = (zone: string) => {
  const random = fc.integer({ min: FROM, max: UNTIL - 1 });
  const near = anchorsNearChanges(zone);
  return near.length === 0 ? random : fc.oneof({ arbitrary: random, weight: 2 }, { arbitrary: fc.constantFrom(...near), weight: 1 });
};
/** 1–3 disjoint windows drawn from sorted distinct minutes; `earliest` keeps them clear of small-hours DST changes. */
const scheduleArb = (earliest = 0, latest = 1439): fc.Arbitrary<ScheduleSpec> =>
  fc.record({
    days: fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
    windows: fc
      .uniqueArray(fc.integer({ min: earliest, max: latest }), { minLength: 2, maxLength: 6 })
      .map((ms) => {
        const sorted = [...ms].sort((a, b) => a - b);
        const windows = [];
        for (let i = 0; i + 1 < sorted.length; i += 2) windows.push({ start: hhmm(sorted[i]), end: hhmm(sorted[i + 1]) });
        return windows;
      }),
  });
/** Holidays near the instant, so they actually matter. */
const holidaysArb = (at: number, zone: string) =>
  fc.uniqueArray(fc.integer({ min: -1, max: 12 }), { maxLength: 4 }).map((ks) => ks.map((k) => local(at + k * DAY, zone).date));

const openingCase = zoneArb.chain((zone) =>
  instantArb(zone).chain((at) =>
    fc.record({
      zone: fc.constant(zone),
      at: fc.constant(at),
      schedule: scheduleArb(),
      holidays: holidaysArb(at, zone),
    }),
  ),
);

// ---- examples ----

describe('time zones', () => {
  it('recognises IANA zones', () => {
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Base')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('resolves to the first valid candidate, else UTC', () => {
    expect(resolveTimeZone([null, 'Mars/Base', undefined, 'Europe/Paris', 'Asia/Tokyo'])).toBe('Europe/Paris');
    expect(resolveTimeZone([undefined, 'nope'])).toBe('UTC');
    expect(resolveTimeZone([])).toBe('UTC');
  });

  it('refuses to compute in an invalid zone', () => {
    expect(() => nextOpening(iso('2026-03-13T12:00Z'), DEFAULT_SCHEDULE, 'Mars/Base')).toThrow(/time zone/);
  });
});

describe('nextOpening', () => {
  it('moves Friday 18:00 in Kolkata to Monday 09:00 IST', () => {
    // 2026-03-13 is a Friday; 18:00 IST = 12:30Z.
    expect(nextOpening(iso('2026-03-13T12:30Z'), DEFAULT_SCHEDULE, 'Asia/Kolkata')).toEqual(iso('2026-03-16T03:30Z'));
  });

  it('returns the instant itself inside a window, and the window end is exclusive', () => {
    const at = iso('2026-03-16T10:00Z');
    expect(nextOpening(at, DEFAULT_SCHEDULE, 'UTC')).toBe(at);
    expect(nextOpening(iso('2026-03-16T17:00Z'), DEFAULT_SCHEDULE, 'UTC')).toEqual(iso('2026-03-17T09:00Z'));
  });

  it('opens at the next window of the same day', () => {
    const split: ScheduleSpec = { days: [1, 2, 3, 4, 5], windows: [{ start: '13:00', end: '17:00' }, { start: '09:00', end: '12:00' }] };
    expect(nextOpening(iso('2026-03-16T12:30Z'), split, 'UTC')).toEqual(iso('2026-03-16T13:00Z'));
    expect(nextOpening(iso('2026-03-16T08:00Z'), split, 'UTC')).toEqual(iso('2026-03-16T09:00Z'));
  });

  it('skips holidays', () => {
    expect(nextOpening(iso('2026-12-24T18:00Z'), DEFAULT_SCHEDULE, 'UTC', ['2026-12-25'])).toEqual(iso('2026-12-28T09:00Z'));
  });

  it('handles the +05:45 of Kathmandu', () => {
    // Monday 2026-06-15 07:45 NPT → 09:00 NPT = 03:15Z.
    expect(nextOpening(iso('2026-06-15T02:00Z'), DEFAULT_SCHEDULE, 'Asia/Kathmandu')).toEqual(iso('2026-06-15T03:15Z'));
  });

  it("follows Lord Howe's 30-minute DST change", () => {
    // Friday 2026-04-03 18:00 at +11; DST ends Sunday 5 April, so Monday 09:00 is at +10:30.
    expect(nextOpening(iso('2026-04-03T07:00Z'), DEFAULT_SCHEDULE, 'Australia/Lord_Howe')).toEqual(iso('2026-04-05T22:30Z'));
    // Clocks go 02:00 → 02:30 on 2026-10-04: a 02:15 window start opens at 02:30 (+11).
    const night: ScheduleSpec = { days: [7], windows: [{ start: '02:15', end: '03:00' }] };
    expect(nextOpening(iso('2026-10-03T14:30Z'), night, 'Australia/Lord_Howe')).toEqual(iso('2026-10-03T15:30Z'));
  });

  it('opens a window whose start is skipped by spring-forward at the first instant after the gap', () => {
    // New York, 2026-03-08: 02:00 EST → 03:00 EDT (07:00Z).
    const night: ScheduleSpec = { days: [7], windows: [{ start: '02:30', end: '04:00' }] };
    expect(nextOpening(iso('2026-03-08T05:00Z'), night, 'America/New_York')).toEqual(iso('2026-03-08T07:00Z'));
  });

  it('re-enters a window when fall-back repeats its hour', () => {
    // New York, 2026-11-01: 01:40 EDT (05:40Z) is past 01:00–01:30, but at 06:00Z the clock reads 01:00 EST again.
    const night: ScheduleSpec = { days: [7], windows: [{ start: '01:00', end: '01:30' }] };
    expect(nextOpening(iso('2026-11-01T05:40Z'), night, 'America/New_York')).toEqual(iso('2026-11-01T06:00Z'));
  });

  it('throws on an empty or unsatisfiable schedule', () => {
    const at = iso('2026-03-16T10:00Z');
    expect(() => nextOpening(at, { days: [], windows: DEFAULT_SCHEDULE.windows }, 'UTC')).toThrow();
    expect(() => nextOpening(at, { days: [1], windows: [] }, 'UTC')).toThrow();
    expect(() => nextOpening(at, { days: [9], windows: DEFAULT_SCHEDULE.windows }, 'UTC')).toThrow(/800 days/);
  });
});

describe('addDelay', () => {
  const days = (amount: number): Delay => ({ amount, unit: 'days' });

  it('adds minutes and hours as elapsed time, even across a DST change', () => {
    const before = iso('2026-03-08T06:30Z'); // 01:30 EST
    expect(addDelay(before, { amount: 90, unit: 'minutes' }, 'America/New_York', DEFAULT_CALENDAR)).toEqual(iso('2026-03-08T08:00Z'));
    expect(addDelay(before, { amount: 1, unit: 'hours' }, 'America/New_York', DEFAULT_CALENDAR)).toEqual(iso('2026-03-08T07:30Z'));
  });

  it.each([
    ['America/New_York', '2026-03-07T14:30Z', '2026-03-08T13:30Z'], // 09:30 EST → 09:30 EDT
    ['America/New_York', '2026-10-31T13:30Z', '2026-11-01T14:30Z'], // 09:30 EDT → 09:30 EST
    ['Europe/London', '2026-03-28T09:30Z', '2026-03-29T08:30Z'], // 09:30 GMT → 09:30 BST
    ['Europe/London', '2026-10-24T08:30Z', '2026-10-25T09:30Z'], // 09:30 BST → 09:30 GMT
  ])('keeps 09:30 local across a DST change in %s (%s)', (zone, from, to) => {
    expect(addDelay(iso(from), days(1), zone, DEFAULT_CALENDAR)).toEqual(iso(to));
  });

  it('moves a skipped wall time to the first instant after the gap', () => {
    // 02:30 on 2026-03-07 + 1 day: 02:30 does not exist on the 8th in New York.
    expect(addDelay(iso('2026-03-07T07:30Z'), days(1), 'America/New_York', DEFAULT_CALENDAR)).toEqual(iso('2026-03-08T07:00Z'));
  });

  it('counts business days over a weekend and a holiday, keeping wall time', () => {
    const calendar: WorkCalendar = { workingDays: [1, 2, 3, 4, 5], holidays: ['2026-12-25'] };
    const thursday = iso('2026-12-24T09:00Z'); // 10:00 in Paris
    const bd = (amount: number) => addDelay(thursday, { amount, unit: 'business_days' }, 'Europe/Paris', calendar);
    expect(bd(0)).toBe(thursday);
    expect(bd(1)).toEqual(iso('2026-12-28T09:00Z')); // Monday
    expect(bd(2)).toEqual(iso('2026-12-29T09:00Z'));
    // From a non-working day the count starts at the next working day's start: Saturday + 1 is Tuesday 00:00.
    expect(addDelay(iso('2026-12-26T09:00Z'), { amount: 1, unit: 'business_days' }, 'Europe/Paris', calendar)).toEqual(
      iso('2026-12-28T23:00Z'),
    );
  });

  it('refuses a negative amount and a calendar without working days', () => {
    const at = iso('2026-03-16T10:00Z');
    expect(() => addDelay(at, { amount: -1, unit: 'hours' }, 'UTC', DEFAULT_CALENDAR)).toThrow();
    expect(() => addDelay(at, { amount: 1, unit: 'business_days' }, 'UTC', { workingDays: [], holidays: [] })).toThrow();
  });
});

describe('dueAt', () => {
  it('delays then moves into the schedule', () => {
    // Friday 16:30 IST + 1 hour = 17:30, closed → Monday 09:00 IST.
    const due = dueAt(iso('2026-03-13T11:00Z'), { amount: 1, unit: 'hours' }, DEFAULT_SCHEDULE, 'Asia/Kolkata', DEFAULT_CALENDAR);
    expect(due).toEqual(iso('2026-03-16T03:30Z'));
  });
});

// ---- properties ----

describe('offset changes found by the Intl scan', () => {
  it('has two a year where DST is kept, none in São Paulo since 2019', () => {
    for (const zone of ['America/New_York', 'Europe/London', 'Australia/Sydney']) expect(CHANGES.get(zone)).toHaveLength(4);
    expect(CHANGES.get('America/Sao_Paulo')).toHaveLength(0);
  });
});

describe('nextOpening properties', () => {
  it('lands inside a window on an allowed, non-holiday day, never before the input', () => {
    fc.assert(
      fc.property(openingCase, ({ zone, at, schedule, holidays }) => {
        const result = nextOpening(new Date(at), schedule, zone, holidays).getTime();
        expect(result).toBeGreaterThanOrEqual(at);
        expect(isOpen(result, schedule, zone, holidays)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('is the earliest such instant (minute-stepping brute force)', () => {
    fc.assert(
      fc.property(openingCase, ({ zone, at, schedule, holidays }) => {
        const result = nextOpening(new Date(at), schedule, zone, holidays).getTime();
        expect(bruteForceOpening(at, result, schedule, zone, holidays)).toBe(result);
      }),
      { numRuns: 60 },
    );
  });
});

describe('addDelay and dueAt properties', () => {
  const calendarArb = (at: number, zone: string) =>
    fc.record({ workingDays: fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }), holidays: holidaysArb(at, zone) });

  it('N business days lands on a working, non-holiday day after exactly N of them', () => {
    const arb = zoneArb.chain((zone) =>
      instantArb(zone).chain((at) =>
        fc.record({ zone: fc.constant(zone), at: fc.constant(at), n: fc.integer({ min: 1, max: 15 }), calendar: calendarArb(at, zone) }),
      ),
    );
    fc.assert(
      fc.property(arb, ({ zone, at, n, calendar }) => {
        const result = addDelay(new Date(at), { amount: n, unit: 'business_days' }, zone, calendar).getTime();
        const end = local(result, zone);
        expect(calendar.workingDays).toContain(end.weekday);
        expect(calendar.holidays).not.toContain(end.date);
        // Count working days in (start date, end date] by walking calendar dates; from a
        // non-working day the next working day is where counting starts, so it is one more.
        const works = (date: Date) => calendar.workingDays.includes(((date.getUTCDay() + 6) % 7) + 1) && !calendar.holidays.includes(date.toISOString().slice(0, 10));
        let counted = 0;
        for (let d = Date.parse(local(at, zone).date) + DAY; d <= Date.parse(end.date); d += DAY) {
          if (works(new Date(d))) counted++;
        }
        expect(counted).toBe(works(new Date(Date.parse(local(at, zone).date))) ? n : n + 1);
      }),
      { numRuns: 200 },
    );
  });

  it('N days keeps the local wall time, or lands just after a gap that swallowed it', () => {
    const arb = zoneArb.chain((zone) => fc.record({ zone: fc.constant(zone), at: instantArb(zone), n: fc.integer({ min: 1, max: 400 }) }));
    fc.assert(
      fc.property(arb, ({ zone, at, n }) => {
        const result = addDelay(new Date(at), { amount: n, unit: 'days' }, zone, DEFAULT_CALENDAR).getTime();
        const [start, end] = [local(at, zone), local(result, zone)];
        expect(Date.parse(end.date) - Date.parse(start.date)).toBe(n * DAY);
        if (end.minutes !== start.minutes) {
          expect(end.minutes).toBeGreaterThan(start.minutes);
          expect(local(result - MINUTE, zone).offset).toBeLessThan(end.offset); // an offset change just happened
        }
      }),
      { numRuns: 200 },
    );
  });

  /**
   * Keeping the wall time is not monotonic in two places, so the generators stay clear of them:
   * - anchors in a repeated hour (01:30 EDT then 01:10 EST, +1 day) when a window covers those
   *   small hours: windows here lie within 04:00–22:00, away from every zone's change hours;
   * (business days from a non-working day count from the next working day's start, which
   *   keeps them monotonic: Sat 10:00 + 1 → Tue 00:00, after Fri 15:00 + 1 → Mon 15:00).
   */
  it('dueAt never goes backwards when the anchor moves later', () => {
    const delayArb = fc.record({
      amount: fc.integer({ min: 0, max: 10 }),
      unit: fc.constantFrom<Delay['unit']>('minutes', 'hours', 'days', 'business_days'),
    });
    const arb = zoneArb.chain((zone) =>
      instantArb(zone).chain((a) =>
        fc.record({
          zone: fc.constant(zone),
          a: fc.constant(a),
          b: fc.oneof(fc.integer({ min: 0, max: 3 * HOUR }), fc.integer({ min: 0, max: 4 * DAY })).map((d) => a + d),
          delay: delayArb,
          schedule: scheduleArb(4 * 60, 22 * 60),
          calendar: calendarArb(a, zone),
        }),
      ),
    );
    fc.assert(
      fc.property(arb, ({ zone, a, b, delay, schedule, calendar }) => {
        const dueA = dueAt(new Date(a), delay, schedule, zone, calendar).getTime();
        const dueB = dueAt(new Date(b), delay, schedule, zone, calendar).getTime();
        expect(dueB).toBeGreaterThanOrEqual(dueA);
      }),
      { numRuns: 300 },
    );
  });

  it('holds at every DST change of 2026–2027 in New York, London, Sydney and São Paulo', () => {
    const delays: Delay[] = [
      { amount: 0, unit: 'minutes' },
      { amount: 30, unit: 'minutes' },
      { amount: 2, unit: 'hours' },
      { amount: 1, unit: 'days' },
      { amount: 1, unit: 'business_days' },
    ];
    const schedules: ScheduleSpec[] = [
      DEFAULT_SCHEDULE,
      { days: [1, 2, 3, 4, 5, 6, 7], windows: [{ start: '00:00', end: '01:15' }, { start: '01:45', end: '02:30' }, { start: '03:00', end: '23:59' }] },
    ];
    for (const zone of ['America/New_York', 'Europe/London', 'Australia/Sydney', 'America/Sao_Paulo']) {
      // São Paulo has no change any more: its anchors are the other zones' change instants.
      const anchors = zone === 'America/Sao_Paulo' ? [...CHANGES.values()].flat() : anchorsNearChanges(zone);
      for (const schedule of schedules) {
        for (const delay of delays) {
          let previous = -Infinity;
          for (const anchor of [...anchors].sort((x, y) => x - y)) {
            const due = dueAt(new Date(anchor), delay, schedule, zone, DEFAULT_CALENDAR).getTime();
            expect(isOpen(due, schedule, zone)).toBe(true);
            expect(due).toBeGreaterThanOrEqual(anchor);
            // See the caveat above: these anchors are mostly on weekend nights, and the second schedule covers the small hours.
            if (schedule === DEFAULT_SCHEDULE && delay.unit !== 'business_days') expect(due).toBeGreaterThanOrEqual(previous);
            previous = due;
          }
        }
      }
    }
  });
});
