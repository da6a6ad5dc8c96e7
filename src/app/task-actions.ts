import type { Task } from '../contract/tasks.ts';
import { toTask } from './views/tasks.ts';
import { markTaskSkipped, updateOpenTask } from '../store/task.repository.ts';
import { findUser } from '../store/user.repository.ts';
import type { Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { invalid } from './errors.ts';
import { lockOpenTask, moveEnrollmentOn } from './tasks.ts';

/** How far ahead a task may be snoozed: further than this is a typo, not a plan. */
export const MAX_SNOOZE_DAYS = 365;

/**
 * Skipping closes the task as `cancelled` with `skipped: true` (API.md's task statuses
 * stay open/completed/cancelled): the step counts as not completed, so a later
 * `not_completed` condition holds, and the enrolment waiting on it moves on now.
 */
export async function skipTask(ctx: AppContext, actor: Actor, id: string, input: { note?: string }): Promise<Task> {
  return ctx.db.transaction().execute(async (trx) => {
    const task = await lockOpenTask(trx, actor, id);
    const now = ctx.clock.now();
    const skipped = await markTaskSkipped(trx, id, input.note ?? null, now);
    await moveEnrollmentOn(ctx, trx, task, now);
    return toTask(skipped);
  });
}

/** Moves an open task's due time to a later instant (in the future, within MAX_SNOOZE_DAYS). */
export async function snoozeTask(ctx: AppContext, actor: Actor, id: string, until: Date): Promise<Task> {
  const now = ctx.clock.now();
  if (!(until.getTime() > now.getTime())) throw fieldError('until', 'must be in the future');
  if (until.getTime() > now.getTime() + MAX_SNOOZE_DAYS * 86_400_000) throw fieldError('until', `must be within ${MAX_SNOOZE_DAYS} days`);
  return ctx.db.transaction().execute(async (trx) => {
    await lockOpenTask(trx, actor, id);
    return toTask(await updateOpenTask(trx, id, { due_at: until }));
  });
}

/**
 * Gives an open task to another user of the organisation: a rep may hand over only
 * its own tasks, an admin any; the new owner must be an existing rep or admin.
 */
export async function reassignTask(ctx: AppContext, actor: Actor, id: string, ownerId: string): Promise<Task> {
  return ctx.db.transaction().execute(async (trx) => {
    await lockOpenTask(trx, actor, id);
    const owner = await findUser(trx, ownerId);
    if (!owner || (owner.role !== 'rep' && owner.role !== 'admin') || owner.deactivated_at) throw fieldError('ownerId', `no active user ${ownerId}`);
    return toTask(await updateOpenTask(trx, id, { owner_id: owner.id }));
  });
}

const fieldError = (field: string, message: string) =>
  invalid(`body.${field}: ${message}`, [{ path: `body.${field}`, message }]);
