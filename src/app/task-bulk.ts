import type { TaskBulkInput, TaskBulkResult } from '../contract/task-bulk.ts';
import { isUuid } from '../domain/ids.ts';
import { findCadences } from '../store/cadence.repository.ts';
import type { Trx } from '../store/database.ts';
import { lockEnrollments } from '../store/enrollment.repository.ts';
import type { TaskRow } from '../store/schema.ts';
import { lockTasks, makeEnrollmentsDueNow, skipTasks, snoozeTasks } from '../store/task-bulk.repository.ts';
import type { Actor } from './actor.ts';
import { advanceEnrollments } from './advance.ts';
import type { AppContext } from './context.ts';
import { invalid } from './errors.ts';
import { MAX_SNOOZE_DAYS } from './task-actions.ts';

/**
 * Skips or snoozes many tasks (a rep's overdue ones, typically) in a few set-based
 * statements: the tasks are locked and read at once, the open ones the caller may act
 * on change in one statement, and a skip moves the enrolments waiting on them on as a
 * single skip does. An id that names no task of the caller's, or a closed task, fails
 * alone with its reason; a bad `until` or a field the action does not take fails the
 * whole request (400).
 */
export async function bulkUpdateTasks(ctx: AppContext, actor: Actor, input: TaskBulkInput): Promise<TaskBulkResult> {
  const now = ctx.clock.now();
  const until = checkFields(input, now);
  const ids = [...new Set(input.ids)];
  return ctx.db.transaction().execute(async (trx) => {
    const rows = new Map((await lockTasks(trx, ids.filter(isUuid))).map((t) => [t.id, t]));
    const failed: TaskBulkResult['failed'] = [];
    const open: TaskRow[] = [];
    for (const id of ids) {
      const task = rows.get(id);
      // Another rep's task is not found, as everywhere: its existence is private.
      if (!task || (actor.role !== 'admin' && task.owner_id !== actor.id)) failed.push({ id, reason: 'not found' });
      else if (task.status !== 'open') failed.push({ id, reason: `already ${task.status}` });
      else open.push(task);
    }
    const openIds = open.map((t) => t.id);
    if (input.action === 'snooze') await snoozeTasks(trx, openIds, until!);
    else await moveEnrollmentsOn(ctx, trx, await skipTasks(trx, openIds, input.note ?? null, now), now);
    return { updated: openIds, failed };
  });
}

function checkFields(input: TaskBulkInput, now: Date): Date | null {
  if (input.action === 'skip') {
    if (input.until !== undefined) throw fieldError('until', 'only snooze takes a time');
    return null;
  }
  if (input.note !== undefined) throw fieldError('note', 'only skip takes a note');
  if (input.until === undefined) throw fieldError('until', 'snooze needs the time to snooze to');
  const until = new Date(input.until);
  if (!(until.getTime() > now.getTime())) throw fieldError('until', 'must be in the future');
  if (until.getTime() > now.getTime() + MAX_SNOOZE_DAYS * 86_400_000) throw fieldError('until', `must be within ${MAX_SNOOZE_DAYS} days`);
  return until;
}

/**
 * The enrolments that waited on these skipped tasks go on now: those running advance
 * at once (their cadence active), the others (paused, or a paused cadence) are made due
 * so that they plan when they run again. As moveEnrollmentOn does for one task.
 */
async function moveEnrollmentsOn(ctx: AppContext, trx: Trx, skipped: TaskRow[], now: Date): Promise<void> {
  const waitedOn = new Set(skipped.map((t) => t.id));
  const enrollmentIds = [...new Set(skipped.flatMap((t) => (t.enrollment_id ? [t.enrollment_id] : [])))];
  const waiting = (await lockEnrollments(trx, enrollmentIds))
    .filter((e) => e.wait_task_id !== null && waitedOn.has(e.wait_task_id) && (e.status === 'active' || e.status === 'paused'));
  if (waiting.length === 0) return;
  const cadences = await findCadences(trx, waiting.map((e) => e.cadence_id));
  const runs = (e: (typeof waiting)[number]) => e.status === 'active' && cadences.get(e.cadence_id)?.row.status === 'active';
  await advanceEnrollments(ctx, trx, waiting.filter(runs), now);
  await makeEnrollmentsDueNow(trx, waiting.filter((e) => !runs(e)).map((e) => e.id), now);
}

const fieldError = (field: string, message: string) =>
  invalid(`body.${field}: ${message}`, [{ path: `body.${field}`, message }]);
