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
