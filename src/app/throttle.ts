import { sql } from 'kysely';
import type { CadenceDefinition } from '../domain/cadence.ts';
import { dueOf } from '../domain/plan.ts';
import { resolveTimeZone } from '../domain/schedule.ts';
import { startOfLocalDay, startsAllowed } from '../domain/throttle.ts';
import { findCadences } from '../store/cadence.repository.ts';
import type { Handle, Trx } from '../store/database.ts';
import { loadOrgSettings, type OrgSettings } from '../store/execution.repository.ts';
import { findLeadsWithOwners } from '../store/lead.repository.ts';

/** Enrolments of a cadence started today per rep, each rep's day in its own zone. */
export async function startedTodayByRep(
  h: Handle,
  cadenceId: string,
  owners: Map<string, string>,
  now: Date,
): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  if (owners.size === 0) return result;
  const { rows } = await sql<{ owner_id: string; started_at: Date }>`
    select l.owner_id, e.started_at from enrollments e join leads l on l.id = e.record_id
    where e.cadence_id = ${cadenceId} and e.started_at > ${new Date(now.getTime() - 2 * 86_400_000)}
      and l.owner_id = any(${[...owners.keys()]}::uuid[])`.execute(h);
  for (const r of rows) {
    const dayStart = startOfLocalDay(now, owners.get(r.owner_id)!);
    if (r.started_at >= dayStart) result.set(r.owner_id, (result.get(r.owner_id) ?? 0) + 1);
  }
  return result;
}

/** The zone a rep's day is counted in: the rep's own, else the organisation's. */
export function repZone(timezone: string | null | undefined, org: OrgSettings): string {
  return resolveTimeZone([timezone, org.timezone]);
}

/**
 * Starts pending enrolments in enrolment order as far as each rep's daily throttle
 * allows; run by the engine each pass, so a new day starts the next ones.
 */
export async function startPending(trx: Trx, now: Date): Promise<number> {
  const groups = await sql<{ cadence_id: string; owner_id: string | null; timezone: string | null }>`
    select distinct e.cadence_id, l.owner_id, u.timezone
    from enrollments e join leads l on l.id = e.record_id left join users u on u.id = l.owner_id
    join cadences c on c.id = e.cadence_id and c.status = 'active'
    where e.status = 'pending'`.execute(trx);
  if (groups.rows.length === 0) return 0;
  const cadences = await findCadences(trx, groups.rows.map((g) => g.cadence_id));
  const org = await loadOrgSettings(trx);
  let started = 0;
  for (const g of groups.rows) {
    const cadence = cadences.get(g.cadence_id);
    if (!cadence) continue;
    const zone = repZone(g.timezone, org);
    const owners = new Map(g.owner_id ? [[g.owner_id, zone]] : []);
    const today = g.owner_id ? (await startedTodayByRep(trx, g.cadence_id, owners, now)).get(g.owner_id) ?? 0 : 0;
    const allowed = startsAllowed(cadence.definition.throttle?.perRepPerDay ?? null, today, Number.MAX_SAFE_INTEGER);
    if (allowed === 0) continue;
    const { rows } = await sql<{ id: string; record_id: string }>`
      select e.id, e.record_id from enrollments e join leads l on l.id = e.record_id
      where e.cadence_id = ${g.cadence_id} and e.status = 'pending'
        and l.owner_id is not distinct from ${g.owner_id}::uuid
      order by e.seq
      limit ${Math.min(allowed, 10_000)}
      for update of e skip locked`.execute(trx);
    started += await activate(trx, rows, cadence.definition, org, now);
  }
  return started;
}

async function activate(trx: Trx, rows: Array<{ id: string; record_id: string }>, def: CadenceDefinition, org: OrgSettings, now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const people = await findLeadsWithOwners(trx, rows.map((r) => r.record_id));
  const calendar = { workingDays: org.workingDays, holidays: org.holidays };
  const first = def.steps[0];
  const ids = rows.map((r) => r.id);
  const due = rows.map((r) => {
    const who = people.get(r.record_id);
    const zone = resolveTimeZone([def.schedule.timezone, who?.lead.timezone, who?.owner?.timezone, org.timezone]);
    return dueOf(first, now, def, { zone, calendar });
  });
  await sql`
    update enrollments e set status = 'active', started_at = ${now}, anchor_at = ${now},
      next_step_id = ${first.id}, next_step_index = 0, next_due_at = v.due, updated_at = ${now}
    from unnest(${ids}::uuid[], ${due}::timestamptz[]) as v(id, due)
    where e.id = v.id`.execute(trx);
  return rows.length;
}
