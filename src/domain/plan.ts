import type { CadenceDefinition, ConditionIs, Step } from './cadence.ts';
import { addDelay, dueAt, nextOpening, type WorkCalendar } from './schedule.ts';
import { assertNever } from './result.ts';

/** What the planner needs of an enrolment: its pointer and what it waits on. */
export interface EnrollmentCursor {
  nextStepId: string | null;
  nextStepIndex: number | null;
  nextDueAt: Date | null;
  waitTaskId: string | null;
  waitEmailId: string | null;
  /**
   * The step ids, in order, of the version the pointer was set in, when the cadence
   * was edited since: they tell where a removed step stood among the remaining ones.
   */
  pointerVersionSteps?: readonly string[] | null;
}

export interface StepOutcome {
  opened: boolean;
  clicked: boolean;
  replied: boolean;
  completed: boolean;
}

export interface PlanFacts {
  waitTask: { status: 'open' | 'completed' | 'cancelled'; completedAt: Date | null } | null;
  waitEmail: { status: string; sentAt: Date | null } | null;
  /** Outcomes of earlier steps, by step id, for step conditions (machine opens excluded). */
  outcomes: Map<string, StepOutcome>;
}

export interface PlanTiming {
  zone: string;
  calendar: WorkCalendar;
}

export type PlannedAction =
  | { kind: 'task'; step: Step; dueAt: Date }
  | { kind: 'email'; step: Step; sendAfter: Date };

export interface Plan {
  executions: Array<{ stepId: string; outcome: 'executed' | 'skipped'; reason: string | null; at: Date }>;
  action: PlannedAction | null;
  next: {
    status: 'active' | 'completed' | 'exited';
    exitReason: 'ended' | null;
    nextStepId: string | null;
    nextStepIndex: number | null;
    nextDueAt: Date | null;
    anchorAt: Date | null;
    /** The enrolment waits for the action's task or email (the caller knows its id). */
    waitFor: 'task' | 'email' | null;
  };
  /** Nothing to do yet (an email still on its way): leave the enrolment as it is. */
  unchanged: boolean;
}

const MAX_STEPS_PER_PLAN = 500;

/**
 * Decides what an enrolment that fell due does now: resolve what it waited for,
 * skip steps whose condition is false, execute at most one step, and say when the
 * next one is due. Pure: `now` and every fact come in as arguments.
 */
export function planAdvance(
  cursor: EnrollmentCursor,
  def: CadenceDefinition,
  facts: PlanFacts,
  timing: PlanTiming,
  now: Date,
): Plan {
  const plan: Plan = {
    executions: [],
    action: null,
    unchanged: false,
    next: { status: 'active', exitReason: null, nextStepId: null, nextStepIndex: null, nextDueAt: null, anchorAt: null, waitFor: null },
  };
  if (def.exitOn.endDate && now.getTime() >= Date.parse(def.exitOn.endDate)) {
    plan.next = { ...plan.next, status: 'exited', exitReason: 'ended' };
    return plan;
  }
  let index = pointerIndex(cursor, def);
  let due: Date;
  if (cursor.waitTaskId || cursor.waitEmailId) {
    const anchor = resolveWait(cursor, facts, now);
    if (anchor === null) return { ...plan, unchanged: true };
    if (index === null) return completed(plan, anchor);
    due = dueOf(def.steps[index], anchor, def, timing);
    if (due > now) return waiting(plan, def, index, due, anchor);
  } else {
    if (index === null) return completed(plan, cursor.nextDueAt ?? now);
    due = cursor.nextDueAt ?? now;
  }

  for (let guard = 0; guard < MAX_STEPS_PER_PLAN; guard++) {
    const step = def.steps[index];
    const condition = step.condition;
    if (condition && !conditionHolds(condition.is, facts.outcomes.get(condition.stepId))) {
      const ref = def.steps.findIndex((s) => s.id === condition.stepId);
      plan.executions.push({
        stepId: step.id,
        outcome: 'skipped',
        reason: `condition not met: step ${ref} was not "${condition.is}"`,
        at: due,
      });
      index++;
      if (index >= def.steps.length) return completed(plan, due);
      const anchor = due;
      due = dueOf(def.steps[index], anchor, def, timing);
      if (due > now) return waiting(plan, def, index, due, anchor);
      continue;
    }
    // Run late (engine down, cadence or enrolment paused) outside the schedule: wait for
    // the next opening rather than act at 3 a.m.; later steps move with it.
    const opening = nextOpening(now, def.schedule, timing.zone, timing.calendar.holidays);
    if (opening > now) return waiting(plan, def, index, opening, plan.next.anchorAt ?? due);
    plan.executions.push({ stepId: step.id, outcome: 'executed', reason: null, at: now });
    const nextIndex = index + 1 < def.steps.length ? index + 1 : null;
    const pointer = {
      nextStepId: nextIndex === null ? null : def.steps[nextIndex].id,
      nextStepIndex: nextIndex,
    };
    if (step.type === 'email' && step.mode === 'auto') {
      plan.action = { kind: 'email', step, sendAfter: now };
      // The next delay runs from the moment the email is sent; the sender wakes us.
      plan.next = { ...plan.next, ...pointer, nextDueAt: null, anchorAt: null, waitFor: 'email' };
      return plan;
    }
    plan.action = { kind: 'task', step, dueAt: due };
    if (def.waitForTasks) {
      // Calendar days in the lead's zone: the timeout keeps its wall time across DST.
      const timeout = addDelay(now, { amount: def.taskTimeoutDays, unit: 'days' }, timing.zone, timing.calendar);
      plan.next = { ...plan.next, ...pointer, nextDueAt: timeout, anchorAt: null, waitFor: 'task' };
      return plan;
    }
    if (nextIndex === null) return completed(plan, now);
    return waiting(plan, def, nextIndex, dueOf(def.steps[nextIndex], now, def, timing), now);
  }
  throw new Error('planAdvance: too many steps skipped in one plan');
}

