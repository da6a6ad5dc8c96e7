import { advanceEnrollments } from './advance.ts';
import { callOutcomeExits } from '../domain/rules.ts';
import { findCadence } from '../store/cadence.repository.ts';
import { exitEnrollments, lockEnrollments } from '../store/enrollment.repository.ts';
import { toTask, type Task } from '../store/records.ts';
import type { TaskRow } from '../store/schema.ts';
import { assertOwns, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { invalidState, notFound } from './errors.ts';

export interface TaskFilter {
  status?: TaskRow['status'];
  ownerId?: string;
  enrollmentId?: string;
  recordId?: string;
  limit: number;
  offset: number;
}

/** A rep's queue: its own tasks only, soonest due first. */
export async function listTasks(ctx: AppContext, actor: Actor, filter: TaskFilter): Promise<Task[]> {
  let q = ctx.db.selectFrom('tasks').selectAll();
  if (actor.role !== 'admin') q = q.where('owner_id', '=', actor.id);
  if (filter.ownerId) q = q.where('owner_id', '=', filter.ownerId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.enrollmentId) q = q.where('enrollment_id', '=', filter.enrollmentId);
  if (filter.recordId) q = q.where('record_id', '=', filter.recordId);
  const rows = await q.orderBy('due_at').orderBy('id').limit(filter.limit).offset(filter.offset).execute();
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
    const task = await trx.selectFrom('tasks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!task) throw notFound('task', id);
    assertOwns(actor, task.owner_id, 'task', id);
    if (task.status !== 'open') throw invalidState(`the task is already ${task.status}`);
    const now = ctx.clock.now();
    const done = await trx
      .updateTable('tasks')
      .set({ status: 'completed', outcome: input.outcome ?? null, note: input.note ?? null, completed_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
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
        await trx.updateTable('enrollments').set({ next_due_at: now, updated_at: now }).where('id', '=', enrollment.id).execute();
      }
    }
    return toTask(done);
  });
}
