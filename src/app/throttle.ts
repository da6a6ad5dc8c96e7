import { timingFor } from './timing.ts';
import type { CadenceDefinition } from '../domain/cadence.ts';
import { dueOf } from '../domain/plan.ts';
import { resolveTimeZone } from '../domain/schedule.ts';
import { startOfLocalDay, startsAllowed } from '../domain/throttle.ts';
import { findCadences } from '../store/cadence.repository.ts';
import type { Handle, Trx } from '../store/database.ts';
import { loadOrgSettings, type OrgSettings } from '../store/execution.repository.ts';
import { findLeadsWithOwners } from '../store/lead.repository.ts';
import { lockPending, pendingGroups, recentStarts, startEnrollments } from '../store/throttle.repository.ts';

/** Enrolments of a cadence started today per rep, each rep's day in its own zone. */
export async function startedTodayByRep(
  h: Handle,
  cadenceId: string,
  owners: Map<string, string>,
  now: Date,
): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  if (owners.size === 0) return result;
  const rows = await recentStarts(h, cadenceId, [...owners.keys()], now);
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
  const groups = await pendingGroups(trx);
  if (groups.length === 0) return 0;
  const cadences = await findCadences(trx, groups.map((g) => g.cadence_id));
  const org = await loadOrgSettings(trx);
  let started = 0;
  for (const g of groups) {
    const cadence = cadences.get(g.cadence_id);
    if (!cadence) continue;
    const zone = repZone(g.timezone, org);
    const owners = new Map(g.owner_id ? [[g.owner_id, zone]] : []);
    const today = g.owner_id ? (await startedTodayByRep(trx, g.cadence_id, owners, now)).get(g.owner_id) ?? 0 : 0;
    const allowed = startsAllowed(cadence.definition.throttle?.perRepPerDay ?? null, today, Number.MAX_SAFE_INTEGER);
    if (allowed === 0) continue;
    const rows = await lockPending(trx, g.cadence_id, g.owner_id, Math.min(allowed, 10_000));
    started += await activate(trx, rows, cadence.definition, org, now);
  }
  return started;
}

async function activate(trx: Trx, rows: Array<{ id: string; record_id: string }>, def: CadenceDefinition, org: OrgSettings, now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const people = await findLeadsWithOwners(trx, rows.map((r) => r.record_id));
  const first = def.steps[0];
  const due = rows.map((r) => dueOf(first, now, def, timingFor(def, people.get(r.record_id), org)));
  await startEnrollments(trx, rows.map((r) => r.id), first.id, due, now);
  return rows.length;
}
