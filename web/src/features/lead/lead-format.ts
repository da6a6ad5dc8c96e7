import type { Lead } from '@contract/leads.ts';
import type { Enrollment } from '@contract/enrollments.ts';
import type { EnrollmentStatus, ExitReason } from '@contract/enums.ts';
import type { TimelineItem } from '@contract/timeline.ts';
import type { BadgeTone } from '@/components/ui/badge.tsx';

/** What a person calls the lead: "Ada Lovelace", else the address. */
export function leadName(lead: Pick<Lead, 'firstName' | 'lastName' | 'email'>): string {
  return [lead.firstName, lead.lastName].filter(Boolean).join(' ') || lead.email;
}

/** "Thu 12 Nov" in the viewer's zone (what "on 12 Nov" and day headings say). */
export function shortDate(iso: string, now = new Date()): string {
  const d = new Date(iso);
  return d.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    ...(d.getFullYear() !== now.getFullYear() ? { year: 'numeric' } : {}),
  });
}

export function timeOfDay(iso: string, timeZone?: string): string {
  return new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone });
}

/** "14:05" and "GMT+1" for a zone at an instant. */
export function localTime(zone: string, now: Date): { time: string; offset: string } {
  const time = now.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: zone });
  const offset = new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'shortOffset' })
    .formatToParts(now).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return { time, offset };
}

/** A due time for people: "today 14:05", "tomorrow 09:00", "Thu 12 Nov 09:00", "overdue since …". */
export function dueText(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const day = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((day(d) - day(now)) / 86_400_000);
  const time = timeOfDay(iso);
  if (days === 0) return `today ${time}`;
  if (days === 1) return `tomorrow ${time}`;
  if (days === -1) return `yesterday ${time}`;
  return `${d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })} ${time}`;
}

/** Days as headings of the timeline: "Today", "Yesterday", "Thursday 12 November". */
export function dayHeading(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const key = dayKey(iso);
  if (key === dayKey(now.toISOString())) return 'Today';
  if (key === dayKey(new Date(now.getTime() - 86_400_000).toISOString())) return 'Yesterday';
  return d.toLocaleDateString('en-GB', {
    weekday: 'long', day: 'numeric', month: 'long', ...(d.getFullYear() !== now.getFullYear() ? { year: 'numeric' } : {}),
  });
}

/** The viewer's calendar day of an instant (timeline items are grouped by it). */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

export function statusTone(status: string): BadgeTone {
  const s = status.toLowerCase();
  if (/qualified|won|customer|meeting/.test(s) && !/un|dis/.test(s)) return 'success';
  if (/lost|unqualified|disqualified|bad|junk|do not/.test(s)) return 'danger';
  if (/contacted|working|nurtur|engaged|open/.test(s)) return 'accent';
  return 'neutral';
}

export const ENROLLMENT_STATUS: Record<EnrollmentStatus, { label: string; tone: BadgeTone }> = {
  pending: { label: 'Starting', tone: 'neutral' },
  active: { label: 'Active', tone: 'accent' },
  paused: { label: 'Paused', tone: 'warning' },
  completed: { label: 'Completed', tone: 'success' },
  exited: { label: 'Exited', tone: 'neutral' },
  failed: { label: 'Failed', tone: 'danger' },
};

/** A call outcome as said aloud: `not_interested` → "Not interested". */
export function humanize(code: string): string {
  const words = code.replace(/_/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : words;
}

/**
 * Why an enrolment ended, in words: "Replied on 12 Nov", "Status changed to Qualified".
 * The timeline (when given) names the field change or the call outcome that did it.
 */
export function endedBecause(e: Pick<Enrollment, 'id' | 'status' | 'exitReason' | 'failureReason' | 'endedAt'>, timeline: TimelineItem[] = []): string | null {
  const on = e.endedAt ? ` on ${shortDate(e.endedAt)}` : '';
  if (e.status === 'completed') return `Finished every step${on}`;
  if (e.status === 'failed') return `Failed${on}${e.failureReason ? `: ${e.failureReason}` : ''}`;
  if (e.status !== 'exited') return null;
  const reason: ExitReason = e.exitReason ?? 'manual';
  switch (reason) {
    case 'replied': return `Replied${on}`;
    case 'meeting_booked': return `Meeting booked${on}`;
    case 'converted': return `Converted to a contact${on}`;
    case 'bounced': return `An email bounced${on}`;
    case 'unsubscribed': return `Unsubscribed${on}`;
    case 'manual': return `Exited by hand${on}`;
    case 'ended': return `The cadence's end date passed${on}`;
    case 'criteria_met': {
      const change = causeBefore(timeline, e.endedAt, (i) => i.type === 'field_changed');
      const first = change?.detail?.split('; ')[0];
      const m = first && /^(.+?): .* → (.+)$/.exec(first);
      return m ? `${humanize(m[1]!)} changed to ${m[2]}${on}` : `A field matched the exit criteria${on}`;
    }
    case 'call_outcome': {
      const call = causeBefore(timeline, e.endedAt, (i) => i.type === 'task_completed' && (!i.enrollmentId || i.enrollmentId === e.id));
      const outcome = call?.detail?.split(' — ')[0];
      return outcome ? `Call outcome: ${humanize(outcome).toLowerCase()}${on}` : `A call's outcome ended it${on}`;
    }
    default: {
      const never: never = reason;
      return String(never);
    }
  }
}

/** The newest item matching `test` at or just before the end (same minute): what caused it. */
function causeBefore(items: TimelineItem[], endedAt: string | undefined, test: (i: TimelineItem) => boolean): TimelineItem | undefined {
  if (!endedAt) return undefined;
  const end = Date.parse(endedAt);
  return items.find((i) => test(i) && Date.parse(i.at) <= end + 1000 && end - Date.parse(i.at) < 60_000);
}
