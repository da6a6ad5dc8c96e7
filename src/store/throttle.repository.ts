import { sql } from 'kysely';
import type { Handle, Trx } from './database.ts';

/** When each of these reps' enrolments of a cadence started, over the last two days. */
export async function recentStarts(
  h: Handle,
  cadenceId: string,
  ownerIds: string[],
  now: Date,
): Promise<Array<{ owner_id: string; started_at: Date }>> {
  const { rows } = await sql<{ owner_id: string; started_at: Date }>`
    select l.owner_id, e.started_at from enrollments e join leads l on l.id = e.record_id
    where e.cadence_id = ${cadenceId} and e.started_at > ${new Date(now.getTime() - 2 * 86_400_000)}
      and l.owner_id = any(${ownerIds}::uuid[])`.execute(h);
  return rows;
}

/** The (cadence, rep) pairs that have enrolments waiting under a throttle. */
export async function pendingGroups(h: Handle): Promise<Array<{ cadence_id: string; owner_id: string | null; timezone: string | null }>> {
  const { rows } = await sql<{ cadence_id: string; owner_id: string | null; timezone: string | null }>`
    select distinct e.cadence_id, l.owner_id, u.timezone
    from enrollments e join leads l on l.id = e.record_id left join users u on u.id = l.owner_id
    join cadences c on c.id = e.cadence_id and c.status = 'active'
    where e.status = 'pending'`.execute(h);
  return rows;
}

/** The first `limit` pending enrolments of a rep in a cadence, in enrolment order, locked. */
export async function lockPending(trx: Trx, cadenceId: string, ownerId: string | null, limit: number): Promise<Array<{ id: string; record_id: string }>> {
  const { rows } = await sql<{ id: string; record_id: string }>`
    select e.id, e.record_id from enrollments e join leads l on l.id = e.record_id
    where e.cadence_id = ${cadenceId} and e.status = 'pending'
      and l.owner_id is not distinct from ${ownerId}::uuid
    order by e.seq
    limit ${limit}
    for update of e skip locked`.execute(trx);
  return rows;
}

/** Starts pending enrolments at their first step, each with its own due instant. */
export async function startEnrollments(trx: Trx, ids: string[], firstStepId: string, due: Date[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    update enrollments e set status = 'active', started_at = ${now}, anchor_at = ${now},
      next_step_id = ${firstStepId}, next_step_index = 0, next_due_at = v.due, updated_at = ${now}
    from unnest(${ids}::uuid[], ${due}::timestamptz[]) as v(id, due)
    where e.id = v.id`.execute(trx);
}
