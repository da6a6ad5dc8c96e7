import { timingFor } from './timing.ts';
import { nextOpening } from '../domain/schedule.ts';
import { findCadence } from '../store/cadence.repository.ts';
import { exitEnrollments, lockEnrollments } from '../store/enrollment.repository.ts';
import { loadOrgSettings } from '../store/execution.repository.ts';
import { findLeadsWithOwners } from '../store/lead.repository.ts';
import { toEnrollment, type Enrollment } from '../store/records.ts';
import type { EnrollmentRow } from '../store/schema.ts';
import type { Trx } from '../store/database.ts';
import { assertOwns, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { invalidState, notFound } from './errors.ts';

async function loadOwned(trx: Trx, actor: Actor, id: string): Promise<EnrollmentRow> {
  const [row] = await lockEnrollments(trx, [id]);
  if (!row) throw notFound('enrollment', id);
  const lead = await trx.selectFrom('leads').select('owner_id').where('id', '=', row.record_id).executeTakeFirst();
  assertOwns(actor, lead?.owner_id ?? null, 'enrollment', id);
  return row;
}

export interface StepRecord {
  stepId: string;
  outcome: 'executed' | 'skipped';
  reason?: string;
  at: string;
  cadenceVersion: number;
}

/** An enrolment with its history: every step executed or skipped, and why. */
export async function getEnrollment(ctx: AppContext, actor: Actor, id: string): Promise<Enrollment & { history: StepRecord[] }> {
  const row = await ctx.db
    .selectFrom('enrollments as e')
    .innerJoin('leads as l', 'l.id', 'e.record_id')
    .selectAll('e')
    .select('l.owner_id')
    .where('e.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('enrollment', id);
  assertOwns(actor, row.owner_id, 'enrollment', id);
  const executions = await ctx.db
    .selectFrom('step_executions')
    .selectAll()
    .where('enrollment_id', '=', id)
    .orderBy('at')
    .execute();
  return {
    ...toEnrollment(row),
    history: executions.map((x) => ({
      stepId: x.step_id,
      outcome: x.outcome,
      ...(x.reason ? { reason: x.reason } : {}),
      at: x.at.toISOString(),
      cadenceVersion: x.cadence_version,
    })),
  };
}

export async function listEnrollments(ctx: AppContext, actor: Actor, filter: { cadenceId?: string; recordId?: string; status?: string; limit: number; offset: number }) {
  let q = ctx.db.selectFrom('enrollments as e').innerJoin('leads as l', 'l.id', 'e.record_id').selectAll('e');
  if (actor.role !== 'admin') q = q.where('l.owner_id', '=', actor.id);
  if (filter.cadenceId) q = q.where('e.cadence_id', '=', filter.cadenceId);
  if (filter.recordId) q = q.where('e.record_id', '=', filter.recordId);
  if (filter.status) q = q.where('e.status', '=', filter.status as EnrollmentRow['status']);
  const rows = await q.orderBy('e.enrolled_at', 'desc').orderBy('e.id').limit(filter.limit).offset(filter.offset).execute();
  return rows.map(toEnrollment);
}

export async function pauseEnrollment(ctx: AppContext, actor: Actor, id: string): Promise<Enrollment> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await loadOwned(trx, actor, id);
    if (row.status === 'paused') return toEnrollment(row);
    if (row.status !== 'active' && row.status !== 'pending') throw invalidState(`a ${row.status} enrollment cannot be paused`);
    const updated = await trx.updateTable('enrollments').set({ status: 'paused', updated_at: ctx.clock.now() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    return toEnrollment(updated);
  });
}

/**
 * Resumes at the later of the step's original due time and the schedule's next
 * opening: no burst of overdue steps after a pause.
 */
export async function resumeEnrollment(ctx: AppContext, actor: Actor, id: string): Promise<Enrollment> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await loadOwned(trx, actor, id);
    if (row.status === 'active') return toEnrollment(row);
    if (row.status !== 'paused') throw invalidState(`a ${row.status} enrollment cannot be resumed`);
    const now = ctx.clock.now();
    let nextDue = row.next_due_at;
    if (nextDue && nextDue < now && !row.wait_task_id && !row.wait_email_id) {
      const cadence = await findCadence(trx, row.cadence_id);
      const who = (await findLeadsWithOwners(trx, [row.record_id])).get(row.record_id);
      const org = await loadOrgSettings(trx);
      const def = cadence!.definition;
      nextDue = nextOpening(now, def.schedule, timingFor(def, who, org).zone, org.holidays);
    }
    const updated = await trx
      .updateTable('enrollments')
      .set({ status: 'active', next_due_at: nextDue, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEnrollment(updated);
  });
}

export async function exitEnrollment(ctx: AppContext, actor: Actor, id: string): Promise<Enrollment> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await loadOwned(trx, actor, id);
    if (row.status === 'completed' || row.status === 'exited' || row.status === 'failed') {
      throw invalidState(`the enrollment has already ended (${row.status})`);
    }
    await exitEnrollments(trx, [id], 'manual', ctx.clock.now());
    const [updated] = await lockEnrollments(trx, [id]);
    return toEnrollment(updated);
  });
}