/** The due instant of `step` when the step before it was done at `anchor`. */
export function dueOf(step: Step, anchor: Date, def: CadenceDefinition, timing: PlanTiming): Date {
  return dueAt(anchor, step.delay, def.schedule, timing.zone, timing.calendar);
}

export function conditionHolds(is: ConditionIs, outcome: StepOutcome | undefined): boolean {
  const o = outcome ?? { opened: false, clicked: false, replied: false, completed: false };
  switch (is) {
    case 'opened': return o.opened;
    case 'not_opened': return !o.opened;
    case 'clicked': return o.clicked;
    case 'not_clicked': return !o.clicked;
    case 'replied': return o.replied;
    case 'not_replied': return !o.replied;
    case 'completed': return o.completed;
    case 'not_completed': return !o.completed;
    default: return assertNever(is);
  }
}

/**
 * Where the enrolment stands in the (possibly newer) definition: its step by id. When
 * an edit removed that step, the step after the last one before it that remains (the
 * enrolment has passed that one), so neither a passed step nor a remaining later one
 * is run twice or skipped. Without the older version, the step now at its old position.
 */
function pointerIndex(cursor: EnrollmentCursor, def: CadenceDefinition): number | null {
  if (cursor.nextStepId === null && cursor.nextStepIndex === null) return null;
  const indexOf = (id: string | null) => def.steps.findIndex((s) => s.id === id);
  const byId = indexOf(cursor.nextStepId);
  if (byId >= 0) return byId;
  const before = cursor.pointerVersionSteps;
  const at = before ? before.indexOf(cursor.nextStepId ?? '') : -1;
  if (before && at >= 0) {
    let next = 0;
    for (let i = at - 1; i >= 0; i--) {
      const kept = indexOf(before[i]);
      if (kept >= 0) {
        next = kept + 1;
        break;
      }
    }
    return next < def.steps.length ? next : null;
  }
  const byIndex = cursor.nextStepIndex ?? def.steps.length;
  return byIndex < def.steps.length ? byIndex : null;
}

/** When the step the enrolment waited on counts as done; null while it is not. */
function resolveWait(cursor: EnrollmentCursor, facts: PlanFacts, now: Date): Date | null {
  if (cursor.waitTaskId) {
    const task = facts.waitTask;
    if (task?.status === 'completed' && task.completedAt) return task.completedAt;
    // Open past the timeout (that is why we are due) or cancelled: not completed, go on.
    return cursor.nextDueAt && cursor.nextDueAt <= now ? cursor.nextDueAt : now;
  }
  const email = facts.waitEmail;
  if (!email || email.status === 'queued' || email.status === 'sending') return null;
  return email.status === 'sent' && email.sentAt ? email.sentAt : now;
}

function completed(plan: Plan, at: Date): Plan {
  plan.next = { ...plan.next, status: 'completed', anchorAt: at };
  return plan;
}

function waiting(plan: Plan, def: CadenceDefinition, index: number, due: Date, anchor: Date): Plan {
  plan.next = {
    ...plan.next,
    nextStepId: def.steps[index].id,
    nextStepIndex: index,
    nextDueAt: due,
    anchorAt: anchor,
    waitFor: null,
  };
  return plan;
}
