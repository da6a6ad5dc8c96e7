import { z } from 'zod';
import { id, instant, instantInput, timeZone } from './common.ts';
import {
  BOOST_TRIGGERS, CADENCE_STATUSES, CONDITION_IS, DELAY_UNITS, ENROLL_REFUSALS, ENROLLMENT_STATUSES, MODULES, PRIORITIES,
  REENROLLMENT, STEP_MODES, STEP_TYPES, WAITING_FOR,
} from './enums.ts';

/**
 * Cadences (API.md "Shapes"). Each shape is written once as the API answers it (every
 * field present, `null` where not set); the request shape is derived from it with its
 * fields optional, so what `GET /api/cadences/:id` answers `PATCH` accepts unchanged.
 */

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as "HH:MM"');
/** A step's or a boost's own id, unique within its cadence. */
const localId = z.string().min(1).max(64);

export const delay = z.object({ amount: z.number().min(0).max(3650), unit: z.enum(DELAY_UNITS) });
export type Delay = z.infer<typeof delay>;

// ---- step content by type: a call or a task has no subject, body or mode ----

const sharedContent = {
  /** The task's title (a manual email's too); default "Call {{lead.fullName}}"… */
  title: z.string().max(500).nullable(),
  instructions: z.string().max(20_000).nullable(),
  priority: z.enum(PRIORITIES),
};
const emailContent = {
  ...sharedContent,
  mode: z.enum(STEP_MODES),
  subject: z.string().max(998).nullable(),
  body: z.string().max(100_000).nullable(),
  threadWithPrevious: z.boolean(),
};
const CONTENT = { email: emailContent, call: sharedContent, task: sharedContent } as const;

/** The three variants of a step or an action, with `base` beside the content. */
function byType<B extends z.ZodRawShape>(base: B) {
  return z.discriminatedUnion('type', [
    z.object({ ...base, type: z.literal('email'), ...CONTENT.email }),
    z.object({ ...base, type: z.literal('call'), ...CONTENT.call }),
    z.object({ ...base, type: z.literal('task'), ...CONTENT.task }),
  ]);
}
/** The same variants as a client sends them: content optional, null meaning "not set". */
function byTypeInput<B extends z.ZodRawShape>(base: B) {
  return z.discriminatedUnion('type', [
    z.object({ ...base, type: z.literal('email'), ...z.object(CONTENT.email).partial().shape }),
    z.object({ ...base, type: z.literal('call'), ...z.object(CONTENT.call).partial().shape }),
    z.object({ ...base, type: z.literal('task'), ...z.object(CONTENT.task).partial().shape }),
  ], { error: (issue) => (issue.code === 'invalid_union' ? 'expected a type of email, call or task' : undefined) });
}

// ---- steps ----

export const stepCondition = z.object({ stepId: z.string(), is: z.enum(CONDITION_IS) });
/** A condition as sent: on an earlier step named by its id or its index (from 0). */
export const stepConditionInput = z
  .object({
    stepId: z.string().nullish(),
    stepIndex: z.number().int().min(0).nullish(),
    is: z.enum(CONDITION_IS),
  })
  .refine((c) => (c.stepId == null) !== (c.stepIndex == null), { message: 'a condition names exactly one of stepId or stepIndex' });

export const step = byType({ id: localId, delay, condition: stepCondition.nullable() });
export type Step = z.infer<typeof step>;

export const stepInput = byTypeInput({
  id: localId.nullish(),
  /** Shorthand for `delay: {amount, unit: "days"}`; no delay means 0 days. */
  delayDays: z.number().min(0).max(3650).nullish(),
  delay: delay.nullish(),
  condition: stepConditionInput.nullish(),
});
export type StepInput = z.infer<typeof stepInput>;

// ---- boosts ----

export const boostAction = byType({ delayHours: z.number().min(0).max(24 * 365) });
export const boost = z.object({
  id: localId,
  on: z.enum(BOOST_TRIGGERS),
  /** The email step whose opens or clicks count; null: any email step. */
  stepId: z.string().nullable(),
  minCount: z.number().int().min(1).max(1000),
  action: boostAction,
});
export type Boost = z.infer<typeof boost>;

export const boostInput = z.object({
  id: localId.nullish(),
  on: z.enum(BOOST_TRIGGERS),
  stepId: z.string().nullish(),
  stepIndex: z.number().int().min(0).nullish(),
  minCount: z.number().int().min(1).max(1000).nullish(),
  action: byTypeInput({ delayHours: z.number().min(0).max(24 * 365).nullish() }),
});
export type BoostInput = z.infer<typeof boostInput>;

