import type { Trx } from './database.ts';
import type { TaskRow } from './schema.ts';
import { SKIPPED_OUTCOME } from './task.repository.ts';

/** Set-based statements over many tasks at once: one statement each, whatever their number. */

/** Locks these tasks (those that exist) for the transaction, in id order so that concurrent batches cannot deadlock. */
export async function lockTasks(trx: Trx, ids: string[]): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  return trx.selectFrom('tasks').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

export async function snoozeTasks(trx: Trx, ids: string[], until: Date): Promise<void> {
  if (ids.length === 0) return;
  await trx.updateTable('tasks').set({ due_at: until }).where('id', 'in', ids).where('status', '=', 'open').execute();
}

/** Closes tasks as skipped: cancelled, so each step counts as not completed. */
export async function skipTasks(trx: Trx, ids: string[], note: string | null, now: Date): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  return trx
    .updateTable('tasks')
    .set({ status: 'cancelled', outcome: SKIPPED_OUTCOME, note, completed_at: now })
    .where('id', 'in', ids)
    .where('status', '=', 'open')
    .returningAll()
    .execute();
}

/** Makes enrolments due now: the planner then reads that the task they waited on closed. */
export async function makeEnrollmentsDueNow(trx: Trx, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await trx.updateTable('enrollments').set({ next_due_at: now, updated_at: now }).where('id', 'in', ids).execute();
}
