import { z } from 'zod';
import { stepStats, cadenceStats } from './cadences.ts';
import { CALL_OUTCOMES, ENROLLMENT_STATUSES, EXIT_REASONS, STEP_TYPES } from './enums.ts';

/**
 * A cadence's analytics (API.md "Cadences and analytics"): `GET /api/cadences/:id/stats`
 * with a date range and a rep, its CSV export, and the leads behind each number.
 *
 * What a range counts: events that happened in it (an email sent, a human open, a
 * reply, a task done, an exit); `enrollments` and `enrolled` count the enrolments
 * started in it, by their status now. Without a range everything counts.
 */

/** The longest range one request may cover, in days. */
export const MAX_RANGE_DAYS = 366;

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const YEARS = { min: Date.UTC(1970, 0, 1), max: Date.UTC(3000, 0, 1) };

/** A calendar date (YYYY-MM-DD) that exists. */
export function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === value && t >= YEARS.min && t < YEARS.max;
}

function isInstant(value: string): boolean {
  if (!INSTANT.test(value)) return false;
  const t = Date.parse(value);
  return Number.isFinite(t) && t >= YEARS.min && t < YEARS.max;
}

/**
 * A range bound: a date, taken in the organisation's zone (`from` its first moment,
 * `to` its last: both days count), or an ISO-8601 instant (`to` excluded).
 */
const rangeBound = z.string().max(40).refine((v) => isCalendarDate(v) || isInstant(v), {
  message: 'expected a date (YYYY-MM-DD) or an ISO-8601 instant with an offset, between 1970 and 3000',
});

/** Milliseconds a bound stands for, roughly (a date as UTC; `to` a date's end): enough to order and bound a range. */
function approxMs(value: string, end: boolean): number {
  return isCalendarDate(value) ? Date.parse(`${value}T00:00:00Z`) + (end ? 86_400_000 : 0) : Date.parse(value);
}

const range = {
  from: rangeBound.optional(),
  to: rangeBound.optional(),
  ownerId: z.uuid({ message: 'expected a user id' }).optional(),
};

function checkRange(q: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (!q.from || !q.to) return;
  const from = approxMs(q.from, false);
  const to = approxMs(q.to, true);
  if (to <= from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'expected `to` after `from`' });
  // A day of slack for zones: the server checks the exact span in the organisation's zone.
  else if (to - from > (MAX_RANGE_DAYS + 1) * 86_400_000) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `a range covers at most ${MAX_RANGE_DAYS} days` });
  }
}

/** `GET /api/cadences/:id/stats` and `…/stats/export`. */
export const statsQuery = z.object(range).superRefine(checkRange);
export type StatsQuery = z.infer<typeof statsQuery>;

// ---- the answer ----

const count = z.number().int().min(0);
const byOutcome = z.object(Object.fromEntries(CALL_OUTCOMES.map((o) => [o, count])) as Record<(typeof CALL_OUTCOMES)[number], typeof count>);

/**
 * A step's funnel. `opened` counts enrolments opened by people (machine opens, from
 * privacy proxies and scanners, are left out): an estimate, as some people's clients
 * load no images. `callOutcomes`: a call step's completed calls by outcome.
 */
export const stepAnalytics = stepStats.extend({
  index: z.number().int().min(0),
  type: z.enum(STEP_TYPES),
  /** The email's subject or the task's title, as written (merge fields unrendered). */
  name: z.string(),
  callOutcomes: byOutcome,
});
export type StepAnalytics = z.infer<typeof stepAnalytics>;

/** A rep: the enrolments of their leads (the lead's owner now). `ownerId` null: leads without an owner. */
export const repAnalytics = z.object({
  ownerId: z.string().nullable(),
  name: z.string(),
  enrolled: count,
  sent: count,
  replied: count,
  meetings: count,
});
export type RepAnalytics = z.infer<typeof repAnalytics>;

/** One day in the organisation's zone: emails sent, and enrolments opened, clicked, replied, booking a meeting that day. */
export const activityDay = z.object({
  day: z.string().describe('YYYY-MM-DD in the organisation\'s zone'),
  sent: count, opened: count, clicked: count, replied: count, meetings: count,
});
export type ActivityDay = z.infer<typeof activityDay>;

export const cadenceAnalytics = cadenceStats.extend({
  /** The range as applied: instants (null: unbounded), and the zone its days are in. */
  range: z.object({ from: z.string().nullable(), to: z.string().nullable(), timezone: z.string() }),
  steps: z.array(stepAnalytics),
  byRep: z.array(repAnalytics),
  /**
   * Every day of the range (without one: since the cadence was created, at most
   * MAX_RANGE_DAYS days to today).
   */
  activity: z.array(activityDay),
});
export type CadenceAnalytics = z.infer<typeof cadenceAnalytics>;

// ---- the leads behind a number ----

/** Numbers a list of leads stands behind, named as the answer names them. */
export const STATS_METRICS = [
  'enrolled', 'executed', 'skipped', 'sent', 'opened', 'clicked', 'replied', 'bounced', 'unsubscribed', 'tasksCompleted', 'meetings',
] as const;
export type StatsMetric = (typeof STATS_METRICS)[number];

/** A metric parsed: a plain one, or one with a detail (`exit:replied`, `call:voicemail`, `status:active`). */
export type ParsedMetric =
  | { kind: 'plain'; metric: StatsMetric }
  | { kind: 'exit'; reason: (typeof EXIT_REASONS)[number] }
  | { kind: 'call'; outcome: (typeof CALL_OUTCOMES)[number] }
  | { kind: 'status'; status: (typeof ENROLLMENT_STATUSES)[number] };

export function parseMetric(value: string): ParsedMetric | null {
  if ((STATS_METRICS as readonly string[]).includes(value)) return { kind: 'plain', metric: value as StatsMetric };
  const [prefix, detail = ''] = value.split(':', 2);
  if (prefix === 'exit' && (EXIT_REASONS as readonly string[]).includes(detail)) return { kind: 'exit', reason: detail as never };
  if (prefix === 'call' && (CALL_OUTCOMES as readonly string[]).includes(detail)) return { kind: 'call', outcome: detail as never };
  if (prefix === 'status' && (ENROLLMENT_STATUSES as readonly string[]).includes(detail)) return { kind: 'status', status: detail as never };
  return null;
}

export const statsLeadsQuery = z.object({
  ...range,
  metric: z.string().max(40).refine((v) => parseMetric(v) !== null, {
    message: `expected one of ${STATS_METRICS.join(', ')}, exit:<reason>, call:<outcome> or status:<status>`,
  }),
  /** The step whose number it is (a step's id in the cadence); without it, the cadence's. */
  stepId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
}).superRefine(checkRange);
export type StatsLeadsQuery = z.infer<typeof statsLeadsQuery>;

/** Leads by name, then id; `nextCursor` while there are more. */
export const statsLeads = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string().nullable(), email: z.string(), company: z.string().nullable() })),
  nextCursor: z.string().optional(),
});
export type StatsLeads = z.infer<typeof statsLeads>;
