import type { Delay } from '@contract/cadences.ts';

/**
 * The "Day N" of each step: when it falls due counted from the enrolment (Day 1), as
 * if every earlier step were done on time. A business-day delay skips non-working days,
 * so where it lands depends on the weekday the lead is enrolled: `first`–`last` is the
 * earliest and latest Day N over the working weekdays (equal when it does not depend).
 * Holidays and the schedule's window can still move a step later; that is said beside it.
 */
export interface StepDay {
  first: number;
  last: number;
}

const DAY = 24 * 60;

/** ISO weekday (Monday = 1) of the `offset`-th day after a start on `start`. */
const weekday = (start: number, offset: number) => ((start - 1 + offset) % 7) + 1;

function dueMinutes(delays: readonly Delay[], start: number, working: ReadonlySet<number>): number[] {
  let t = 0;
  return delays.map(({ amount, unit }) => {
    const n = Number.isFinite(amount) ? Math.max(0, amount) : 0;
    if (unit === 'minutes') t += n;
    else if (unit === 'hours') t += n * 60;
    else if (unit === 'days') t += n * DAY;
    else {
      let day = Math.floor(t / DAY);
      const timeOfDay = t - day * DAY;
      let left = Math.ceil(n);
      // No working day at all: the server cannot honour it either; count calendar days.
      while (left > 0) {
        day++;
        if (working.size === 0 || working.has(weekday(start, day))) left--;
      }
      t = day * DAY + timeOfDay;
    }
    return t;
  });
}

/** Each step's Day N range, from the steps' delays and the organisation's working days. */
export function stepDays(delays: readonly Delay[], workingDays: readonly number[] = [1, 2, 3, 4, 5]): StepDay[] {
  const working = new Set(workingDays);
  const starts = working.size > 0 ? [...working] : [1];
  const days = delays.map(() => ({ first: Infinity, last: -Infinity }));
  for (const start of starts) {
    dueMinutes(delays, start, working).forEach((t, i) => {
      const d = Math.floor(t / DAY) + 1;
      days[i]!.first = Math.min(days[i]!.first, d);
      days[i]!.last = Math.max(days[i]!.last, d);
    });
  }
  return days;
}

export const dayLabel = ({ first, last }: StepDay) => (first === last ? `Day ${first}` : `Day ${first}–${last}`);

const UNIT_WORDS: Record<Delay['unit'], [string, string]> = {
  minutes: ['minute', 'minutes'],
  hours: ['hour', 'hours'],
  days: ['day', 'days'],
  business_days: ['business day', 'business days'],
};

/** "3 business days after step 2", "right after step 1", "at enrolment". */
export function delayPhrase({ amount, unit }: Delay, index: number): string {
  const after = index === 0 ? 'enrolment' : `step ${index}`;
  if (!amount) return index === 0 ? 'At enrolment' : `Right after step ${index}`;
  const [one, many] = UNIT_WORDS[unit];
  return `${amount} ${amount === 1 ? one : many} after ${after}`;
}
