import { z } from 'zod';
import { id, instant, MAX_INSTANT } from './common.ts';

/** A lead's history (`GET /api/leads/:id/timeline`, API.md "Leads"). */

/** What an item of the timeline is; API.md fixes the list. */
export const TIMELINE_TYPES = [
  'enrolled', 'email_sent', 'email_opened', 'email_clicked', 'email_replied', 'email_bounced', 'auto_reply',
  'unsubscribed', 'task_created', 'task_completed', 'task_skipped', 'step_skipped', 'paused', 'resumed', 'exited',
  'completed', 'field_changed', 'converted', 'meeting_booked',
  // Issue 14: a message threaded on our email from someone who is not the lead (a
  // colleague, an assistant): recorded, and the cadence goes on unless it counts.
  'reply_other',
] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

export const timelineItem = z.object({
  at: instant,
  type: z.enum(TIMELINE_TYPES),
  /** One line for a person: "Email sent: Hello Ada", "Paused Outbound Q3". */
  title: z.string(),
  enrollmentId: id.optional(),
  emailId: id.optional(),
  taskId: id.optional(),
  /**
   * On opens and clicks: true when a machine (a privacy proxy fetching images, a link
   * scanner) made it; such opens count for nothing and are shown apart.
   */
  machine: z.boolean().optional(),
  /**
   * More when there is more: why an enrolment exited ("replied: the lead replied"), a
   * call's outcome and note, a skipped step's reason, the link clicked, a paused
   * enrolment's return date, which fields changed from what to what.
   */
  detail: z.string().optional(),
});
export type TimelineItem = z.infer<typeof timelineItem>;

export const timeline = z.object({
  /** Newest first. */
  items: z.array(timelineItem),
  /** Present when older items remain: pass it as `before` for the next page. */
  nextBefore: z.string().optional(),
});
export type Timeline = z.infer<typeof timeline>;

/** A page cursor: an instant (items strictly older), or the `nextBefore` a page answered. */
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2}))(?:~([0-9a-f:-]{1,120}))?$/i;

export function parseTimelineCursor(s: string): { at: string; key: string } | null {
  const m = CURSOR.exec(s);
  const t = m ? Date.parse(m[1]) : NaN;
  // Both databases take instants in this range (PostgreSQL has no year 0).
  if (!m || !(t >= 0 && t < MAX_INSTANT)) return null;
  return { at: m[1], key: m[2] ?? '' };
}

export const timelineQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  before: z
    .string()
    .max(200)
    .refine((s) => parseTimelineCursor(s) !== null, { message: 'expected an instant (ISO-8601) or the nextBefore of a page' })
    .optional(),
});
export type TimelineQuery = z.infer<typeof timelineQuery>;
