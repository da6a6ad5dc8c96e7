import { advanceEnrollments } from './advance.ts';
import { callOutcomeExits } from '../domain/rules.ts';
import { findCadence } from '../store/cadence.repository.ts';
import { exitEnrollments, lockEnrollments, makeEnrollmentDueNow } from '../store/enrollment.repository.ts';
import { toTask, type Task } from '../store/records.ts';
import { findTasks, lockTask, markTaskCompleted, type TaskQuery } from '../store/task.repository.ts';
import { assertOwns, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { invalidState, notFound } from './errors.ts';

export type TaskFilter = TaskQuery;

/** A rep's queue: its own tasks only, soonest due first. */
export async function listTasks(ctx: AppContext, actor: Actor, filter: TaskFilter): Promise<Task[]> {
  const rows = await findTasks(ctx.db, filter, actor.role !== 'admin' ? actor.id : null);
  return rows.map(toTask);
}

/**
 * Completing a task is the step being done: the enrolment waiting on it moves on
 * now (its next delay runs from this moment), or exits on a call outcome its cadence
 * names.
 */
export async function completeTask(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { outcome?: string; note?: string },
): Promise<Task> {
  return ctx.db.transaction().execute(async (trx) => {
    const task = await lockTask(trx, id);
    if (!task) throw notFound('task', id);
    assertOwns(actor, task.owner_id, 'task', id);
    if (task.status !== 'open') throw invalidState(`the task is already ${task.status}`);
    const now = ctx.clock.now();
    const done = await markTaskCompleted(trx, id, { outcome: input.outcome ?? null, note: input.note ?? null }, now);
    if (task.enrollment_id) {
      const [enrollment] = await lockEnrollments(trx, [task.enrollment_id]);
      const cadence = enrollment && (await findCadence(trx, enrollment.cadence_id));
      const live = enrollment && ['active', 'paused'].includes(enrollment.status);
      if (live && cadence && task.type === 'call' && callOutcomeExits(input.outcome, cadence.definition.exitOn)) {
        await exitEnrollments(trx, [enrollment.id], 'call_outcome', now);
      } else if (enrollment?.status === 'active' && enrollment.wait_task_id === id && cadence?.row.status === 'active') {
        await advanceEnrollments(ctx, trx, [enrollment], now);
      } else if (enrollment?.wait_task_id === id) {
        // Paused: the plan happens on resume or when the cadence runs again; make it due now.
        await makeEnrollmentDueNow(trx, enrollment.id, now);
      }
    }
    return toTask(done);
  });
}
