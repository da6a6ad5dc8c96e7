import { timingFor } from './timing.ts';
import { randomBytes } from 'node:crypto';
import { planAdvance, type Plan, type PlanFacts } from '../domain/plan.ts';
import { findCadences, findVersionSteps, type StoredCadence } from '../store/cadence.repository.ts';
import type { Trx } from '../store/database.ts';
import { failEnrollments, type EnrollmentFailure } from '../store/enrollment.repository.ts';
import { loadOrgSettings, loadStepOutcomes, loadThreadParents, loadWaitFacts, type ThreadParent } from '../store/execution.repository.ts';
import { findLeadsWithOwners, type LeadWithOwner } from '../store/lead.repository.ts';
import type { EnrollmentRow } from '../store/schema.ts';
import { writeIsolated, type StepWrites } from './advance-writes.ts';
import { executedSteps } from './advance-metrics.ts';
import type { ExecutedStep } from '../ops/metrics.ts';
import type { AppContext } from './context.ts';
import { buildEmail, buildTask, ContentError } from './step-content.ts';

export interface AdvanceSummary {
  advanced: number;
  tasks: number;
  emails: number;
  skipped: number;
  completed: number;
  /** Enrolments that failed (their step could not be rendered or written), each with its reason. */
  failed: number;
  /** The ids of the emails queued already claimed for `claimFor`'s sender, to hand to it once committed. */
  claimed: string[];
  /** Each step executed, skipped or failed, for the metrics once committed. */
  steps: ExecutedStep[];
}

/** A worker's sender that takes the emails it queues due now, without claiming them again. */
export interface ClaimFor {
  workerId: string;
  until: Date;
  /** The most it takes; the rest are queued unclaimed, for any sender. */
  limit: number;
}

/**
 * Planning and rendering a batch is a long stretch of CPU: every so many enrolments it
 * lets pending IO run, so that the sender's SMTP conversations and statements, which
 * share the thread, keep moving instead of stalling for the whole batch.
 */
const YIELD_EVERY = 10;
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export const newToken = () => randomBytes(18).toString('base64url');

/**
 * Advances locked, due enrolments: one plan each from the pure domain, then every
 * write of the batch in a handful of set-based statements (DESIGN §8). The unique
 * keys on executions, tasks and emails make a second execution of a step fail loudly.
 * One enrolment whose step cannot be planned, rendered or written fails alone, with
 * its reason (`failure_reason`); the rest of the batch is written all the same, so no
 * record can hold a batch back and have it retried for ever.
 */
export async function advanceEnrollments(
  ctx: AppContext,
  trx: Trx,
  given: EnrollmentRow[],
  now: Date,
  claimFor: ClaimFor | null = null,
): Promise<AdvanceSummary> {
  const summary: AdvanceSummary = { advanced: 0, tasks: 0, emails: 0, skipped: 0, completed: 0, failed: 0, claimed: [], steps: [] };
  if (given.length === 0) return summary;

  const cadences = await findCadences(trx, given.map((r) => r.cadence_id));
  // Only active enrolments of an active cadence run: whichever caller hands one over, an
  // enrolment of a draft, paused or archived cadence (or a pending or paused one) waits as it is.
  const rows = given.filter((r) => r.status === 'active' && (cadences.get(r.cadence_id)?.row.status ?? 'active') === 'active');
  if (rows.length === 0) return summary;
  // Enrolments whose step an edit removed need the version their pointer was set in.
  const moved = rows.filter((r) => {
    const current = cadences.get(r.cadence_id);
    return current && r.cadence_version !== current.row.version && r.next_step_id !== null
      && !current.definition.steps.some((s) => s.id === r.next_step_id);
  });
  const olderSteps = await findVersionSteps(trx, moved.map((r) => ({ cadenceId: r.cadence_id, version: r.cadence_version })));
  const withConditions = rows.filter((r) => cadences.get(r.cadence_id)?.definition.steps.some((s) => s.condition));
  const [people, org, waits, outcomes] = await Promise.all([
    findLeadsWithOwners(trx, rows.map((r) => r.record_id)),
    loadOrgSettings(trx),
    loadWaitFacts(
      trx,
      rows.flatMap((r) => (r.wait_task_id ? [r.wait_task_id] : [])),
      rows.flatMap((r) => (r.wait_email_id ? [r.wait_email_id] : [])),
    ),
    loadStepOutcomes(trx, withConditions.map((r) => r.id)),
  ]);

  const failures: EnrollmentFailure[] = [];
  const planned: Array<{ row: EnrollmentRow; plan: Plan }> = [];
  for (const [i, row] of rows.entries()) {
    if (i > 0 && i % YIELD_EVERY === 0) await yieldToIo();
    const cadence = cadences.get(row.cadence_id);
    const who = people.get(row.record_id);
    if (!cadence || !who) {
      failures.push({ id: row.id, reason: `its ${cadence ? 'record' : 'cadence'} could not be found` });
      continue;
    }
    const def = cadence.definition;
    const facts: PlanFacts = {
      waitTask: row.wait_task_id ? waits.tasks.get(row.wait_task_id) ?? null : null,
      waitEmail: row.wait_email_id ? waits.emails.get(row.wait_email_id) ?? null : null,
      outcomes: outcomes.get(row.id) ?? new Map(),
    };
    const cursor = {
      nextStepId: row.next_step_id,
      nextStepIndex: row.next_step_index,
      nextDueAt: row.next_due_at,
      waitTaskId: row.wait_task_id,
      waitEmailId: row.wait_email_id,
      pointerVersionSteps: olderSteps.get(`${row.cadence_id}:${row.cadence_version}`) ?? null,
    };
    try {
      const plan = planAdvance(cursor, def, facts, timingFor(def, who, org), now);
      if (!plan.unchanged) planned.push({ row, plan });
    } catch (e) {
      failures.push(failureOf(ctx, row.id, 'its next step could not be planned', e));
    }
  }

  const threadedIds = planned
    .filter(({ plan }) => plan.action?.kind === 'email' && plan.action.step.threadWithPrevious)
    .map(({ row }) => row.id);
  const parents = await loadThreadParents(trx, threadedIds);

  // Rendering is per enrolment and may fail on its data (a template over its limits):
  // that enrolment fails with the reason, and the rest of the batch goes on.
  const writes: StepWrites[] = [];
  let claiming = claimFor?.limit ?? 0;
  for (const [i, { row, plan }] of planned.entries()) {
    if (i > 0 && i % YIELD_EVERY === 0) await yieldToIo();
    const cadence = cadences.get(row.cadence_id)!;
    const action = plan.action;
    const step = action ? `step ${cadence.definition.steps.findIndex((s) => s.id === action.step.id) + 1} (${action.step.type})` : null;
    try {
      // Due now and a sender at hand: it goes in claimed, saving the sender a claim.
      const claim = claimFor && claiming > 0 && action?.kind === 'email' && action.sendAfter <= now ? claimFor : null;
      const w = stepWrites(ctx, row, plan, step, cadence, people.get(row.record_id)!, parents, claim, now);
      if (w.email?.claimed_by) claiming--;
      writes.push(w);
    } catch (e) {
      failures.push(failureOf(ctx, row.id, step ?? 'its next step', e));
      // A render that failed may have spent its whole time limit: let IO run now.
      await yieldToIo();
    }
  }

  const before = failures.length;
  const written = await writeIsolated(trx, writes, now, failures);
  for (const f of failures.slice(before)) ctx.log.error({ enrollmentId: f.id, reason: f.reason }, 'enrolment failed: the database refused its step');
  await failEnrollments(trx, failures.map((f) => ({ id: f.id, reason: cleanReason(f.reason) })), now);
  for (const w of written) {
    summary.skipped += w.executions.filter((x) => x.outcome === 'skipped').length;
    if (w.update?.status === 'completed') summary.completed++;
    if (w.task) summary.tasks++;
    if (w.email) summary.emails++;
    if (w.email?.claimed_by) summary.claimed.push(w.email.id!);
  }
  summary.advanced = written.length;
  summary.failed = failures.length;
  summary.steps = executedSteps(rows, cadences, written, failures);
  return summary;
}