// ---- settings ----

const window = z.object({ start: hhmm, end: hhmm });
export const schedule = z.object({
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  windows: z.array(window).min(1).max(12),
  /** Null: each lead's zone (then the owner's, then the organisation's). */
  timezone: timeZone.nullable(),
});
/** ISO weekdays (Monday = 1); one window `start`–`end` or several `windows`; default Mon–Fri 09:00–17:00. */
export const scheduleInput = z.object({
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  start: hhmm.nullish(),
  end: hhmm.nullish(),
  windows: z.array(window).min(1).max(12).nullish(),
  timezone: timeZone.nullish(),
});

const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const fieldCriterion = z
  .strictObject({
    field: z.string().min(1),
    in: z.array(scalar).optional(),
    eq: scalar.optional(),
    neq: scalar.optional(),
    gte: z.union([z.string(), z.number()]).optional(),
    lte: z.union([z.string(), z.number()]).optional(),
  })
  .refine((c) => ['in', 'eq', 'neq', 'gte', 'lte'].some((k) => c[k as keyof typeof c] !== undefined), {
    message: 'a criterion compares its field with one of in, eq, neq, gte or lte',
  });
export type FieldCriterion = z.infer<typeof fieldCriterion>;

/**
 * Whose reply counts as the lead's (issue 14): only the lead's own address, or anyone at
 * the lead's company (its email domain; a free-mail domain such as gmail.com never counts).
 */
export const REPLY_FROM = ['address', 'domain'] as const;
export type ReplyFrom = (typeof REPLY_FROM)[number];

/** Bounce and unsubscribe always exit; these say what else does. */
export const exitOn = z.object({
  onReply: z.boolean(),
  replyFrom: z.enum(REPLY_FROM),
  onMeeting: z.boolean(),
  onConversion: z.boolean(),
  fieldCriteria: z.array(fieldCriterion),
  callOutcomes: z.array(z.string().min(1)),
  endDate: instant.nullable(),
});
export const exitOnInput = z.object({
  ...exitOn.partial().shape,
  endDate: instantInput.nullish(),
});

export const throttle = z.object({ perRepPerDay: z.number().int().min(1).max(100_000) });
export const autoEnroll = z.object({ filter: z.array(fieldCriterion).min(1), existingRecords: z.boolean() });
export const autoEnrollInput = z.object({ filter: z.array(fieldCriterion).min(1), existingRecords: z.boolean().nullish() });

// ---- a cadence ----

const name = z.string().trim().min(1).max(200);

/** What a cadence runs: the part of its answer that `PATCH` takes back. */
export const cadenceDefinition = z.object({
  name,
  module: z.enum(MODULES),
  steps: z.array(step).min(1).max(100),
  boosts: z.array(boost).max(50),
  schedule,
  exitOn,
  waitForTasks: z.boolean(),
  taskTimeoutDays: z.number().min(0).max(365),
  reenrollment: z.enum(REENROLLMENT),
  throttle: throttle.nullable(),
  autoEnroll: autoEnroll.nullable(),
});
export type CadenceDefinitionView = z.infer<typeof cadenceDefinition>;

export const cadence = z.object({
  id,
  status: z.enum(CADENCE_STATUSES),
  version: z.number().int(),
  ...cadenceDefinition.shape,
  createdAt: instant,
  updatedAt: instant,
});
export type Cadence = z.infer<typeof cadence>;

/** `GET /api/cadences/:id` also says how many live enrolments follow each version. */
export const cadenceWithVersions = cadence.extend({ enrollmentsByVersion: z.record(z.string(), z.number().int()) });

const count = z.number().int().min(0);
/** Enrolments of a cadence per state, every state present (0 when none). */
export const enrollmentCounts = z.object(
  Object.fromEntries(ENROLLMENT_STATUSES.map((s) => [s, count])) as Record<(typeof ENROLLMENT_STATUSES)[number], typeof count>,
);

/**
 * A cadence in `GET /api/cadences`: its enrolments per state, and how many of its
 * enrolments (any state but `pending`: those that started) had a human reply or a
 * meeting booked. A rate is that count over `started`, from 0 to 1; null while none started.
 */
export const cadenceSummary = cadence.pick({ id: true, name: true, module: true, status: true, version: true, createdAt: true, updatedAt: true }).extend({
  stepCount: count,
  enrollments: enrollmentCounts,
  started: count,
  replied: count,
  meetings: count,
  replyRate: z.number().min(0).max(1).nullable(),
  meetingRate: z.number().min(0).max(1).nullable(),
});
export type CadenceSummary = z.infer<typeof cadenceSummary>;
export const cadenceList = z.object({ items: z.array(cadenceSummary) });

