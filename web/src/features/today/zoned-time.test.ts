import { describe, expect, it } from 'vitest';
import { fromDateTimeInputs, instantAt, snoozePresets, startOfDay, wallTime } from './zoned-time.ts';

describe('wall-clock times in a zone', () => {
  it('finds the instant of a wall time on either side of a clock change', () => {
    // New York: EST (UTC-5) until 8 March 2026 02:00, EDT (UTC-4) after.
    expect(instantAt({ year: 2026, month: 3, day: 7, hour: 9, minute: 0 }, 'America/New_York').toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(instantAt({ year: 2026, month: 3, day: 9, hour: 9, minute: 0 }, 'America/New_York').toISOString()).toBe('2026-03-09T13:00:00.000Z');
    // 02:30 does not exist that night: just after the change.
    expect(wallTime(instantAt({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York'), 'America/New_York').hour).toBe(3);
  });

  it('snoozes a Sunday evening in Tokyo to Monday 9:00 there, for tomorrow and for next Monday alike', () => {
    const sundayEvening = new Date('2026-11-29T12:00:00Z'); // 21:00 in Tokyo
    const [hour, tomorrow, monday] = snoozePresets(sundayEvening, 'Asia/Tokyo');
    expect(hour!.until.toISOString()).toBe('2026-11-29T13:00:00.000Z');
    expect(tomorrow!.until.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(monday!.until.toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('takes next Monday a week on when today is a Monday', () => {
    const mondayMorning = new Date('2026-11-30T08:00:00Z'); // 08:00 in London
    expect(snoozePresets(mondayMorning, 'Europe/London')[2]!.until.toISOString()).toBe('2026-12-07T09:00:00.000Z');
  });

  it('reads date and time inputs in the zone, and refuses incomplete ones', () => {
    expect(fromDateTimeInputs('2026-12-01', '17:30', 'Europe/Paris')?.toISOString()).toBe('2026-12-01T16:30:00.000Z');
    expect(fromDateTimeInputs('2026-12-01', '', 'Europe/Paris')).toBeNull();
    expect(fromDateTimeInputs('2026-13-01', '09:00', 'Europe/Paris')).toBeNull();
  });

  it('starts the day at midnight in the zone, not in UTC', () => {
    expect(startOfDay(new Date('2026-11-30T03:00:00Z'), 'America/Los_Angeles').toISOString()).toBe('2026-11-29T08:00:00.000Z');
  });
});
