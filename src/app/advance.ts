import { timingFor } from './timing.ts';
import { randomBytes } from 'node:crypto';
import type { Insertable } from 'kysely';
import { planAdvance, type Plan, type PlanFacts } from '../domain/plan.ts';
import { findCadences, findVersionSteps } from '../store/cadence.repository.ts';
import type { Trx } from '../store/database.ts';
import { exitEnrollments, updateEnrollments, type EnrollmentUpdate } from '../store/enrollment.repository.ts';
import {
  insertEmails,
  insertExecutions,
  insertTasks,
  loadOrgSettings,
  loadStepOutcomes,
  loadThreadParents,
  loadWaitFacts,
} from '../store/execution.repository.ts';
import { findLeadsWithOwners } from '../store/lead.repository.ts';
import type { EmailTable, EnrollmentRow, StepExecutionTable, TaskTable } from '../store/schema.ts';
import type { AppContext } from './context.ts';
import { buildEmail, buildTask } from './step-content.ts';

export interface AdvanceSummary {
  advanced: number;
  tasks: number;
  emails: number;
  skipped: number;
  completed: number;
  /** The ids of the emails queued already claimed for `claimFor`'s sender, to hand to it once committed. */
  claimed: string[];
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
 */
export async function advanceEnrollments(
  ctx: AppContext,
  trx: Trx,
  rows: EnrollmentRow[],
  now: Date,
  claimFor: ClaimFor | null = null,
): Promise<AdvanceSummary> {
  const summary: AdvanceSummary = { advanced: 0, tasks: 0, emails: 0, skipped: 0, completed: 0, claimed: [] };
  if (rows.length === 0) return summary;

  const cadences = await findCadences(trx, rows.map((r) => r.cadence_id));
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

  const planned: Array<{ row: EnrollmentRow; plan: Plan }> = [];
  for (const [i, row] of rows.entries()) {
    if (i > 0 && i % YIELD_EVERY === 0) await yieldToIo();
    const cadence = cadences.get(row.cadence_id);
    const who = people.get(row.record_id);
    if (!cadence || !who) continue;
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
    const plan = planAdvance(cursor, def, facts, timingFor(def, who, org), now);
    if (!plan.unchanged) planned.push({ row, plan });
  }

  const threadedIds = planned
    .filter(({ plan }) => plan.action?.kind === 'email' && plan.action.step.threadWithPrevious)
    .map(({ row }) => row.id);
  const parents = await loadThreadParents(trx, threadedIds);

  const executions: Insertable<StepExecutionTable>[] = [];
  const tasks: Insertable<TaskTable>[] = [];
  const emails: Insertable<EmailTable>[] = [];
  const updates: EnrollmentUpdate[] = [];
  for (const [i, { row, plan }] of planned.entries()) {
    if (i > 0 && i % YIELD_EVERY === 0) await yieldToIo();
    const cadence = cadences.get(row.cadence_id)!;
    const who = people.get(row.record_id)!;
    for (const x of plan.executions) {
      executions.push({ enrollment_id: row.id, step_id: x.stepId, cadence_version: cadence.row.version, outcome: x.outcome, reason: x.reason, at: x.at });
      if (x.outcome === 'skipped') summary.skipped++;
    }
    let waitTaskId: string | null = null;
    let waitEmailId: string | null = null;
    const action = plan.action;
    if (action?.kind === 'task') {
      const id = ctx.newId();
      tasks.push(buildTask(action.step, who, cadence.row.name, {
        id, enrollmentId: row.id, stepId: action.step.id, boostId: null, ownerId: who.lead.owner_id ?? row.enrolled_by,
      }, action.dueAt, now));
      waitTaskId = plan.next.waitFor === 'task' ? id : null;
    } else if (action?.kind === 'email') {
      const id = ctx.newId();
      const email = buildEmail(action.step, who, cadence.row.name, {
        id, token: newToken(), enrollmentId: row.id, stepId: action.step.id, boostId: null,
      }, parents.get(row.id), ctx.config.publicUrl, action.sendAfter, now);
      // Due now and a sender at hand: it goes in claimed, saving the sender a claim.
      if (claimFor && summary.claimed.length < claimFor.limit && action.sendAfter <= now) {
        email.claimed_by = claimFor.workerId;
        email.claim_until = claimFor.until;
        summary.claimed.push(id);
      }
      emails.push(email);
      waitEmailId = id;
    }
    const n = plan.next;
    if (n.status === 'exited') continue;
    const ended = n.status !== 'active';
    updates.push({
      id: row.id,
      status: n.status,
      cadenceVersion: cadence.row.version,
      exitReason: n.exitReason,
      nextStepId: ended ? null : n.nextStepId,
      nextStepIndex: ended ? null : n.nextStepIndex,
      nextDueAt: ended ? null : n.nextDueAt,
      anchorAt: n.anchorAt,
      waitTaskId,
      waitEmailId,
      endedAt: ended ? now : null,
    });
    if (n.status === 'completed') summary.completed++;
  }

  await insertExecutions(trx, executions);
  await insertTasks(trx, tasks);
  await insertEmails(trx, emails);
  await updateEnrollments(trx, updates, now);
  // An end-date exit cancels what the enrolment left open, like every other exit.
  await exitEnrollments(trx, planned.filter(({ plan }) => plan.next.status === 'exited').map(({ row }) => row.id), 'ended', now);
  summary.advanced = planned.length;
  summary.tasks = tasks.length;
  summary.emails = emails.length;
  return summary;
}
