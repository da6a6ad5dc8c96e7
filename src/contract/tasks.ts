import { z } from 'zod';
import { id, instant, instantInput, pageQuery, uuidInput } from './common.ts';
import { CALL_OUTCOMES, HOT_REASONS, PRIORITIES, TASK_DUE_BUCKETS, TASK_SORTS, TASK_STATUSES, TASK_TYPES } from './enums.ts';

/** Calls, to-dos and manual emails for a rep (API.md "Tasks"). */

export const task = z.object({
  id,
  type: z.enum(TASK_TYPES),
  title: z.string(),
  body: z.string().optional(),
  /** A manual email's subject. */
  subject: z.string().optional(),
  priority: z.enum(PRIORITIES),
  dueAt: instant,
  status: z.enum(TASK_STATUSES),
  outcome: z.string().optional(),
  note: z.string().optional(),
  /** Skipped by its owner: status `cancelled`, the step counted as not completed. */
  skipped: z.literal(true).optional(),
  recordId: id,
  enrollmentId: id.nullable(),
  stepId: z.string().nullable(),
  boostId: z.string().optional(),
  ownerId: id.nullable(),
  completedAt: instant.optional(),
});
export type Task = z.infer<typeof task>;

/** A row of the rep's queue: the task with its lead, cadence, step position and hotness. */
export const taskItem = task.extend({
  lead: z.object({
    id,
    name: z.string().nullable(),
    email: z.string(),
    company: z.string().nullable(),
    phone: z.string().nullable(),
    timezone: z.string().nullable(),
  }),
  cadence: z.object({ id, name: z.string() }).nullable(),
  /** The step's position in its cadence version, from 0; null for a boost's task. */
  stepIndex: z.number().int().nullable(),
  stepCount: z.number().int().nullable(),
  hot: z.boolean(),
  hotReason: z.enum(HOT_REASONS).optional(),
  /** When the intent behind `hotReason` happened (the latest within the hot window). */
  hotAt: instant.optional(),
});
export type TaskItem = z.infer<typeof taskItem>;
export const taskList = z.object({ items: z.array(taskItem) });

export const taskQuery = z.object({
  status: z.enum(TASK_STATUSES).optional(),
  ownerId: uuidInput('a user').optional(),
  enrollmentId: uuidInput('an enrollment').optional(),
  recordId: uuidInput('a record').optional(),
  /** Calendar days in the owner's zone (else the organisation's). */
  due: z.enum(TASK_DUE_BUCKETS).optional(),
  sort: z.enum(TASK_SORTS).optional(),
  ...pageQuery,
});
export type TaskQuery = z.infer<typeof taskQuery>;

/** A call's outcome is one of a fixed set; `meeting_booked` is also a meeting signal. */
export const completeTaskInput = z.object({
  outcome: z.enum(CALL_OUTCOMES, { message: `expected one of ${CALL_OUTCOMES.join(', ')}` }).optional(),
  note: z.string().max(10_000).optional(),
}).nullish();
export type CompleteTaskInput = z.infer<typeof completeTaskInput>;

export const skipTaskInput = z.object({ note: z.string().max(10_000).optional() }).nullish();
export const snoozeTaskInput = z.object({ until: instantInput });
export const reassignTaskInput = z.object({ ownerId: uuidInput('a user') });
