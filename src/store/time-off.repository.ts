import { sql, type Insertable, type Selectable } from 'kysely';
import type { Handle, Trx } from './database.ts';
import type { TimeOffTable } from './schema.ts';

export async function insertTimeOff(h: Handle, row: Insertable<TimeOffTable>): Promise<Selectable<TimeOffTable>> {
  return h.insertInto('time_off').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A user's time off not yet over at `now` (current and future), earliest first. */
export async function findTimeOffOfUser(h: Handle, userId: string, now: Date): Promise<Selectable<TimeOffTable>[]> {
  return h.selectFrom('time_off').selectAll().where('user_id', '=', userId).where('ends_at', '>', now).orderBy('starts_at').execute();
}

/** Deletes one of a user's time off; undefined when the user has none by that id. */
export async function deleteTimeOff(trx: Trx, userId: string, id: string): Promise<Selectable<TimeOffTable> | undefined> {
  return trx.deleteFrom('time_off').where('id', '=', id).where('user_id', '=', userId).returningAll().executeTakeFirst();
}

/**
 * Back early: the enrolments of the user's records that this time off paused (until its
 * end) run again now; overdue steps wait for now, later ones keep their time, as when
 * a pause ends by itself. Another time off still running pauses them again on the
 * engine's next pass, before any step runs.
 */
export async function resumeFromTimeOff(trx: Trx, userId: string, endsAt: Date, now: Date): Promise<number> {
  const r = await sql`
    update enrollments e set status = 'active',
      next_due_at = case when e.next_due_at is null then null else greatest(e.next_due_at, ${now}) end,
      resume_at = null, updated_at = ${now}
    from leads l
    where e.record_id = l.id and l.owner_id = ${userId} and e.status = 'paused' and e.resume_at = ${endsAt}`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}
