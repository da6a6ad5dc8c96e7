import { advanceEnrollments } from './advance.ts';
import { callOutcomeExits } from '../domain/rules.ts';
import { findCadence } from '../store/cadence.repository.ts';
import type { Trx } from '../store/database.ts';
import { exitEnrollments, lockEnrollments, makeEnrollmentDueNow } from '../store/enrollment.repository.ts';
import type { Task, TaskItem } from '../contract/tasks.ts';
import { toTask, toTaskItem } from './views/tasks.ts';
import type { TaskRow } from '../store/schema.ts';
import { findTaskQueuePage, type TaskQueueQuery } from '../store/task-queue.repository.ts';
import { lockTask, markTaskCompleted } from '../store/task.repository.ts';
import { assertOwns, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { invalidState, notFound } from './errors.ts';
import { applySignalIn } from './signals.ts';

export type TaskFilter = TaskQueueQuery;

/** A rep's queue: its own tasks only, soonest due first (or hot leads first), one statement a page. */
export async function listTasks(ctx: AppContext, actor: Actor, filter: TaskFilter): Promise<TaskItem[]> {
  const rows = await findTaskQueuePage(ctx.db, filter, actor.role !== 'admin' ? actor.id : null, ctx.clock.now());
  return rows.map(toTaskItem);
}

/**
 * Completing a task is the step being done: the enrolment waiting on it moves on
 * now (its next delay runs from this moment), or exits on a call outcome its cadence
 * names. A call ending in `meeting_booked` is a meeting-booked signal for the lead.
 */
export async function completeTask(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { outcome?: string; note?: string },
): Promise<Task> {
  return ctx.db.transaction().execute(async (trx) => {
    const task = await lockOpenTask(trx, actor, id);
    const now = ctx.clock.now();
    const done = await markTaskCompleted(trx, id, { outcome: input.outcome ?? null, note: input.note ?? null }, now);
    if (task.type === 'call' && input.outcome === 'meeting_booked') {
      await applySignalIn(ctx, trx, null, { type: 'meeting_booked', recordId: task.record_id });
    }
    await moveEnrollmentOn(ctx, trx, task, now, task.type === 'call' ? input.outcome : undefined);
    return toTask(done);
  });
}

/** The open task, locked, that this actor may act on: 404 otherwise, 409 once closed. */
export async function lockOpenTask(trx: Trx, actor: Actor, id: string): Promise<TaskRow> {
  const task = await lockTask(trx, id);
  if (!task) throw notFound('task', id);
  assertOwns(actor, task.owner_id, 'task', id);
  if (task.status !== 'open') throw invalidState(`the task is already ${task.status}`);
  return task;
}

/**
 * After a task closed (completed or skipped): the enrolment waiting on it goes on,
 * or exits when the call outcome is one its cadence exits on.
 */
export async function moveEnrollmentOn(ctx: AppContext, trx: Trx, task: TaskRow, now: Date, callOutcome?: string): Promise<void> {
  if (!task.enrollment_id) return;
  const [enrollment] = await lockEnrollments(trx, [task.enrollment_id]);
  const cadence = enrollment && (await findCadence(trx, enrollment.cadence_id));
  const live = enrollment && ['active', 'paused'].includes(enrollment.status);
  if (live && cadence && callOutcomeExits(callOutcome, cadence.definition.exitOn)) {
    await exitEnrollments(trx, [enrollment.id], 'call_outcome', now);
  } else if (enrollment?.status === 'active' && enrollment.wait_task_id === task.id && cadence?.row.status === 'active') {
    await advanceEnrollments(ctx, trx, [enrollment], now);
  } else if (live && enrollment.wait_task_id === task.id) {
    // Paused: the plan happens on resume or when the cadence runs again; make it due now.
    await makeEnrollmentDueNow(trx, enrollment.id, now);
  }
}
