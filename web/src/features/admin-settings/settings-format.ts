/** Dates and shares as the settings show them, in the browser's zone and language. */

const WHEN = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const DAY = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

export const formatWhen = (iso: string) => WHEN.format(new Date(iso));
export const formatDay = (iso: string) => DAY.format(new Date(iso));

/** 0.034 → "3.4%"; null (nothing sent) → "–". */
export function formatRate(rate: number | null): string {
  if (rate === null) return '–';
  const pct = rate * 100;
  return `${pct < 10 ? Math.round(pct * 10) / 10 : Math.round(pct)}%`;
}
