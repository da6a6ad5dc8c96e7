import type { Handle, Trx } from './database.ts';
import type { TaskRow } from './schema.ts';

/** A skipped task is stored cancelled with this outcome (no call outcome has this name). */
export const SKIPPED_OUTCOME = 'skipped';

export interface TaskQuery {
  status?: TaskRow['status'];
  ownerId?: string;
  enrollmentId?: string;
  recordId?: string;
  limit: number;
  offset: number;
}

/** A page of tasks, soonest due first; `visibleTo` (a rep's id, null for an admin) keeps a rep to its own. */
export async function findTasks(h: Handle, query: TaskQuery, visibleTo: string | null): Promise<TaskRow[]> {
  return taskPage(h, query, visibleTo).execute();
}

/** The query of findTasks: a rep's open tasks are read in order from tasks_queue_idx, never sorted. */
export function taskPage(h: Handle, query: TaskQuery, visibleTo: string | null) {
  let q = h.selectFrom('tasks').selectAll();
  if (visibleTo !== null) q = q.where('owner_id', '=', visibleTo);
  if (query.ownerId) q = q.where('owner_id', '=', query.ownerId);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.enrollmentId) q = q.where('enrollment_id', '=', query.enrollmentId);
  if (query.recordId) q = q.where('record_id', '=', query.recordId);
  return q.orderBy('due_at').orderBy('id').limit(query.limit).offset(query.offset);
}

export async function lockTask(trx: Trx, id: string): Promise<TaskRow | undefined> {
  return trx.selectFrom('tasks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function markTaskCompleted(h: Handle, id: string, result: { outcome: string | null; note: string | null }, now: Date): Promise<TaskRow> {
  return h
    .updateTable('tasks')
    .set({ status: 'completed', outcome: result.outcome, note: result.note, completed_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Closes a task as skipped: cancelled, so the step counts as not completed. */
export async function markTaskSkipped(h: Handle, id: string, note: string | null, now: Date): Promise<TaskRow> {
  return h
    .updateTable('tasks')
    .set({ status: 'cancelled', outcome: SKIPPED_OUTCOME, note, completed_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateOpenTask(h: Handle, id: string, change: { due_at?: Date; owner_id?: string }): Promise<TaskRow> {
  return h.updateTable('tasks').set(change).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
