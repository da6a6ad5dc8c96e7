import { z } from 'zod';
import { id, instantInput } from './common.ts';

/** Skipping or snoozing many of a rep's tasks at once (`POST /api/tasks/bulk`). */

export const TASK_BULK_ACTIONS = ['skip', 'snooze'] as const;
export type TaskBulkAction = (typeof TASK_BULK_ACTIONS)[number];

/** The most ids one request takes. */
export const TASK_BULK_MAX = 1000;

/**
 * `skip` closes each task as skipped (with `note`, if given); `snooze` moves each one's
 * due time to `until` (in the future, within a year). Any id: one that names no task
 * of the caller's, or a task already closed, fails alone.
 */
export const taskBulkInput = z.object({
  action: z.enum(TASK_BULK_ACTIONS),
  ids: z.array(z.string().max(100)).min(1).max(TASK_BULK_MAX),
  until: instantInput.optional(),
  note: z.string().max(10_000).optional(),
});
export type TaskBulkInput = z.infer<typeof taskBulkInput>;

export const taskBulkResult = z.object({
  /** The tasks changed, in the order given. */
  updated: z.array(id),
  /** The others, each with why: `not found`, `already completed`, `already cancelled`. */
  failed: z.array(z.object({ id: z.string(), reason: z.string() })),
});
export type TaskBulkResult = z.infer<typeof taskBulkResult>;
