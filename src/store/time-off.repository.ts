import type { Insertable, Selectable } from 'kysely';
import type { Handle } from './database.ts';
import type { TimeOffTable } from './schema.ts';

export async function insertTimeOff(h: Handle, row: Insertable<TimeOffTable>): Promise<Selectable<TimeOffTable>> {
  return h.insertInto('time_off').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A user's time off, earliest first. */
export async function findTimeOffOfUser(h: Handle, userId: string): Promise<Selectable<TimeOffTable>[]> {
  return h.selectFrom('time_off').selectAll().where('user_id', '=', userId).orderBy('starts_at').execute();
}
