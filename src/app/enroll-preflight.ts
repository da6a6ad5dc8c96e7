import {
  ENROLL_MAX, ENROLL_REFUSAL_MESSAGES, PREFLIGHT_LIST_MAX, WAITING_FOR_MESSAGES, type EnrollBody, type PreflightResult,
} from '../contract/cadences.ts';
import { findMatchingLeadIds } from '../store/lead-search.repository.ts';
import type { LeadWithOwner } from '../store/lead.repository.ts';
import type { Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { planEnrollment, loadTarget } from './enroll.ts';
import { AppError } from './errors.ts';
import { waitingFor } from './views/enrollments.ts';

/**
 * The records a request names: its `recordIds`, or the leads its `filter` matches
 * (newest first; a rep's filter covers the rep's own leads). A filter matching more than
 * ENROLL_MAX leads is refused (422) rather than cut, so the admin narrows it.
 */
export async function recordIdsOf(ctx: AppContext, actor: Actor, body: EnrollBody): Promise<string[]> {
  if (body.recordIds) return body.recordIds;
  const filter = { ...body.filter!, ...(actor.role !== 'admin' ? { ownerId: actor.id } : {}) };
  const ids = await findMatchingLeadIds(ctx.db, filter, ENROLL_MAX + 1);
  if (ids.length > ENROLL_MAX) {
    throw new AppError('unprocessable', `the filter matches more than ${ENROLL_MAX.toLocaleString('en')} leads: narrow it (or enrol in parts)`, [
      { path: 'body.filter', message: `matches more than ${ENROLL_MAX} leads` },
    ]);
  }
  return ids;
}

/** `POST /api/cadences/:id/enrollments/preflight`: the records by id or by filter. */
export async function preflightEnrollment(ctx: AppContext, actor: Actor, cadenceId: string, body: EnrollBody): Promise<PreflightResult> {
  await loadTarget(ctx.db, cadenceId); // an unknown cadence is a 404 before the filter runs
  return preflightRecords(ctx, actor, cadenceId, await recordIdsOf(ctx, actor, body));
}

/**
 * Who an enrolment of these records would enrol and start, enrol but hold back, and
 * refuse, with why: the enrolment's own rules (planEnrollment), nothing written. The
 * lists keep the order given, each cut at PREFLIGHT_LIST_MAX; the counts are whole.
 * For an archived cadence every record is refused (`cadence_archived`).
 */
export async function preflightRecords(ctx: AppContext, actor: Actor | null, cadenceId: string, recordIds: string[]): Promise<PreflightResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const target = await loadTarget(trx, cadenceId);
    const plan = await planEnrollment(ctx, trx, actor, target, recordIds);
    const lead = (recordId: string) => describe(recordId, plan.people.get(recordId));

    const result: PreflightResult = {
      cadence: { id: cadenceId, name: target.name, status: target.status },
      counts: { requested: new Set(recordIds).size, enrolled: 0, held: 0, refused: plan.rejected.length },
      refusedByReason: {},
      heldByReason: {},
      enrolled: [],
      held: [],
      refused: [],
      truncated: false,
    };
    const keep = <T>(list: T[], item: () => T) => {
      if (list.length < PREFLIGHT_LIST_MAX) list.push(item());
      else result.truncated = true;
    };
    for (const row of plan.rows) {
      const waiting = waitingFor(row.status!, target.status);
      if (!waiting) {
        result.counts.enrolled++;
        keep(result.enrolled, () => lead(row.record_id));
        continue;
      }
      result.counts.held++;
      result.heldByReason[waiting] = (result.heldByReason[waiting] ?? 0) + 1;
      keep(result.held, () => ({ ...lead(row.record_id), waitingFor: waiting, message: WAITING_FOR_MESSAGES[waiting] }));
    }
    for (const r of plan.rejected) {
      result.refusedByReason[r.reason] = (result.refusedByReason[r.reason] ?? 0) + 1;
      // A refused id that names no lead (or another rep's) shows no name or email.
      keep(result.refused, () => ({ ...(r.reason === 'not_found' ? describe(r.recordId, undefined) : lead(r.recordId)), reason: r.reason, message: ENROLL_REFUSAL_MESSAGES[r.reason] }));
    }
    return result;
  });
}

function describe(recordId: string, who: LeadWithOwner | undefined) {
  if (!who) return { recordId, name: null, email: null };
  const name = [who.lead.first_name, who.lead.last_name].filter((s) => s && s.trim()).join(' ');
  return { recordId, name: name || null, email: who.lead.email };
}