/**
 * `PATCH /api/cadences/:id`'s answer: the cadence as saved (its new `version`), and how
 * many live enrolments (pending, active, paused) now follow that version from their next
 * step ("3 running enrolments follow version 4 from their next step").
 */
export const cadencePatched = cadence.extend({
  previousVersion: z.number().int(),
  runningEnrollments: count,
});

/** `POST /api/cadences`. */
export const cadenceInput = z.object({
  name,
  module: z.enum(MODULES).nullish(),
  steps: z.array(stepInput).min(1).max(100),
  boosts: z.array(boostInput).max(50).nullish(),
  schedule: scheduleInput.nullish(),
  exitOn: exitOnInput.nullish(),
  waitForTasks: z.boolean().nullish(),
  taskTimeoutDays: z.number().min(0).max(365).nullish(),
  reenrollment: z.enum(REENROLLMENT).nullish(),
  throttle: throttle.nullish(),
  autoEnroll: autoEnrollInput.nullish(),
});
export type CadenceInput = z.infer<typeof cadenceInput>;

/** `PATCH /api/cadences/:id`: any part; what is left out stays. Read-only fields of the answer are ignored. */
export const cadencePatch = cadenceInput.partial();
export type CadencePatch = z.infer<typeof cadencePatch>;

// ---- stats and enrolment ----

export const stepStats = z.object({
  stepId: z.string(),
  executed: count, skipped: count, sent: count, opened: count, clicked: count, replied: count, bounced: count, unsubscribed: count,
  tasksCompleted: count,
});
/** Opens are counted without machine opens. */
export const cadenceStats = z.object({
  enrollments: z.object(Object.fromEntries(ENROLLMENT_STATUSES.map((s) => [s, count])) as Record<(typeof ENROLLMENT_STATUSES)[number], typeof count>),
  exitReasons: z.record(z.string(), count),
  steps: z.array(stepStats),
});
export type CadenceStats = z.infer<typeof cadenceStats>;

/** The most records one enrolment (or its preflight) takes, by ids or by a filter. */
export const ENROLL_MAX = 10_000;

/**
 * Leads picked by a filter, as `GET /api/leads` filters them: `q` matches name, email
 * and company; `cadenceId`: leads enrolled in that cadence. A filter
 * matching more than 10,000 leads is refused (422) so the admin narrows it.
 */
export const enrollLeadFilter = z.strictObject({
  q: z.string().trim().min(1).max(200).optional(),
  status: z.string().min(1).max(100).optional(),
  ownerId: z.uuid({ message: 'expected a user id' }).optional(),
  cadenceId: z.uuid({ message: 'expected a cadence id' }).optional(),
});
export type EnrollLeadFilter = z.infer<typeof enrollLeadFilter>;

/** `{"recordIds":[...]}` or `{"filter":{...}}`, exactly one. */
export const enrollBody = z
  .object({
    recordIds: z.array(z.string().min(1).max(100)).min(1).max(ENROLL_MAX).optional(),
    filter: enrollLeadFilter.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.recordIds === undefined && b.filter === undefined) {
      ctx.addIssue({ code: 'custom', path: ['recordIds'], message: `expected recordIds (up to ${ENROLL_MAX.toLocaleString('en')} lead ids) or a filter` });
    } else if (b.recordIds !== undefined && b.filter !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['filter'], message: 'send recordIds or a filter, not both' });
    }
  });
export type EnrollBody = z.infer<typeof enrollBody>;

/**
 * Each enrolled record with its enrolment's state: `active`, or `pending` with
 * `waitingFor` (the cadence is a draft: it starts on activation; the throttle holds it).
 * An enrolment into a paused cadence is `active` with `waitingFor: "cadence_resume"`.
 */
export const enrollResult = z.object({
  enrolled: z.array(z.object({
    id,
    recordId: id,
    status: z.enum(ENROLLMENT_STATUSES),
    waitingFor: z.enum(WAITING_FOR).optional(),
  })),
  rejected: z.array(z.object({ recordId: z.string(), reason: z.enum(ENROLL_REFUSALS) })),
});
export type EnrollResult = z.infer<typeof enrollResult>;

/** `POST /api/cadences/:id/enrollments/preflight`: the same body as the enrolment; nothing is written. */
export const preflightBody = enrollBody;

