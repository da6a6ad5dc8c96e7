import type { StatsQuery } from '@contract/analytics.ts';

/** The range presets: the last N days including today, in the organisation's zone, or everything (the last 366 days of it). */
export const RANGE_PRESETS = ['7d', '30d', '90d', '365d', 'all'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const DEFAULT_PRESET: RangePreset = '30d';

export const PRESET_LABEL: Record<RangePreset, string> = {
  '7d': 'Last 7 days', '30d': 'Last 30 days', '90d': 'Last 90 days', '365d': 'Last 12 months', all: 'All time',
};
const PRESET_DAYS: Record<Exclude<RangePreset, 'all'>, number> = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 };

/** Today's date (YYYY-MM-DD) in a zone. */
export function todayIn(zone: string, now: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** A date moved by whole days. */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** What the page asks the API for, from the URL's range: a preset counts back from today. */
export function rangeQuery(search: { range?: string; from?: string; to?: string }, today: string): Pick<StatsQuery, 'from' | 'to'> {
  const preset = search.range ?? DEFAULT_PRESET;
  if (preset === 'custom') return { from: search.from, to: search.to };
  if (preset === 'all') return {};
  const days = PRESET_DAYS[preset as keyof typeof PRESET_DAYS] ?? PRESET_DAYS[DEFAULT_PRESET as keyof typeof PRESET_DAYS];
  return { from: addDays(today, -(days - 1)), to: today };
}

/** "2 Mar", "2 Mar 2025" when not this year. */
export function formatDay(date: string, today?: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const sameYear = today ? today.slice(0, 4) === date.slice(0, 4) : true;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }), timeZone: 'UTC' });
}

/** "2 – 8 Mar" style description of a range for the header. */
export function describeRange(q: Pick<StatsQuery, 'from' | 'to'>, today: string): string {
  if (!q.from && !q.to) return 'All time';
  return `${q.from ? formatDay(q.from, today) : 'Start'} – ${q.to ? formatDay(q.to, today) : 'today'}`;
}
