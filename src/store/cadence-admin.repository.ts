import { sql } from 'kysely';
import type { Trx, Handle } from './database.ts';

/**
 * Deletes a draft cadence with its enrolments (which never ran: a draft's wait as
 * pending), in a few set-based statements. Signals that named one of them stay on the
 * lead's history without it. The caller holds the cadence's lock and has checked it is a draft.
 */
export async function deleteDraftCadence(trx: Trx, cadenceId: string): Promise<void> {
  const ids = sql`(select id from enrollments where cadence_id = ${cadenceId})`;
  await sql`update signals set enrollment_id = null where enrollment_id in ${ids}`.execute(trx);
  await sql`delete from boost_firings where enrollment_id in ${ids}`.execute(trx);
  await sql`delete from step_executions where enrollment_id in ${ids}`.execute(trx);
  await sql`delete from enrollments where cadence_id = ${cadenceId}`.execute(trx);
  await sql`delete from cadences where id = ${cadenceId}`.execute(trx);
}

/**
 * The custom field names the newest leads carry, with one value as an example: the
 * merge-field picker's `lead.fields.*`. Bounded: the newest `sample` leads, `limit` names.
 */
export async function customFieldNames(h: Handle, sample = 2000, limit = 200): Promise<Array<{ name: string; example: string | null }>> {
  const { rows } = await sql<{ name: string; example: string | null }>`
    select k as name, left(min(l.fields ->> k), 60) as example
    from (
      select fields from leads
      where jsonb_typeof(fields) = 'object' and fields <> '{}'::jsonb
      order by created_at desc limit ${sample}
    ) l
    cross join lateral jsonb_object_keys(l.fields) as k
    group by k order by k limit ${limit}`.execute(h);
  return rows;
}
