import {
  BellOff, Bot, CalendarCheck, CalendarClock, CircleCheck, CirclePlay, Flag, Forward, ListPlus, LogOut, MailOpen, MailX,
  MousePointerClick, Pause, PencilLine, Play, Reply, Send, SkipForward, UserCheck, type LucideIcon,
} from 'lucide-react';
import { TIMELINE_TYPES, type TimelineItem, type TimelineType } from '@contract/timeline.ts';

/** How each kind of timeline item looks: an icon and a colour (text on a tinted chip, AA contrast). */
export const TIMELINE_KIND: Record<TimelineType, { icon: LucideIcon; tone: string }> = {
  enrolled: { icon: CirclePlay, tone: 'bg-accent-50 text-accent-700 ring-accent-100' },
  email_sent: { icon: Send, tone: 'bg-sky-50 text-sky-700 ring-sky-100' },
  email_opened: { icon: MailOpen, tone: 'bg-emerald-50 text-emerald-700 ring-emerald-100' },
  email_clicked: { icon: MousePointerClick, tone: 'bg-violet-50 text-violet-700 ring-violet-100' },
  email_replied: { icon: Reply, tone: 'bg-emerald-100 text-emerald-800 ring-emerald-200' },
  email_bounced: { icon: MailX, tone: 'bg-red-50 text-red-700 ring-red-100' },
  auto_reply: { icon: CalendarClock, tone: 'bg-amber-50 text-amber-800 ring-amber-100' },
  unsubscribed: { icon: BellOff, tone: 'bg-red-50 text-red-700 ring-red-100' },
  task_created: { icon: ListPlus, tone: 'bg-zinc-100 text-zinc-700 ring-zinc-200' },
  task_completed: { icon: CircleCheck, tone: 'bg-emerald-50 text-emerald-700 ring-emerald-100' },
  task_skipped: { icon: SkipForward, tone: 'bg-zinc-100 text-zinc-700 ring-zinc-200' },
  step_skipped: { icon: SkipForward, tone: 'bg-amber-50 text-amber-800 ring-amber-100' },
  paused: { icon: Pause, tone: 'bg-amber-50 text-amber-800 ring-amber-100' },
  resumed: { icon: Play, tone: 'bg-accent-50 text-accent-700 ring-accent-100' },
  exited: { icon: LogOut, tone: 'bg-rose-50 text-rose-700 ring-rose-100' },
  completed: { icon: Flag, tone: 'bg-emerald-50 text-emerald-700 ring-emerald-100' },
  field_changed: { icon: PencilLine, tone: 'bg-zinc-100 text-zinc-700 ring-zinc-200' },
  converted: { icon: UserCheck, tone: 'bg-emerald-50 text-emerald-700 ring-emerald-100' },
  meeting_booked: { icon: CalendarCheck, tone: 'bg-emerald-100 text-emerald-800 ring-emerald-200' },
  reply_other: { icon: Forward, tone: 'bg-zinc-100 text-zinc-700 ring-zinc-200' },
};

/** A machine's open or click: grey, whatever its kind. */
export const MACHINE_KIND = { icon: Bot, tone: 'bg-zinc-50 text-zinc-500 ring-zinc-200' };

/** The filter chips: each a few kinds a rep thinks of together. */
export const TIMELINE_FILTERS = {
  emails: { label: 'Emails', types: ['email_sent', 'email_bounced', 'unsubscribed'] },
  opens: { label: 'Opens', types: ['email_opened'] },
  clicks: { label: 'Clicks', types: ['email_clicked'] },
  replies: { label: 'Replies', types: ['email_replied', 'reply_other', 'auto_reply', 'meeting_booked'] },
  tasks: { label: 'Tasks', types: ['task_created', 'task_completed', 'task_skipped'] },
  cadence: { label: 'Cadence', types: ['enrolled', 'step_skipped', 'paused', 'resumed', 'exited', 'completed'] },
  changes: { label: 'Field changes', types: ['field_changed', 'converted'] },
} as const satisfies Record<string, { label: string; types: readonly TimelineType[] }>;

export type TimelineFilter = keyof typeof TIMELINE_FILTERS;
export const TIMELINE_FILTER_KEYS = Object.keys(TIMELINE_FILTERS) as TimelineFilter[];

// Every kind belongs to exactly one chip (checked when this module loads in tests).
const covered = Object.values(TIMELINE_FILTERS).flatMap((f) => f.types as readonly TimelineType[]);
if (import.meta.env?.DEV && TIMELINE_TYPES.some((t) => !covered.includes(t))) throw new Error('a timeline type has no filter chip');

/** `?show=opens,clicks` → ['opens', 'clicks'] (unknown words dropped); none → every kind. */
export function parseShow(show: string | undefined): TimelineFilter[] {
  if (!show) return [];
  return show.split(',').filter((w): w is TimelineFilter => (TIMELINE_FILTER_KEYS as string[]).includes(w));
}

export function formatShow(filters: readonly TimelineFilter[]): string | undefined {
  const kept = TIMELINE_FILTER_KEYS.filter((k) => filters.includes(k));
  return kept.length ? kept.join(',') : undefined;
}

export function matchesFilters(item: TimelineItem, filters: readonly TimelineFilter[]): boolean {
  return filters.length === 0 || filters.some((f) => (TIMELINE_FILTERS[f].types as readonly TimelineType[]).includes(item.type));
}

/** "3 opens by people, 5 by machines" over the items loaded. */
export function openCounts(items: TimelineItem[]): { human: number; machine: number } {
  let human = 0;
  let machine = 0;
  for (const i of items) if (i.type === 'email_opened') i.machine ? machine++ : human++;
  return { human, machine };
}
