import { timingFor } from './timing.ts';
import { dueAt } from '../domain/schedule.ts';
import { boostsFiredBy } from '../domain/rules.ts';
import { findCadences } from '../store/cadence.repository.ts';
import type { Trx } from '../store/database.ts';
import { humanSignalCounts, insertBoostFirings, insertEmails, insertTasks, loadOrgSettings, loadThreadParents } from '../store/execution.repository.ts';
import { findLeadsWithOwners } from '../store/lead.repository.ts';
import type { EnrollmentRow } from '../store/schema.ts';
import { newToken } from './advance.ts';
import type { AppContext } from './context.ts';
import { buildEmail, buildTask, ContentError, unrenderedEmail } from './step-content.ts';

/**
 * Fires the boosts an intent signal earns: at most once per enrolment (the primary
 * key of boost_firings), only while the enrolment is active, inside the schedule,
 * and without moving the main steps.
 */
export async function fireBoosts(
  ctx: AppContext,
  trx: Trx,
  enrollment: EnrollmentRow,
  signal: 'opened' | 'clicked',
  stepId: string | null,
  now: Date,
): Promise<string[]> {
  if (enrollment.status !== 'active') return [];
  const cadence = (await findCadences(trx, [enrollment.cadence_id])).get(enrollment.cadence_id);
  // Only an active cadence runs: a draft's, a paused or an archived cadence's enrolments fire nothing.
  if (!cadence || cadence.row.status !== 'active' || cadence.definition.boosts.length === 0) return [];
  const rows = await humanSignalCounts(trx, enrollment.id, signal);
  const total = rows.reduce((sum, r) => sum + r.n, 0);
  const candidates = boostsFiredBy(cadence.definition, signal, stepId, (boostStep) =>
    boostStep === null ? total : rows.find((r) => r.step_id === boostStep)?.n ?? 0);
  if (candidates.length === 0) return [];

  const fired = await insertBoostFirings(trx, enrollment.id, candidates.map((b) => b.id), now);
  if (fired.length === 0) return [];

  const who = (await findLeadsWithOwners(trx, [enrollment.record_id])).get(enrollment.record_id)!;
  const org = await loadOrgSettings(trx);
  const def = cadence.definition;
  const { zone, calendar } = timingFor(def, who, org);
  const parent = (await loadThreadParents(trx, [enrollment.id])).get(enrollment.id);
  for (const boostId of fired) {
    const boost = def.boosts.find((b) => b.id === boostId)!;
    const at = dueAt(now, { amount: boost.action.delayHours, unit: 'hours' }, def.schedule, zone, calendar);
    const ids = { id: ctx.newId(), enrollmentId: enrollment.id, stepId: null, boostId: boost.id };
    // Content that cannot be rendered for this lead fails the boost alone, never the signal.
    if (boost.action.type === 'email' && boost.action.mode === 'auto') {
      const emailIds = { ...ids, token: newToken() };
      let email;
      try {
        email = buildEmail(boost.action, who, cadence.row.name, emailIds, parent, ctx.config.publicUrl, at, now);
      } catch (e) {
        if (!(e instanceof ContentError)) throw e;
        email = unrenderedEmail(who, emailIds, e, at, now);
      }
      await insertEmails(trx, [email]);
    } else {
      let task;
      try {
        task = buildTask(boost.action, who, cadence.row.name, { ...ids, ownerId: who.lead.owner_id ?? enrollment.enrolled_by }, at, now);
      } catch (e) {
        if (!(e instanceof ContentError)) throw e;
        ctx.log.warn({ enrollmentId: enrollment.id, boostId: boost.id, reason: e.message }, 'boost task not created: its content could not be rendered');
        continue;
      }
      await insertTasks(trx, [task]);
    }
  }
  return fired;
}