/** The rows one enrolment's step writes: its executions, the task or email rendered for its record, its new state. */
function stepWrites(
  ctx: AppContext,
  row: EnrollmentRow,
  plan: Plan,
  step: string | null,
  cadence: StoredCadence,
  who: LeadWithOwner,
  parents: Map<string, ThreadParent>,
  claim: ClaimFor | null,
  now: Date,
): StepWrites {
  const version = cadence.row.version;
  const w: StepWrites = {
    enrollmentId: row.id,
    step,
    executions: plan.executions.map((x) => ({
      enrollment_id: row.id, step_id: x.stepId, cadence_version: version, outcome: x.outcome, reason: x.reason, at: x.at,
    })),
    task: null,
    email: null,
    update: null,
    exited: plan.next.status === 'exited',
  };
  const action = plan.action;
  if (action?.kind === 'task') {
    w.task = buildTask(action.step, who, cadence.row.name, {
      id: ctx.newId(), enrollmentId: row.id, stepId: action.step.id, boostId: null, ownerId: who.lead.owner_id ?? row.enrolled_by,
    }, action.dueAt, now);
  } else if (action?.kind === 'email') {
    w.email = buildEmail(action.step, who, cadence.row.name, {
      id: ctx.newId(), token: newToken(), enrollmentId: row.id, stepId: action.step.id, boostId: null,
    }, parents.get(row.id), ctx.config.publicUrl, action.sendAfter, now);
    if (claim) {
      w.email.claimed_by = claim.workerId;
      w.email.claim_until = claim.until;
    }
  }
  const n = plan.next;
  if (n.status === 'exited') return w;
  const ended = n.status !== 'active';
  w.update = {
    id: row.id,
    status: n.status,
    cadenceVersion: version,
    exitReason: n.exitReason,
    nextStepId: ended ? null : n.nextStepId,
    nextStepIndex: ended ? null : n.nextStepIndex,
    nextDueAt: ended ? null : n.nextDueAt,
    anchorAt: n.anchorAt,
    waitTaskId: w.task && n.waitFor === 'task' ? w.task.id! : null,
    waitEmailId: w.email ? w.email.id! : null,
    endedAt: ended ? now : null,
  };
  return w;
}

/**
 * Why one enrolment failed, as the API shows it. Content that cannot be rendered is
 * the record's or the template's doing; anything else may be a bug, and is logged.
 */
function failureOf(ctx: AppContext, enrollmentId: string, what: string, e: unknown): EnrollmentFailure {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof ContentError) ctx.log.warn({ enrollmentId, reason: message }, 'enrolment failed: its step could not be rendered');
  else ctx.log.error({ err: e, enrollmentId }, 'enrolment failed: its step threw');
  return { id: enrollmentId, reason: `${what}: ${message}` };
}

/** A reason fit to store: no NUL (PostgreSQL text refuses it), and short. */
function cleanReason(reason: string): string {
  const clean = reason.replace(/\0/g, '');
  return clean.length > 1000 ? `${clean.slice(0, 999)}…` : clean;
}
