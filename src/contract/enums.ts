/**
 * Shared enums of the API contract (API.md). Pure data: no IO, so the server and the
 * web app import the same lists for validation and types.
 */

/** A call task's outcome (`POST /api/tasks/:id/complete`); anything else is a 400. */
export const CALL_OUTCOMES = ['connected', 'voicemail', 'no_answer', 'busy', 'wrong_number', 'not_interested', 'meeting_booked'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const TASK_TYPES = ['call', 'task', 'email'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TASK_STATUSES = ['open', 'completed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** `GET /api/tasks?due=`: calendar days in the task owner's zone (see src/store/task-queue.repository.ts). */
export const TASK_DUE_BUCKETS = ['overdue', 'today', 'upcoming'] as const;
export type TaskDueBucket = (typeof TASK_DUE_BUCKETS)[number];

/** `GET /api/tasks?sort=`: `due` soonest first; `priority` hot leads first, then soonest due. */
export const TASK_SORTS = ['due', 'priority'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

/** Why a task's lead is hot: a human click, a reply, or a boost that fired on its enrolment. */
export const HOT_REASONS = ['replied', 'clicked', 'boost'] as const;
export type HotReason = (typeof HOT_REASONS)[number];

/** A cadence step's kind (API.md "A step"); a task's `type` is its step's. */
export const STEP_TYPES = ['email', 'call', 'task'] as const;
export type StepType = (typeof STEP_TYPES)[number];

/** An email step sent by the engine (`auto`) or drafted for the rep to send (`manual`). */
export const STEP_MODES = ['auto', 'manual'] as const;
export type StepMode = (typeof STEP_MODES)[number];

export const PRIORITIES = ['low', 'normal', 'high'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const DELAY_UNITS = ['minutes', 'hours', 'days', 'business_days'] as const;
export type DelayUnit = (typeof DELAY_UNITS)[number];

/** What a step's condition asks of an earlier step. */
export const CONDITION_IS = ['opened', 'not_opened', 'clicked', 'not_clicked', 'replied', 'not_replied', 'completed', 'not_completed'] as const;
export type ConditionIs = (typeof CONDITION_IS)[number];

/** What a boost fires on. */
export const BOOST_TRIGGERS = ['opened', 'clicked'] as const;
export type BoostTrigger = (typeof BOOST_TRIGGERS)[number];

export const CADENCE_STATUSES = ['draft', 'active', 'paused', 'archived'] as const;
export type CadenceStatus = (typeof CADENCE_STATUSES)[number];

/** Whether a record may be enrolled again in a cadence it was in. */
export const REENROLLMENT = ['never', 'after_exit', 'always'] as const;
export type Reenrollment = (typeof REENROLLMENT)[number];

/** Which kind of record a cadence or a lead is. */
export const MODULES = ['lead', 'contact'] as const;
export type Module = (typeof MODULES)[number];

export const USER_ROLES = ['admin', 'rep'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const ENROLLMENT_STATUSES = ['pending', 'active', 'paused', 'completed', 'exited', 'failed'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** Why an enrolment exited. */
export const EXIT_REASONS = [
  'replied', 'meeting_booked', 'converted', 'criteria_met', 'call_outcome', 'bounced', 'unsubscribed', 'manual', 'ended',
] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

/** `uncertain`: a send that a crash left in doubt, surfaced and never resent. */
export const EMAIL_STATUSES = ['queued', 'sending', 'sent', 'failed', 'cancelled', 'uncertain'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** Signals a client may send (`POST /api/signals`); conversions come from `POST /api/leads/:id/convert`. */
export const SIGNAL_TYPES = ['replied', 'opened', 'clicked', 'bounced', 'meeting_booked', 'unsubscribed'] as const;
export type ApiSignalType = (typeof SIGNAL_TYPES)[number];

/** What an inbound message is, whether or not it belongs to one of our enrolments. */
export const INBOUND_KINDS = ['reply', 'auto_reply', 'bounce', 'complaint', 'other'] as const;
export type InboundKind = (typeof INBOUND_KINDS)[number];

/** What became of a step when its turn came. */
export const STEP_OUTCOMES = ['executed', 'skipped'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

/**
 * Why a record was not enrolled (`POST /api/cadences/:id/enrollments` and its preflight).
 * `not_allowed`: the cadence's re-enrolment policy excludes it; `cadence_archived`: only
 * the preflight says it of every record (enrolling into an archived cadence is a 409).
 */
export const ENROLL_REFUSALS = [
  'not_found', 'already_enrolled', 'unsubscribed', 'bounced', 'not_allowed', 'wrong_module', 'cadence_archived',
] as const;
export type EnrollRefusal = (typeof ENROLL_REFUSALS)[number];

/**
 * Why an enrolment that is enrolled does not run now (`waitingFor` on an enrolment):
 * its cadence is a draft (it starts when the cadence is activated), paused (it goes on
 * when the cadence is activated again) or archived (it never runs), or the cadence's
 * throttle holds it (`pending`, started in order as the limit allows).
 */
export const WAITING_FOR = ['cadence_activation', 'cadence_resume', 'cadence_archived', 'throttle'] as const;
export type WaitingFor = (typeof WAITING_FOR)[number];

/** What an outbound webhook can report (API.md "Webhooks and integrations"). */
export const WEBHOOK_EVENTS = [
  'enrollment.created', 'enrollment.exited', 'enrollment.completed',
  'email.sent', 'email.opened', 'email.clicked', 'email.replied', 'email.bounced',
  'lead.unsubscribed', 'task.created', 'task.completed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * After a delivery's first attempt fails, the waits before each retry (Svix's schedule):
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, about 27.6 h in all (each ±10 %). After the
 * last one the delivery has failed. The web app says "attempt 3 of 8" from it.
 */
export const WEBHOOK_RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_SCHEDULE_MS.length + 1;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** Booking tools whose webhooks turn a booking into a `meeting_booked` signal. */
export const INTEGRATION_PROVIDERS = ['calcom', 'calendly'] as const;
export type IntegrationProvider = (typeof INTEGRATION_PROVIDERS)[number];
