import { criteriaExitMet, exitReasonFor, type ExitReason, type SignalType } from '../domain/rules.ts';
import { toLead } from './views/leads.ts';
import type { CadenceDefinition } from '../domain/cadence.ts';
import { findCadences, liveEnrollmentIdsOfCadences, runningCadencesPastEndDate } from '../store/cadence.repository.ts';
import type { Trx } from '../store/database.ts';
import { exitEnrollments, liveEnrollmentsOfRecords } from '../store/enrollment.repository.ts';
import type { EnrollmentRow, LeadRow } from '../store/schema.ts';

export interface ExitedEnrollment {
  id: string;
  reason: ExitReason;
}

/**
 * Ends every live enrolment of these records that `signal` exits under its cadence's
 * rules (bounce and unsubscribe always do). Returns what was ended.
 */
export async function exitOnSignal(
  trx: Trx,
  recordIds: string[],
  signal: SignalType,
  now: Date,
): Promise<ExitedEnrollment[]> {
  const live = await liveEnrollmentsOfRecords(trx, recordIds);
  return exitWhere(trx, live, now, (def) => exitReasonFor(signal, def.exitOn));
}

/** Field-criteria exits after a record changed. */
export async function exitOnCriteria(trx: Trx, lead: LeadRow, now: Date): Promise<ExitedEnrollment[]> {
  return exitOnCriteriaOf(trx, [lead], now);
}

/** Field-criteria exits after records changed (an import's updates): one read of their live enrolments. */
export async function exitOnCriteriaOf(trx: Trx, leads: LeadRow[], now: Date): Promise<ExitedEnrollment[]> {
  if (leads.length === 0) return [];
  const live = await liveEnrollmentsOfRecords(trx, leads.map((l) => l.id));
  const views = new Map(leads.map((l) => [l.id, toLead(l)]));
  return exitWhere(trx, live, now, (def, e) => (criteriaExitMet(views.get(e.record_id)!, def.exitOn) ? 'criteria_met' : null));
}

async function exitWhere(
  trx: Trx,
  live: EnrollmentRow[],
  now: Date,
  reasonFor: (def: CadenceDefinition, enrollment: EnrollmentRow) => ExitReason | null,
): Promise<ExitedEnrollment[]> {
  if (live.length === 0) return [];
  const cadences = await findCadences(trx, live.map((e) => e.cadence_id));
  const byReason = new Map<ExitReason, string[]>();
  for (const e of live) {
    const def = cadences.get(e.cadence_id)?.definition;
    const reason = def ? reasonFor(def, e) : null;
    if (!reason) continue;
    byReason.set(reason, [...(byReason.get(reason) ?? []), e.id]);
  }
  const exited: ExitedEnrollment[] = [];
  for (const [reason, ids] of byReason) {
    for (const id of await exitEnrollments(trx, ids, reason, now)) exited.push({ id, reason });
  }
  return exited;
}


/**
 * Cadences whose end date has passed end every live enrolment they still hold, even
 * ones waiting on a rep's task (which the planner would only see at its timeout).
 */
export async function exitPastEndDates(trx: Trx, now: Date): Promise<number> {
  const ended = await runningCadencesPastEndDate(trx, now);
  if (ended.length === 0) return 0;
  const live = await liveEnrollmentIdsOfCadences(trx, ended, 5000);
  return (await exitEnrollments(trx, live, 'ended', now)).length;
}
