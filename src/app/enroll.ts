import { timingFor } from './timing.ts';
import type { Insertable } from 'kysely';
import type { CadenceDefinition } from '../domain/cadence.ts';
import { dueOf } from '../domain/plan.ts';
import { isUuid } from '../domain/ids.ts';
import { findCadence } from '../store/cadence.repository.ts';
import type { Handle, Trx } from '../store/database.ts';
import { enrollmentStatusesOfRecords, insertEnrollments } from '../store/enrollment.repository.ts';
import { loadOrgSettings, type OrgSettings } from '../store/execution.repository.ts';
import { findLeadsWithOwners, findSuppressions, type LeadWithOwner } from '../store/lead.repository.ts';
import { startsAllowed } from '../domain/throttle.ts';
import { repZone, startedTodayByRep } from './throttle.ts';
import type { CadenceRow, EnrollmentStatus, EnrollmentTable } from '../store/schema.ts';
import type { EnrollRefusal, WaitingFor } from '../contract/enums.ts';
import type { Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { invalidState, notFound } from './errors.ts';
import { waitingFor } from './views/enrollments.ts';

export type RefusalReason = EnrollRefusal;

export interface EnrollResult {
  enrolled: Array<{ id: string; recordId: string; status: EnrollmentStatus; waitingFor?: WaitingFor }>;
  rejected: Array<{ recordId: string; reason: RefusalReason }>;
}

/** The cadence an enrolment goes into: its state decides whether the new enrolments start. */
export interface EnrollTarget {
  id: string;
  status: CadenceRow['status'];
  version: number;
  definition: CadenceDefinition;
}

/**
 * Enrols records into a cadence, refusing each record that may not be enrolled with
 * its reason. The partial unique index on live enrolments settles races: a record
 * enrolled concurrently by another request is refused as already enrolled.
 * Into a draft, the enrolments wait as `pending` until the cadence is activated; into a
 * paused cadence they are `active` and wait until it runs again; an archived cadence
 * takes none (409).
 */
export async function enroll(ctx: AppContext, actor: Actor, cadenceId: string, recordIds: string[]): Promise<EnrollResult> {
  return ctx.db.transaction().execute((trx) => enrollWithin(ctx, trx, actor, cadenceId, recordIds));
}

/** `enroll` inside the caller's transaction (an import's dry run enrols, then rolls back). */
export async function enrollWithin(ctx: AppContext, trx: Trx, actor: Actor, cadenceId: string, recordIds: string[]): Promise<EnrollResult> {
  const target = await loadTarget(trx, cadenceId);
  if (target.status === 'archived') throw invalidState(`cadence ${cadenceId} is archived: it takes no enrolments (clone it to run it again)`);
  return enrollInto(ctx, trx, actor, target, recordIds);
}

export async function loadTarget(h: Handle, cadenceId: string): Promise<EnrollTarget & { name: string }> {
  const cadence = await findCadence(h, cadenceId);
  if (!cadence) throw notFound('cadence', cadenceId);
  return { id: cadenceId, name: cadence.row.name, status: cadence.row.status, version: cadence.row.version, definition: cadence.definition };
}

/** An active cadence's enrolment (the engine's automatic enrolment, tests' set-up). */
export async function enrollIn(
  ctx: AppContext,
  trx: Trx,
  actor: Actor | null,
  cadenceId: string,
  def: CadenceDefinition,
  version: number,
  recordIds: string[],
): Promise<EnrollResult> {
  return enrollInto(ctx, trx, actor, { id: cadenceId, status: 'active', version, definition: def }, recordIds);
}

async function enrollInto(ctx: AppContext, trx: Trx, actor: Actor | null, target: EnrollTarget, recordIds: string[]): Promise<EnrollResult> {
  const plan = await planEnrollment(ctx, trx, actor, target, recordIds);
  const result: EnrollResult = { enrolled: [], rejected: [...plan.rejected] };
  const inserted = await insertEnrollments(trx, plan.rows);
  const insertedRecords = new Set(inserted.map((r) => r.record_id));
  const byRecord = new Map(plan.rows.map((r) => [r.record_id, r]));
  for (const r of inserted) {
    const status = byRecord.get(r.record_id)!.status!;
    const waiting = waitingFor(status, target.status);
    result.enrolled.push({ id: r.id, recordId: r.record_id, status, ...(waiting ? { waitingFor: waiting } : {}) });
  }
  for (const r of plan.rows) {
    if (!insertedRecords.has(r.record_id)) result.rejected.push({ recordId: r.record_id, reason: 'already_enrolled' });
  }
  return result;
}

/** What an enrolment would write: the rows, in the order given, and each refusal. Reads only. */
export interface EnrollmentPlan {
  rows: Insertable<EnrollmentTable>[];
  rejected: Array<{ recordId: string; reason: RefusalReason }>;
  /** The leads named, for the preflight's names and emails. */
  people: Map<string, LeadWithOwner>;
}

/**
 * The rules of enrolment, shared by the enrolment and its preflight (src/app/enroll-preflight.ts),
 * so that the two never disagree: who is refused and why, who starts now, and who waits
 * as `pending` (the cadence is a draft, or over a rep's daily throttle).
 */
export async function planEnrollment(
  ctx: AppContext,
  trx: Trx,
  actor: Actor | null,
  target: EnrollTarget,
  recordIds: string[],
): Promise<EnrollmentPlan> {
  const { id: cadenceId, definition: def, version } = target;
  const now = ctx.clock.now();
  const unique = [...new Set(recordIds)];
  const rejected: EnrollmentPlan['rejected'] = [];
  const people = await findLeadsWithOwners(trx, unique.filter(isUuid));
  const suppressed = new Map(
    (await findSuppressions(trx, [...people.values()].map((p) => p.lead.email.toLowerCase()))).map((s) => [s.email, s.reason]),
  );
  const past = await enrollmentStatusesOfRecords(trx, cadenceId, unique.filter(isUuid));
  const pastByRecord = new Map<string, string[]>();
  for (const p of past) pastByRecord.set(p.record_id, [...(pastByRecord.get(p.record_id) ?? []), p.status]);

  const org = await loadOrgSettings(trx);
  const first = def.steps[0];
  const rows: Insertable<EnrollmentTable>[] = [];
  for (const recordId of unique) {
    const who = people.get(recordId);
    const lead = who?.lead;
    const refuse = (reason: RefusalReason) => rejected.push({ recordId, reason });
    if (!lead || (actor && actor.role !== 'admin' && lead.owner_id !== actor.id)) { refuse('not_found'); continue; }
    if (target.status === 'archived') { refuse('cadence_archived'); continue; }
    if (lead.module !== def.module) { refuse('wrong_module'); continue; }
    const suppression = suppressed.get(lead.email.toLowerCase());
    if (lead.bounced || suppression === 'bounced') { refuse('bounced'); continue; }
    if (lead.unsubscribed || suppression) { refuse('unsubscribed'); continue; }
    const history = pastByRecord.get(recordId) ?? [];
    if (history.some((s) => s === 'pending' || s === 'active' || s === 'paused')) { refuse('already_enrolled'); continue; }
    if (history.length > 0 && !reenrollmentAllowed(def.reenrollment, history)) { refuse('not_allowed'); continue; }
    const base = {
      id: ctx.newId(), cadence_id: cadenceId, record_id: recordId, cadence_version: version,
      next_step_id: first.id, next_step_index: 0, enrolled_by: actor?.id ?? null, enrolled_at: now, updated_at: now,
    };
    // A draft's enrolments wait, unstarted, for its activation (the engine then starts them under the throttle).
    rows.push(target.status === 'draft'
      ? { ...base, status: 'pending', next_due_at: null, anchor_at: null, started_at: null }
      : { ...base, status: 'active', next_due_at: dueOf(first, now, def, timingFor(def, who, org)), anchor_at: now, started_at: now });
  }
  if (def.throttle && target.status !== 'draft') await applyThrottle(trx, cadenceId, def.throttle.perRepPerDay, rows, people, org, now);
  return { rows, rejected, people };
}

/** `never`: once per record; `after_exit`: again after an exit; `always`: again after any end. */
function reenrollmentAllowed(policy: CadenceDefinition['reenrollment'], history: string[]): boolean {
  switch (policy) {
    case 'never': return false;
    case 'after_exit': return history.every((s) => s === 'exited');
    case 'always': return true;
  }
}

/**
 * Over a rep's daily limit, enrolments wait as `pending` (in the order given) and the
 * engine starts them as the limit allows.
 */
async function applyThrottle(
  trx: Trx,
  cadenceId: string,
  perRepPerDay: number,
  rows: Insertable<EnrollmentTable>[],
  people: Map<string, LeadWithOwner>,
  org: OrgSettings,
  now: Date,
): Promise<void> {
  const owners = new Map<string, string>();
  for (const r of rows) {
    const who = people.get(r.record_id)!;
    if (who.lead.owner_id) owners.set(who.lead.owner_id, repZone(who.owner?.timezone, org));
  }
  const started = await startedTodayByRep(trx, cadenceId, owners, now);
  for (const r of rows) {
    const owner = people.get(r.record_id)!.lead.owner_id ?? '';
    const count = started.get(owner) ?? 0;
    if (startsAllowed(perRepPerDay, count, 1) === 1) {
      started.set(owner, count + 1);
      continue;
    }
    Object.assign(r, { status: 'pending', next_due_at: null, started_at: null, anchor_at: null });
  }
}
