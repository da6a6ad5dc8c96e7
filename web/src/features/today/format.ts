/** How the queue says times: in the rep's zone, relative when close. */

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'long' });

/** "in 20 minutes", "3 hours ago", "yesterday", "in 4 days". */
export function relativeTime(at: Date, now: Date): string {
  const seconds = (at.getTime() - now.getTime()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 60) return seconds < 0 ? 'just now' : 'in under a minute';
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 30 * 86_400) return relative.format(Math.round(seconds / 86_400), 'day');
  return relative.format(Math.round(seconds / (30 * 86_400)), 'month');
}

/** "09:14" at a zone's wall clock. */
export function clockTime(at: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(at);
}

/** "Mon 30 Nov, 09:00" in a zone (the year when it is not this one). */
export function dateTime(at: Date, zone: string, now = new Date()): string {
  const sameYear = new Intl.DateTimeFormat('en', { timeZone: zone, year: 'numeric' }).format(at)
    === new Intl.DateTimeFormat('en', { timeZone: zone, year: 'numeric' }).format(now);
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }), hour: '2-digit', minute: '2-digit',
  }).format(at);
}

/** "3 tasks", "1 task". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
