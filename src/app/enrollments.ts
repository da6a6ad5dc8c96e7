import { timingFor } from './timing.ts';
import { nextOpening } from '../domain/schedule.ts';
import { findCadence } from '../store/cadence.repository.ts';
import {
  exitEnrollments, findEnrollments, findEnrollmentWithOwner, lockEnrollments, markEnrollmentActive, markEnrollmentPaused,
} from '../store/enrollment.repository.ts';
import { findExecutionsOfEnrollment, loadOrgSettings } from '../store/execution.repository.ts';
import { findLeadOwnerId, findLeadsWithOwners } from '../store/lead.repository.ts';
import type { Enrollment } from '../contract/enrollments.ts';
import { toEnrollment } from './views/enrollments.ts';
import type { EnrollmentRow, EnrollmentStatus } from '../store/schema.ts';
import type { Trx } from '../store/database.ts';
import { assertOwns, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { invalidState, notFound } from './errors.ts';

async function loadOwned(trx: Trx, actor: Actor, id: string): Promise<EnrollmentRow> {
  const [row] = await lockEnrollments(trx, [id]);
  if (!row) throw notFound('enrollment', id);
  assertOwns(actor, await findLeadOwnerId(trx, row.record_id), 'enrollment', id);
  return row;
}

/** One enrolment's view, with why it waits when its cadence holds it. */
async function view(trx: Trx, row: EnrollmentRow): Promise<Enrollment> {
  return toEnrollment(row, (await findCadence(trx, row.cadence_id))?.row.status);
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
  const row = await findEnrollmentWithOwner(ctx.db, id);
  if (!row) throw notFound('enrollment', id);
  assertOwns(actor, row.owner_id, 'enrollment', id);
  const executions = await findExecutionsOfEnrollment(ctx.db, id);
  return {
    ...toEnrollment(row, row.cadence_status),
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
  const query = { ...filter, status: filter.status as EnrollmentStatus | undefined };
  const rows = await findEnrollments(ctx.db, query, actor.role !== 'admin' ? actor.id : null);
  return rows.map((r) => toEnrollment(r, r.cadence_status));
}

export async function pauseEnrollment(ctx: AppContext, actor: Actor, id: string): Promise<Enrollment> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await loadOwned(trx, actor, id);
    if (row.status === 'paused') return view(trx, row);
    if (row.status !== 'active' && row.status !== 'pending') throw invalidState(`an enrollment that is ${row.status} cannot be paused`);
    return view(trx, await markEnrollmentPaused(trx, id, ctx.clock.now()));
  });
}

/**
 * Resumes at the later of the step's original due time and the schedule's next
 * opening: no burst of overdue steps after a pause.
 */
export async function resumeEnrollment(ctx: AppContext, actor: Actor, id: string): Promise<Enrollment> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await loadOwned(trx, actor, id);
    if (row.status === 'active') return view(trx, row);
    if (row.status !== 'paused') throw invalidState(`an enrollment that is ${row.status} cannot be resumed`);
    const now = ctx.clock.now();
    let nextDue = row.next_due_at;
    if (nextDue && nextDue < now && !row.wait_task_id && !row.wait_email_id) {
      const cadence = await findCadence(trx, row.cadence_id);
      const who = (await findLeadsWithOwners(trx, [row.record_id])).get(row.record_id);
      const org = await loadOrgSettings(trx);
      const def = cadence!.definition;
      nextDue = nextOpening(now, def.schedule, timingFor(def, who, org).zone, org.holidays);
    }
    return view(trx, await markEnrollmentActive(trx, id, nextDue, now));
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
    return view(trx, updated);
  });
}
