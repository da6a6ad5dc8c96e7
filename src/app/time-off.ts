import { deleteTimeOff, findTimeOffOfUser, insertTimeOff, resumeFromTimeOff } from '../store/time-off.repository.ts';
import { userExists } from '../store/user.repository.ts';
import { assertOwns, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { invalid, notFound } from './errors.ts';

export interface TimeOff {
  id: string;
  userId: string;
  from: string;
  to: string;
  note?: string;
}

/** A rep away from `from` to `to`: nothing of theirs runs in between (SPEC: pauses). */
export async function addTimeOff(ctx: AppContext, actor: Actor, userId: string, input: { from: string; to: string; note?: string }): Promise<TimeOff> {
  assertOwns(actor, userId, 'user', userId);
  const from = new Date(input.from);
  const to = new Date(input.to);
  if (to <= from) throw invalid('body.to: must be after from', [{ path: 'body.to', message: 'must be after from' }]);
  if (!(await userExists(ctx.db, userId))) throw notFound('user', userId);
  const row = await insertTimeOff(ctx.db, {
    id: ctx.newId(), user_id: userId, starts_at: from, ends_at: to, note: input.note ?? null, created_at: ctx.clock.now(),
  });
  return { id: row.id, userId, from: from.toISOString(), to: to.toISOString(), ...(row.note ? { note: row.note } : {}) };
}

/** The user's time off that is running or still to come (what is over is history). */
export async function listTimeOff(ctx: AppContext, actor: Actor, userId: string): Promise<TimeOff[]> {
  assertOwns(actor, userId, 'user', userId);
  const rows = await findTimeOffOfUser(ctx.db, userId, ctx.clock.now());
  return rows.map((r) => ({ id: r.id, userId, from: r.starts_at.toISOString(), to: r.ends_at.toISOString(), ...(r.note ? { note: r.note } : {}) }));
}

/**
 * Cancels a time off ("back early"): one still to come is simply gone; one running ends
 * now, and the enrolments it paused run again at once, not at its planned end.
 */
export async function removeTimeOff(ctx: AppContext, actor: Actor, userId: string, timeOffId: string): Promise<void> {
  assertOwns(actor, userId, 'user', userId);
  await ctx.db.transaction().execute(async (trx) => {
    const removed = await deleteTimeOff(trx, userId, timeOffId);
    if (!removed) throw notFound('time off', timeOffId);
    const now = ctx.clock.now();
    if (removed.starts_at <= now && removed.ends_at > now) await resumeFromTimeOff(trx, userId, removed.ends_at, now);
  });
}