/** A record in a preflight list. `name` is null when the lead has none; `lead` null for an id that names no lead. */
const preflightLead = z.object({
  recordId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
});
/**
 * Who would be enrolled and start now (`enrolled`), enrolled but held back (`held`:
 * the throttle, or a cadence not active, with `waitingFor`), and refused (`refused`, with
 * the same reasons as the enrolment). Each list holds at most `PREFLIGHT_LIST_MAX`
 * records, in the order given; `counts` has the totals, `refusedByReason` and
 * `heldByReason` the totals per reason. `message`: the reason in words.
 */
export const PREFLIGHT_LIST_MAX = 200;
export const preflightResult = z.object({
  cadence: z.object({ id, name: z.string(), status: z.enum(CADENCE_STATUSES) }),
  counts: z.object({ requested: count, enrolled: count, held: count, refused: count }),
  refusedByReason: z.record(z.string(), count),
  heldByReason: z.record(z.string(), count),
  enrolled: z.array(preflightLead),
  held: z.array(preflightLead.extend({ waitingFor: z.enum(WAITING_FOR), message: z.string() })),
  refused: z.array(preflightLead.extend({ reason: z.enum(ENROLL_REFUSALS), message: z.string() })),
  /** True when a list was cut at PREFLIGHT_LIST_MAX (the counts are still whole). */
  truncated: z.boolean(),
});
export type PreflightResult = z.infer<typeof preflightResult>;

/** Refusal reasons in words (the preflight's `message`, the UI's labels). */
export const ENROLL_REFUSAL_MESSAGES: Record<(typeof ENROLL_REFUSALS)[number], string> = {
  not_found: 'No such lead (or not yours)',
  already_enrolled: 'Already in this cadence',
  unsubscribed: 'Unsubscribed',
  bounced: 'Email address bounced',
  not_allowed: "The cadence's re-enrolment policy excludes this lead",
  wrong_module: 'A contact, not a lead (or the other way round)',
  cadence_archived: 'The cadence is archived',
};
/** Why an enrolled record does not run now, in words (an enrolment's `heldReason`). */
export const WAITING_FOR_MESSAGES: Record<(typeof WAITING_FOR)[number], string> = {
  cadence_activation: 'Starts when the cadence is activated (it is a draft)',
  cadence_resume: 'Waits while the cadence is paused; goes on when it is activated again',
  cadence_archived: 'The cadence is archived: this enrolment will not run',
  throttle: "Held back by the cadence's daily limit per rep; starts in order as the limit allows",
};

// ---- preview ----

/**
 * `POST /api/cadences/:id/preview`: the saved cadence rendered for one lead, or
 * `definition`: an unsaved edit of it (the builder's state, as PATCH takes it) rendered
 * instead, without saving.
 */
export const previewBody = z.object({
  recordId: z.uuid({ message: 'expected a lead id' }),
  definition: cadencePatch.optional(),
});
export type PreviewBody = z.infer<typeof previewBody>;

/**
 * Each step rendered as the engine would for that lead: an email's `subject` and `body`
 * (`bodyFormat` html when the template holds markup, else text), a call's or task's
 * `title` and `instructions` (a manual email also has its task `title`). `missing`: merge
 * fields printed without a value or fallback (they render empty). `error`: the step could
 * not be rendered for this lead (the engine would fail the enrolment with that reason).
 */
export const previewStep = z.object({
  stepId: z.string(),
  index: count,
  type: z.enum(STEP_TYPES),
  subject: z.string().optional(),
  body: z.string().optional(),
  bodyFormat: z.enum(['text', 'html']).optional(),
  title: z.string().optional(),
  instructions: z.string().optional(),
  missing: z.array(z.string()),
  error: z.string().optional(),
});
export const previewResult = z.object({
  recordId: id,
  steps: z.array(previewStep),
});
export type PreviewResult = z.infer<typeof previewResult>;

// ---- automatic enrolment: how many match now ----

export const AUTO_ENROLL_COUNT_MAX = 100_000;
/** `POST /api/cadences/auto-enroll/matches`: an autoEnroll filter, and the module (default lead). */
export const autoEnrollMatchesBody = z.object({
  filter: z.array(fieldCriterion).min(1).max(50),
  module: z.enum(MODULES).optional(),
});
/**
 * Counted by the engine's own matching rule. `count` stops at AUTO_ENROLL_COUNT_MAX, or
 * at what two seconds of counting reached; `atLeast` is then true ("100,000+", "at least 40,000").
 */
export const autoEnrollMatches = z.object({ count, atLeast: z.boolean() });
