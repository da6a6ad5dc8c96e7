import { describe, it, expect } from 'vitest';
import type { z } from 'zod';
import { DateTime } from 'luxon';
import { cadenceInput as cadenceInputSchema } from '../contract/cadences.ts';
import { type CadenceDefinition, type ConditionIs } from './cadence.ts';
import { buildDefinition, definitionToView } from './cadence-definition.ts';
import {
  conditionHolds,
  dueOf,
  planAdvance,
  type EnrollmentCursor,
  type PlanFacts,
  type PlanTiming,
  type StepOutcome,
} from './plan.ts';
import { DEFAULT_CALENDAR, type WorkCalendar } from './schedule.ts';

// ---- helpers ----

const DAY = 86_400_000;

function counter(prefix = 'id') {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

type Input = Omit<z.input<typeof cadenceInputSchema>, 'name'>;

/** Builds a definition through the real path: zod parse, then buildDefinition with deterministic ids. */
function define(input: Input, newId = counter('s')): CadenceDefinition {
  const built = buildDefinition(cadenceInputSchema.parse({ name: 'Test cadence', ...input }), newId);
  if (!built.ok) throw new Error(built.error.message);
  return built.value;
}

const email = (extra: Record<string, unknown> = {}) =>
  ({ type: 'email', subject: 'Hello {{lead.firstName}}', body: 'Hi there', ...extra }) as const;
const call = (extra: Record<string, unknown> = {}) => ({ type: 'call', instructions: 'Call them', ...extra }) as const;
const task = (extra: Record<string, unknown> = {}) => ({ type: 'task', title: 'Research', ...extra }) as const;

/** A local wall time in a zone, e.g. at('Asia/Kolkata', '2026-03-06T18:00'). */
function at(zone: string, local: string): Date {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new Error(`bad local time ${local} in ${zone}`);
  return dt.toJSDate();
}
const utc = (iso: string) => new Date(iso);
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
/** How a due instant reads on the lead's clock: "Mon 2026-03-09 09:00". */
const wall = (d: Date | null | undefined, zone: string) =>
  d ? DateTime.fromJSDate(d, { zone }).setLocale('en-US').toFormat('ccc yyyy-MM-dd HH:mm') : null;

function timing(zone: string, calendar: WorkCalendar = DEFAULT_CALENDAR): PlanTiming {
  return { zone, calendar };
}

function cursor(def: CadenceDefinition, index: number | null, nextDueAt: Date | null, wait: { task?: string; email?: string } = {}): EnrollmentCursor {
  return {
    nextStepId: index === null ? null : def.steps[index].id,
    nextStepIndex: index,
    nextDueAt,
    waitTaskId: wait.task ?? null,
    waitEmailId: wait.email ?? null,
  };
}

function facts(f: Partial<PlanFacts> = {}): PlanFacts {
  return { waitTask: null, waitEmail: null, outcomes: new Map(), ...f };
}

const outcome = (o: Partial<StepOutcome> = {}): StepOutcome => ({
  opened: false, clicked: false, replied: false, completed: false, ...o,
});

const UTC = timing('UTC');

// ---- tests ----

describe('planAdvance: executing a due step', () => {
  it('queues an auto email, points at the next step and waits for the send (no due instant yet)', () => {
    const def = define({ steps: [email(), call({ delayDays: 2 })] });
    const now = utc('2026-03-02T10:00:00Z'); // Monday
    const plan = planAdvance(cursor(def, 0, now), def, facts(), UTC, now);

    expect(plan.unchanged).toBe(false);
    expect(plan.executions).toEqual([{ stepId: def.steps[0].id, outcome: 'executed', reason: null, at: now }]);
    expect(plan.action).toEqual({ kind: 'email', step: def.steps[0], sendAfter: now });
    expect(plan.next).toEqual({
      status: 'active', exitReason: null,
      nextStepId: def.steps[1].id, nextStepIndex: 1,
      nextDueAt: null, anchorAt: null, waitFor: 'email',
    });
  });

  it.each([
    ['call', call()],
    ['task', task()],
    ['manual email', email({ mode: 'manual' })],
  ])('creates a task for a %s step, due at the step\'s due instant', (_name, step) => {
    const def = define({ steps: [step, task({ delayDays: 1 })] });
    const due = utc('2026-03-02T10:00:00Z');
    const now = utc('2026-03-02T10:00:30Z');
    const plan = planAdvance(cursor(def, 0, due), def, facts(), UTC, now);

    expect(plan.action).toEqual({ kind: 'task', step: def.steps[0], dueAt: due });
    expect(plan.executions).toEqual([{ stepId: def.steps[0].id, outcome: 'executed', reason: null, at: now }]);
  });

  it('executes at most one step per plan even when later steps have no delay', () => {
    const def = define({ steps: [call(), call(), call()], waitForTasks: false });
    const now = utc('2026-03-02T10:00:00Z');
    const plan = planAdvance(cursor(def, 0, now), def, facts(), UTC, now);

    expect(plan.executions.filter((x) => x.outcome === 'executed')).toHaveLength(1);
    expect(plan.next.nextStepId).toBe(def.steps[1].id);
    expect(plan.next.nextDueAt).toEqual(now);
  });

  it('completes an enrolment whose pointer is past the end', () => {
    const def = define({ steps: [call()] });
    const now = utc('2026-03-02T10:00:00Z');
    const plan = planAdvance(cursor(def, null, now), def, facts(), UTC, now);
    expect(plan.next.status).toBe('completed');
    expect(plan.action).toBeNull();
    expect(plan.executions).toEqual([]);
  });
});

describe('planAdvance: waitForTasks', () => {
  it('true (the default): the enrolment waits for the task, with the taskTimeoutDays timeout as its due instant', () => {
    const def = define({ steps: [call(), email({ delayDays: 1 })] });
    expect(def.waitForTasks).toBe(true);
    const now = utc('2026-03-02T10:00:00Z');
    const plan = planAdvance(cursor(def, 0, now), def, facts(), UTC, now);

    expect(plan.action?.kind).toBe('task');
    expect(plan.next.waitFor).toBe('task');
    expect(plan.next.nextStepId).toBe(def.steps[1].id);
    expect(plan.next.nextStepIndex).toBe(1);
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-16T10:00:00.000Z'); // 14 days later
    expect(plan.next.status).toBe('active');
  });

  it('honours a custom taskTimeoutDays', () => {
    const def = define({ steps: [call(), call()], taskTimeoutDays: 3 });
    const now = utc('2026-03-02T10:00:00Z');
    const plan = planAdvance(cursor(def, 0, now), def, facts(), UTC, now);
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-05T10:00:00.000Z');
  });

  it('false: the next delay runs from the task\'s creation, without waiting for the rep', () => {
    const def = define({ steps: [call(), email({ delayDays: 1 })], waitForTasks: false });
    const now = utc('2026-03-02T10:00:00Z'); // Monday
    const plan = planAdvance(cursor(def, 0, now), def, facts(), UTC, now);

    expect(plan.action?.kind).toBe('task');
    expect(plan.next.waitFor).toBeNull();
    expect(plan.next.nextStepId).toBe(def.steps[1].id);
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-03T10:00:00.000Z');
    expect(plan.next.anchorAt).toEqual(now);
  });

  it('false: a task as the last step completes the enrolment at once', () => {
    const def = define({ steps: [email(), task()], waitForTasks: false });
    const now = utc('2026-03-02T10:00:00Z');
    const plan = planAdvance(cursor(def, 1, now), def, facts(), UTC, now);
    expect(plan.action?.kind).toBe('task');
    expect(plan.next.status).toBe('completed');
    expect(plan.next.anchorAt).toEqual(now);
  });

  it('true: a task as the last step waits for it; completing it completes the enrolment', () => {
    const def = define({ steps: [email(), task()] });
    const now = utc('2026-03-02T10:00:00Z');
    const first = planAdvance(cursor(def, 1, now), def, facts(), UTC, now);
    expect(first.next).toMatchObject({ status: 'active', waitFor: 'task', nextStepId: null, nextStepIndex: null });

    const doneAt = utc('2026-03-03T15:00:00Z');
    const second = planAdvance(
      { nextStepId: null, nextStepIndex: null, nextDueAt: first.next.nextDueAt, waitTaskId: 't1', waitEmailId: null },
      def, facts({ waitTask: { status: 'completed', completedAt: doneAt } }), UTC, doneAt,
    );
    expect(second.next.status).toBe('completed');
    expect(second.next.anchorAt).toEqual(doneAt);
    expect(second.executions).toEqual([]);
  });
});

describe('planAdvance: a step\'s delay runs from the moment the previous step was done', () => {
  const def = define({ steps: [call(), task({ delayDays: 1 })] });
  const created = utc('2026-03-02T09:00:00Z'); // Monday 09:00 UTC
  const waiting = (nextDueAt: Date): EnrollmentCursor => ({
    nextStepId: def.steps[1].id, nextStepIndex: 1, nextDueAt, waitTaskId: 't1', waitEmailId: null,
  });
  const timeout = new Date(created.getTime() + 14 * DAY);

  it('a task completed Monday 10:00 makes the next step (1 day) due Tuesday 10:00', () => {
    const doneAt = utc('2026-03-02T10:00:00Z');
    const plan = planAdvance(waiting(timeout), def, facts({ waitTask: { status: 'completed', completedAt: doneAt } }), UTC, doneAt);
    expect(plan.action).toBeNull();
    expect(plan.executions).toEqual([]);
    expect(plan.next).toMatchObject({ status: 'active', nextStepId: def.steps[1].id, nextStepIndex: 1, waitFor: null });
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-03T10:00:00.000Z');
    expect(plan.next.anchorAt).toEqual(doneAt);
  });

  it('completing late moves the next step later: Wednesday 15:00 → Thursday 15:00', () => {
    const doneAt = utc('2026-03-04T15:00:00Z');
    const plan = planAdvance(waiting(timeout), def, facts({ waitTask: { status: 'completed', completedAt: doneAt } }), UTC, doneAt);
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-05T15:00:00.000Z');
  });

  it('completing on Friday afternoon pushes a 1-day step over the weekend to Monday 09:00', () => {
    const doneAt = utc('2026-03-06T16:00:00Z'); // Friday
    const plan = planAdvance(waiting(timeout), def, facts({ waitTask: { status: 'completed', completedAt: doneAt } }), UTC, doneAt);
    expect(wall(plan.next.nextDueAt, 'UTC')).toBe('Mon 2026-03-09 09:00');
  });

  it('uses the completion instant, not the moment the plan runs, as the anchor', () => {
    const doneAt = utc('2026-03-02T10:00:00Z');
    const planned = utc('2026-03-02T10:05:00Z');
    const plan = planAdvance(waiting(timeout), def, facts({ waitTask: { status: 'completed', completedAt: doneAt } }), UTC, planned);
    expect(plan.next.anchorAt).toEqual(doneAt);
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-03T10:00:00.000Z');
  });

  it('a next step with no delay runs right away when the task is completed inside the schedule', () => {
    const d = define({ steps: [call(), email()] });
    const doneAt = utc('2026-03-02T11:00:00Z');
    const plan = planAdvance(
      { nextStepId: d.steps[1].id, nextStepIndex: 1, nextDueAt: timeout, waitTaskId: 't1', waitEmailId: null },
      d, facts({ waitTask: { status: 'completed', completedAt: doneAt } }), UTC, doneAt,
    );
    expect(plan.action).toEqual({ kind: 'email', step: d.steps[1], sendAfter: doneAt });
    expect(plan.executions).toEqual([{ stepId: d.steps[1].id, outcome: 'executed', reason: null, at: doneAt }]);
    expect(plan.next).toMatchObject({ nextStepId: null, nextStepIndex: null, waitFor: 'email' });
  });

  it('an auto email\'s send instant anchors the next step', () => {
    const d = define({ steps: [email(), call({ delay: { amount: 3, unit: 'hours' } })] });
    const sentAt = utc('2026-03-02T10:17:00Z');
    const plan = planAdvance(
      { nextStepId: d.steps[1].id, nextStepIndex: 1, nextDueAt: null, waitTaskId: null, waitEmailId: 'e1' },
      d, facts({ waitEmail: { status: 'sent', sentAt } }), UTC, utc('2026-03-02T10:18:00Z'),
    );
    expect(plan.next.anchorAt).toEqual(sentAt);
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-02T13:17:00.000Z');
    expect(plan.next.waitFor).toBeNull();
  });
});

describe('planAdvance: a task left open past taskTimeoutDays', () => {
  const def = define({ steps: [call(), email({ delayDays: 2 })], taskTimeoutDays: 14 });
  const created = utc('2026-03-02T10:00:00Z'); // Monday
  const first = planAdvance(cursor(def, 0, created), def, facts(), UTC, created);
  const timeout = first.next.nextDueAt!;

  it('times out 14 days after the task was created', () => {
    expect(iso(timeout)).toBe('2026-03-16T10:00:00.000Z');
  });

  it('counts as not completed and lets the sequence go on from the timeout', () => {
    const now = new Date(timeout.getTime() + 5 * 60_000); // the worker picks it up a little late
    const plan = planAdvance(
      { nextStepId: first.next.nextStepId, nextStepIndex: first.next.nextStepIndex, nextDueAt: timeout, waitTaskId: 't1', waitEmailId: null },
      def, facts({ waitTask: { status: 'open', completedAt: null } }), UTC, now,
    );
    expect(plan.unchanged).toBe(false);
    expect(plan.next.anchorAt).toEqual(timeout);
    expect(plan.next.waitFor).toBeNull();
    expect(plan.next.nextStepId).toBe(def.steps[1].id);
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-18T10:00:00.000Z'); // 2 days after the timeout
  });

  it('with no delay on the next step, that step runs at once', () => {
    const d = define({ steps: [call(), call()], taskTimeoutDays: 14 });
    const plan = planAdvance(
      { nextStepId: d.steps[1].id, nextStepIndex: 1, nextDueAt: timeout, waitTaskId: 't1', waitEmailId: null },
      d, facts({ waitTask: { status: 'open', completedAt: null } }), UTC, timeout,
    );
    expect(plan.action).toEqual({ kind: 'task', step: d.steps[1], dueAt: timeout });
  });

  it('a cancelled task also lets the sequence go on', () => {
    const now = utc('2026-03-05T10:00:00Z');
    const plan = planAdvance(
      { nextStepId: def.steps[1].id, nextStepIndex: 1, nextDueAt: now, waitTaskId: 't1', waitEmailId: null },
      def, facts({ waitTask: { status: 'cancelled', completedAt: null } }), UTC, now,
    );
    expect(plan.unchanged).toBe(false);
    expect(plan.next.anchorAt).toEqual(now);
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-09T09:00:00.000Z'); // Thu 10:00 + 2 days = Sat → Monday 09:00
  });

  it('a task timeout is counted in calendar days in the lead\'s zone (09:00 EST Friday → 09:00 EDT two weeks later)', () => {
    // SPEC §2 Timing: "calendar arithmetic happens in the lead's zone and is correct across
    // daylight-saving changes". A task created at 09:00 on Fri 2026-03-06 in New York should
    // time out at 09:00 local on Fri 2026-03-20, after the change of 2026-03-08.
    const zone = 'America/New_York';
    const d = define({ steps: [call(), call()], taskTimeoutDays: 14 });
    const now = at(zone, '2026-03-06T09:00');
    const plan = planAdvance(cursor(d, 0, now), d, facts(), timing(zone), now);
    expect(wall(plan.next.nextDueAt, zone)).toBe('Fri 2026-03-20 09:00');
  });
});

describe('planAdvance: the schedule, in the lead\'s time zone', () => {
  it('Asia/Kolkata: an email sent Friday 16:30 IST makes a 2-hour step due Monday 09:00 IST', () => {
    const zone = 'Asia/Kolkata';
    const def = define({ steps: [email(), call({ delay: { amount: 2, unit: 'hours' } })] });
    const sentAt = at(zone, '2026-03-06T16:30'); // Friday
    const plan = planAdvance(
      { nextStepId: def.steps[1].id, nextStepIndex: 1, nextDueAt: null, waitTaskId: null, waitEmailId: 'e1' },
      def, facts({ waitEmail: { status: 'sent', sentAt } }), timing(zone), at(zone, '2026-03-06T16:31'),
    );
    expect(plan.action).toBeNull();
    expect(wall(plan.next.nextDueAt, zone)).toBe('Mon 2026-03-09 09:00');
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-09T03:30:00.000Z');
  });

  it('Asia/Kolkata: a step that falls due Friday evening (after 17:00 IST) is moved to Monday 09:00 IST', () => {
    const zone = 'Asia/Kolkata';
    const def = define({ steps: [email(), call({ delay: { amount: 0, unit: 'days' } })] });
    const sentAt = at(zone, '2026-03-06T18:00'); // Friday evening (an email held back by caps, say)
    const plan = planAdvance(
      { nextStepId: def.steps[1].id, nextStepIndex: 1, nextDueAt: null, waitTaskId: null, waitEmailId: 'e1' },
      def, facts({ waitEmail: { status: 'sent', sentAt } }), timing(zone), at(zone, '2026-03-06T18:01'),
    );
    expect(wall(plan.next.nextDueAt, zone)).toBe('Mon 2026-03-09 09:00');
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-09T03:30:00.000Z');
  });

  it('the same instant is inside the schedule in UTC: the zone decides', () => {
    const def = define({ steps: [email(), call()] });
    const sentAt = utc('2026-03-06T12:30:00Z'); // 18:00 IST, 12:30 UTC
    const plan = planAdvance(
      { nextStepId: def.steps[1].id, nextStepIndex: 1, nextDueAt: null, waitTaskId: null, waitEmailId: 'e1' },
      def, facts({ waitEmail: { status: 'sent', sentAt } }), UTC, sentAt,
    );
    expect(plan.action?.kind).toBe('task'); // due at once in UTC
  });

  it('America/New_York across 2026-03-08: a 3-day step from Friday 09:00 EST is due Monday 09:00 EDT', () => {
    const zone = 'America/New_York';
    const def = define({ steps: [call(), email({ delayDays: 3 })] });
    const doneAt = at(zone, '2026-03-06T09:00');
    expect(iso(doneAt)).toBe('2026-03-06T14:00:00.000Z');
    const plan = planAdvance(
      { nextStepId: def.steps[1].id, nextStepIndex: 1, nextDueAt: null, waitTaskId: 't1', waitEmailId: null },
      def, facts({ waitTask: { status: 'completed', completedAt: doneAt } }), timing(zone), doneAt,
    );
    expect(wall(plan.next.nextDueAt, zone)).toBe('Mon 2026-03-09 09:00');
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-09T13:00:00.000Z'); // 71 hours later, not 72
  });

  it('America/New_York: a 1-day step on a 7-day schedule stays at 09:00 local over the change (23 h later)', () => {
    const zone = 'America/New_York';
    const def = define({ steps: [email(), email({ delayDays: 1 })], schedule: { days: [1, 2, 3, 4, 5, 6, 7] } });
    const sentAt = at(zone, '2026-03-07T09:00'); // Saturday, EST
    const plan = planAdvance(
      { nextStepId: def.steps[1].id, nextStepIndex: 1, nextDueAt: null, waitTaskId: null, waitEmailId: 'e1' },
      def, facts({ waitEmail: { status: 'sent', sentAt } }), timing(zone), sentAt,
    );
    expect(wall(plan.next.nextDueAt, zone)).toBe('Sun 2026-03-08 09:00');
    expect(plan.next.nextDueAt!.getTime() - sentAt.getTime()).toBe(23 * 3600_000);
  });

  it('America/New_York: 1 business day from Friday 09:00 EST is Monday 09:00 EDT', () => {
    const zone = 'America/New_York';
    const def = define({ steps: [call(), call({ delay: { amount: 1, unit: 'business_days' } })] });
    const doneAt = at(zone, '2026-03-06T09:00');
    const plan = planAdvance(
      { nextStepId: def.steps[1].id, nextStepIndex: 1, nextDueAt: null, waitTaskId: 't1', waitEmailId: null },
      def, facts({ waitTask: { status: 'completed', completedAt: doneAt } }), timing(zone), doneAt,
    );
    expect(wall(plan.next.nextDueAt, zone)).toBe('Mon 2026-03-09 09:00');
  });

  it('business days skip the organisation\'s holidays, and the schedule skips them too', () => {
    const zone = 'Europe/Paris';
    const calendar: WorkCalendar = { workingDays: [1, 2, 3, 4, 5], holidays: ['2026-05-01'] }; // a Friday
    const sentAt = at(zone, '2026-04-30T10:00'); // Thursday
    const mk = (delay: { amount: number; unit: 'days' | 'business_days' }) => {
      const def = define({ steps: [email(), call({ delay })] });
      return planAdvance(
        { nextStepId: def.steps[1].id, nextStepIndex: 1, nextDueAt: null, waitTaskId: null, waitEmailId: 'e1' },
        def, facts({ waitEmail: { status: 'sent', sentAt } }), timing(zone, calendar), sentAt,
      );
    };
    // 1 business day: Friday is a holiday, the weekend is not worked → Monday 10:00
    expect(wall(mk({ amount: 1, unit: 'business_days' }).next.nextDueAt, zone)).toBe('Mon 2026-05-04 10:00');
    // 1 calendar day lands on the holiday → the schedule's next opening, Monday 09:00
    expect(wall(mk({ amount: 1, unit: 'days' }).next.nextDueAt, zone)).toBe('Mon 2026-05-04 09:00');
  });

  it('custom days and hours: Tue/Thu 10:00–12:00', () => {
    const zone = 'Europe/London';
    const def = define({
      steps: [email(), call({ delay: { amount: 1, unit: 'hours' } })],
      schedule: { days: [2, 4], start: '10:00', end: '12:00' },
    });
    const sentAt = at(zone, '2026-06-02T11:30'); // Tuesday → +1 h = 12:30, closed
    const plan = planAdvance(
      { nextStepId: def.steps[1].id, nextStepIndex: 1, nextDueAt: null, waitTaskId: null, waitEmailId: 'e1' },
      def, facts({ waitEmail: { status: 'sent', sentAt } }), timing(zone), sentAt,
    );
    expect(wall(plan.next.nextDueAt, zone)).toBe('Thu 2026-06-04 10:00');
  });

  it('a plan run late outside the schedule (engine down) waits for the next opening instead of acting at night', () => {
    const zone = 'Asia/Kolkata';
    const def = define({ steps: [call(), call({ delayDays: 1 })] });
    const due = at(zone, '2026-03-06T16:00'); // Friday
    const now = at(zone, '2026-03-06T23:00'); // the worker only got to it at night
    const plan = planAdvance(cursor(def, 0, due), def, facts(), timing(zone), now);
    expect(plan.action).toBeNull();
    expect(plan.executions).toEqual([]);
    expect(plan.next).toMatchObject({ status: 'active', nextStepId: def.steps[0].id, nextStepIndex: 0, waitFor: null });
    expect(wall(plan.next.nextDueAt, zone)).toBe('Mon 2026-03-09 09:00');
  });
});

describe('planAdvance: a step deferred by the schedule moves every later step with it', () => {
  // Monday–Friday 09:00–17:00 UTC; each step one day after the previous one is done.
  const def = define({ steps: [email(), call({ delayDays: 1 }), task({ delayDays: 1 }), email({ delayDays: 1 })], waitForTasks: false });
  const sentAt = utc('2026-03-06T10:00:00Z'); // Friday

  it('Friday email → Saturday step deferred to Monday 09:00 → the next on Tuesday 09:00, not Monday (no catch-up)', () => {
    const p1 = planAdvance(
      { nextStepId: def.steps[1].id, nextStepIndex: 1, nextDueAt: null, waitTaskId: null, waitEmailId: 'e1' },
      def, facts({ waitEmail: { status: 'sent', sentAt } }), UTC, sentAt,
    );
    expect(wall(p1.next.nextDueAt, 'UTC')).toBe('Mon 2026-03-09 09:00');

    const monday = p1.next.nextDueAt!;
    const p2 = planAdvance(
      { nextStepId: p1.next.nextStepId, nextStepIndex: p1.next.nextStepIndex, nextDueAt: monday, waitTaskId: null, waitEmailId: null },
      def, facts(), UTC, monday,
    );
    expect(p2.action).toEqual({ kind: 'task', step: def.steps[1], dueAt: monday });
    expect(p2.next.nextStepId).toBe(def.steps[2].id);
    expect(wall(p2.next.nextDueAt, 'UTC')).toBe('Tue 2026-03-10 09:00');

    const tuesday = p2.next.nextDueAt!;
    const p3 = planAdvance(
      { nextStepId: p2.next.nextStepId, nextStepIndex: p2.next.nextStepIndex, nextDueAt: tuesday, waitTaskId: null, waitEmailId: null },
      def, facts(), UTC, tuesday,
    );
    expect(p3.action?.step.id).toBe(def.steps[2].id);
    expect(wall(p3.next.nextDueAt, 'UTC')).toBe('Wed 2026-03-11 09:00');
  });

  it('a step held back by a late run moves the next one with it', () => {
    const due = utc('2026-03-03T16:00:00Z'); // Tuesday
    const late = utc('2026-03-03T20:00:00Z');
    const p1 = planAdvance(cursor(def, 1, due), def, facts(), UTC, late);
    expect(wall(p1.next.nextDueAt, 'UTC')).toBe('Wed 2026-03-04 09:00');
    const p2 = planAdvance(cursor(def, 1, p1.next.nextDueAt), def, facts(), UTC, p1.next.nextDueAt!);
    expect(p2.action?.step.id).toBe(def.steps[1].id);
    expect(wall(p2.next.nextDueAt, 'UTC')).toBe('Thu 2026-03-05 09:00');
  });
});

describe('planAdvance: conditions on earlier steps', () => {
  const cases: Array<[ConditionIs, Partial<StepOutcome>, Partial<StepOutcome>, 'email' | 'call']> = [
    ['opened', { opened: true }, {}, 'email'],
    ['not_opened', {}, { opened: true }, 'email'],
    ['clicked', { clicked: true }, { opened: true }, 'email'],
    ['not_clicked', { opened: true }, { clicked: true }, 'email'],
    ['replied', { replied: true }, { opened: true, clicked: true }, 'email'],
    ['not_replied', { opened: true }, { replied: true }, 'email'],
    ['completed', { completed: true }, {}, 'call'],
    ['not_completed', {}, { completed: true }, 'call'],
  ];

  const build = (is: ConditionIs, refType: 'email' | 'call') =>
    define({
      steps: [
        refType === 'email' ? email() : call(),
        task({ title: 'Conditional', condition: { stepIndex: 0, is } }),
        call({ delayDays: 2 }),
      ],
    });
  const now = utc('2026-03-03T10:00:00Z'); // Tuesday

  it.each(cases)('"%s": runs the step when the condition holds', (is, holds, _fails, refType) => {
    const def = build(is, refType);
    const plan = planAdvance(cursor(def, 1, now), def, facts({ outcomes: new Map([[def.steps[0].id, outcome(holds)]]) }), UTC, now);
    expect(plan.executions).toEqual([{ stepId: def.steps[1].id, outcome: 'executed', reason: null, at: now }]);
    expect(plan.action?.step.id).toBe(def.steps[1].id);
  });

  it.each(cases)('"%s": skips the step with a reason when the condition is false, and the cadence moves on', (is, _holds, fails, refType) => {
    const def = build(is, refType);
    const plan = planAdvance(cursor(def, 1, now), def, facts({ outcomes: new Map([[def.steps[0].id, outcome(fails)]]) }), UTC, now);
    expect(plan.executions).toEqual([
      { stepId: def.steps[1].id, outcome: 'skipped', reason: `condition not met: step 0 was not "${is}"`, at: now },
    ]);
    expect(plan.action).toBeNull();
    // the next step's delay runs from the skipped step's due instant
    expect(plan.next).toMatchObject({ status: 'active', nextStepId: def.steps[2].id, nextStepIndex: 2, waitFor: null, anchorAt: now });
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-05T10:00:00.000Z');
  });

  it('no recorded outcome counts as nothing having happened', () => {
    const notOpened = build('not_opened', 'email');
    expect(planAdvance(cursor(notOpened, 1, now), notOpened, facts(), UTC, now).executions[0].outcome).toBe('executed');
    const opened = build('opened', 'email');
    expect(planAdvance(cursor(opened, 1, now), opened, facts(), UTC, now).executions[0].outcome).toBe('skipped');
    const completed = build('completed', 'call');
    expect(planAdvance(cursor(completed, 1, now), completed, facts(), UTC, now).executions[0].outcome).toBe('skipped');
  });

  it('outcomes of other steps do not count', () => {
    const def = build('opened', 'email');
    const plan = planAdvance(cursor(def, 1, now), def, facts({ outcomes: new Map([[def.steps[2].id, outcome({ opened: true })]]) }), UTC, now);
    expect(plan.executions[0].outcome).toBe('skipped');
  });

  it('a skipped step followed by a step with no delay runs that step in the same plan', () => {
    const def = define({
      steps: [email(), call({ condition: { stepIndex: 0, is: 'opened' } }), email({ subject: 'Bump' })],
    });
    const plan = planAdvance(cursor(def, 1, now), def, facts(), UTC, now);
    expect(plan.executions.map((x) => [x.stepId, x.outcome])).toEqual([
      [def.steps[1].id, 'skipped'],
      [def.steps[2].id, 'executed'],
    ]);
    expect(plan.action).toEqual({ kind: 'email', step: def.steps[2], sendAfter: now });
  });

  it('several skipped steps in a row are each recorded, in order', () => {
    const def = define({
      steps: [
        email(),
        call({ condition: { stepIndex: 0, is: 'replied' } }),
        task({ condition: { stepIndex: 0, is: 'clicked' } }),
        call({ title: 'Last' }),
      ],
    });
    const plan = planAdvance(cursor(def, 1, now), def, facts({ outcomes: new Map([[def.steps[0].id, outcome({ opened: true })]]) }), UTC, now);
    expect(plan.executions).toEqual([
      { stepId: def.steps[1].id, outcome: 'skipped', reason: 'condition not met: step 0 was not "replied"', at: now },
      { stepId: def.steps[2].id, outcome: 'skipped', reason: 'condition not met: step 0 was not "clicked"', at: now },
      { stepId: def.steps[3].id, outcome: 'executed', reason: null, at: now },
    ]);
  });

  it('skipping the last step completes the enrolment', () => {
    const def = define({ steps: [email(), call({ condition: { stepIndex: 0, is: 'opened' } })] });
    const plan = planAdvance(cursor(def, 1, now), def, facts(), UTC, now);
    expect(plan.executions).toHaveLength(1);
    expect(plan.executions[0].outcome).toBe('skipped');
    expect(plan.next.status).toBe('completed');
    expect(plan.next.anchorAt).toEqual(now);
    expect(plan.action).toBeNull();
  });

  it('a step after a skipped one that lands outside the schedule is deferred, and later steps keep moving from it', () => {
    const def = define({
      steps: [email(), call({ condition: { stepIndex: 0, is: 'opened' } }), call({ delayDays: 1 })],
    });
    const friday = utc('2026-03-06T10:00:00Z');
    const plan = planAdvance(cursor(def, 1, friday), def, facts(), UTC, friday);
    expect(plan.executions[0]).toMatchObject({ stepId: def.steps[1].id, outcome: 'skipped', at: friday });
    expect(wall(plan.next.nextDueAt, 'UTC')).toBe('Mon 2026-03-09 09:00');
  });

  it('a condition is evaluated when the step falls due after a wait, using the outcomes then', () => {
    const def = define({ steps: [email(), email({ subject: 'Re', condition: { stepIndex: 0, is: 'not_replied' } })] });
    const sentAt = utc('2026-03-02T10:00:00Z');
    const plan = planAdvance(
      { nextStepId: def.steps[1].id, nextStepIndex: 1, nextDueAt: null, waitTaskId: null, waitEmailId: 'e1' },
      def, facts({ waitEmail: { status: 'sent', sentAt }, outcomes: new Map([[def.steps[0].id, outcome({ replied: true })]]) }),
      UTC, sentAt,
    );
    expect(plan.executions).toEqual([
      { stepId: def.steps[1].id, outcome: 'skipped', reason: 'condition not met: step 0 was not "not_replied"', at: sentAt },
    ]);
    expect(plan.next.status).toBe('completed');
  });
});

describe('conditionHolds', () => {
  it('reads each outcome flag and its negation', () => {
    const all = outcome({ opened: true, clicked: true, replied: true, completed: true });
    const none = outcome();
    for (const is of ['opened', 'clicked', 'replied', 'completed'] as const) {
      expect(conditionHolds(is, all)).toBe(true);
      expect(conditionHolds(is, none)).toBe(false);
      expect(conditionHolds(`not_${is}`, all)).toBe(false);
      expect(conditionHolds(`not_${is}`, none)).toBe(true);
      expect(conditionHolds(is, undefined)).toBe(false);
      expect(conditionHolds(`not_${is}`, undefined)).toBe(true);
    }
  });
});

describe('planAdvance: emails the enrolment waits on', () => {
  const def = define({ steps: [email(), call({ delayDays: 1 })] });
  const waitingCursor = (): EnrollmentCursor => ({
    nextStepId: def.steps[1].id, nextStepIndex: 1, nextDueAt: null, waitTaskId: null, waitEmailId: 'e1',
  });
  const now = utc('2026-03-02T12:00:00Z');

  it.each(['queued', 'sending'])('an email still %s leaves the plan unchanged', (status) => {
    const plan = planAdvance(waitingCursor(), def, facts({ waitEmail: { status, sentAt: null } }), UTC, now);
    expect(plan.unchanged).toBe(true);
    expect(plan.executions).toEqual([]);
    expect(plan.action).toBeNull();
  });

  it('an email not found (yet) leaves the plan unchanged', () => {
    const plan = planAdvance(waitingCursor(), def, facts(), UTC, now);
    expect(plan.unchanged).toBe(true);
  });

  it.each(['failed', 'cancelled'])('an email that %s lets the sequence go on from now', (status) => {
    const plan = planAdvance(waitingCursor(), def, facts({ waitEmail: { status, sentAt: null } }), UTC, now);
    expect(plan.unchanged).toBe(false);
    expect(plan.next).toMatchObject({ status: 'active', nextStepId: def.steps[1].id, waitFor: null, anchorAt: now });
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-03T12:00:00.000Z');
  });

  it('the last step\'s email, once sent, completes the enrolment at its send instant', () => {
    const sentAt = utc('2026-03-02T11:59:00Z');
    const plan = planAdvance(
      { nextStepId: null, nextStepIndex: null, nextDueAt: null, waitTaskId: null, waitEmailId: 'e1' },
      def, facts({ waitEmail: { status: 'sent', sentAt } }), UTC, now,
    );
    expect(plan.next.status).toBe('completed');
    expect(plan.next.anchorAt).toEqual(sentAt);
  });

  it('the last step\'s email still queued does not complete the enrolment', () => {
    const plan = planAdvance(
      { nextStepId: null, nextStepIndex: null, nextDueAt: null, waitTaskId: null, waitEmailId: 'e1' },
      def, facts({ waitEmail: { status: 'queued', sentAt: null } }), UTC, now,
    );
    expect(plan.unchanged).toBe(true);
  });
});

describe('planAdvance: exitOn.endDate', () => {
  const def = define({ steps: [call(), call({ delayDays: 1 })], exitOn: { endDate: '2026-03-31T00:00:00+05:30' } });
  const end = utc('2026-03-30T18:30:00Z');

  it('is normalized to UTC', () => {
    expect(def.exitOn.endDate).toBe('2026-03-30T18:30:00.000Z');
  });

  it('exits with "ended" at the end date, doing nothing else', () => {
    const plan = planAdvance(cursor(def, 0, end), def, facts(), UTC, end);
    expect(plan.next.status).toBe('exited');
    expect(plan.next.exitReason).toBe('ended');
    expect(plan.executions).toEqual([]);
    expect(plan.action).toBeNull();
    expect(plan.unchanged).toBe(false);
  });

  it('exits after the end date even while an email is still queued', () => {
    const plan = planAdvance(
      { nextStepId: def.steps[1].id, nextStepIndex: 1, nextDueAt: null, waitTaskId: null, waitEmailId: 'e1' },
      def, facts({ waitEmail: { status: 'queued', sentAt: null } }), UTC, utc('2026-04-02T10:00:00Z'),
    );
    expect(plan.next).toMatchObject({ status: 'exited', exitReason: 'ended' });
    expect(plan.unchanged).toBe(false);
  });

  it('runs normally before the end date', () => {
    const before = utc('2026-03-30T10:00:00Z'); // Monday
    const plan = planAdvance(cursor(def, 0, before), def, facts(), UTC, before);
    expect(plan.next.status).toBe('active');
    expect(plan.next.exitReason).toBeNull();
    expect(plan.action?.kind).toBe('task');
  });
});

describe('planAdvance: a cadence edited while the enrolment runs', () => {
  const v1 = define({ steps: [email(), call({ delayDays: 1 }), task({ delayDays: 1 }), email({ subject: 'Last', delayDays: 1 })] });
  const editedInput = (keep: (i: number) => boolean) => {
    const input = definitionToView('Test cadence', v1);
    return { ...input, steps: input.steps.filter((_, i) => keep(i)) };
  };
  const v2 = (() => {
    const built = buildDefinition(cadenceInputSchema.parse(editedInput((i) => i !== 1)), counter('v2'));
    if (!built.ok) throw new Error(built.error.message);
    return built.value;
  })();
  const now = utc('2026-03-03T10:00:00Z');

  it('keeps step ids stable across the edit', () => {
    expect(v2.steps.map((s) => s.id)).toEqual([v1.steps[0].id, v1.steps[2].id, v1.steps[3].id]);
  });

  it('a cursor whose step still exists follows it by id, even at a new position', () => {
    const c: EnrollmentCursor = { nextStepId: v1.steps[2].id, nextStepIndex: 2, nextDueAt: now, waitTaskId: null, waitEmailId: null };
    const plan = planAdvance(c, v2, facts(), UTC, now);
    expect(plan.action?.step.id).toBe(v1.steps[2].id);
    expect(plan.next.nextStepId).toBe(v1.steps[3].id);
    expect(plan.next.nextStepIndex).toBe(2);
  });

  it('a cursor whose nextStepId was removed falls back to its index (the step now in that place)', () => {
    const c: EnrollmentCursor = { nextStepId: v1.steps[1].id, nextStepIndex: 1, nextDueAt: now, waitTaskId: null, waitEmailId: null };
    const plan = planAdvance(c, v2, facts(), UTC, now);
    expect(plan.executions).toEqual([{ stepId: v1.steps[2].id, outcome: 'executed', reason: null, at: now }]);
    expect(plan.action?.step.id).toBe(v1.steps[2].id);
  });

  it('the same fallback applies after waiting on a task', () => {
    const doneAt = utc('2026-03-03T10:00:00Z');
    const c: EnrollmentCursor = { nextStepId: v1.steps[1].id, nextStepIndex: 1, nextDueAt: null, waitTaskId: 't1', waitEmailId: null };
    const plan = planAdvance(c, v2, facts({ waitTask: { status: 'completed', completedAt: doneAt } }), UTC, doneAt);
    expect(plan.next.nextStepId).toBe(v1.steps[2].id);
    expect(iso(plan.next.nextDueAt)).toBe('2026-03-04T10:00:00.000Z');
  });

  describe('with the version the pointer was set in', () => {
    const ids = v1.steps.map((s) => s.id);
    const edit = (steps: Array<Record<string, unknown>>) => {
      const built = buildDefinition(cadenceInputSchema.parse({ ...definitionToView('Test cadence', v1), steps }), counter('e'));
      if (!built.ok) throw new Error(built.error.message);
      return built.value;
    };
    const kept = (i: number) => definitionToView('Test cadence', v1).steps[i];
    const at = (stepIndex: number): EnrollmentCursor => ({
      nextStepId: ids[stepIndex], nextStepIndex: stepIndex, nextDueAt: now, waitTaskId: null, waitEmailId: null, pointerVersionSteps: ids,
    });

    it('goes on after the last earlier step that remains, even when a step was added in front', () => {
      // v1 [email, call, task, email]; the call (the pointer) removed, a task added first.
      const def = edit([task({ title: 'New first' }), kept(0), kept(2), kept(3)]);
      const plan = planAdvance(at(1), def, facts(), UTC, now);
      expect(plan.action?.step.id).toBe(ids[2]); // the task, not the email already sent
      expect(plan.next.nextStepId).toBe(ids[3]);
    });

    it('runs a step added right after the last one the enrolment passed', () => {
      const def = edit([kept(0), call({ title: 'Added' }), kept(2), kept(3)]);
      const plan = planAdvance(at(1), def, facts(), UTC, now);
      expect(plan.action?.step.id).toBe(def.steps[1].id);
      expect(def.steps[1].id).not.toBe(ids[1]);
    });

    it('starts from the new first step when every earlier step went too', () => {
      const def = edit([kept(2), kept(3)]);
      expect(planAdvance(at(1), def, facts(), UTC, now).action?.step.id).toBe(ids[2]);
    });

    it('completes when nothing is left after the last remaining earlier step', () => {
      const def = edit([kept(0), kept(1)]);
      const plan = planAdvance(at(3), def, facts(), UTC, now);
      expect(plan.next.status).toBe('completed');
      expect(plan.action).toBeNull();
    });
  });

  it('a removed step whose index is past the new end completes the enrolment', () => {
    const built = buildDefinition(cadenceInputSchema.parse(editedInput((i) => i < 2)), counter('v3'));
    if (!built.ok) throw new Error(built.error.message);
    const c: EnrollmentCursor = { nextStepId: v1.steps[3].id, nextStepIndex: 3, nextDueAt: now, waitTaskId: null, waitEmailId: null };
    const plan = planAdvance(c, built.value, facts(), UTC, now);
    expect(plan.next.status).toBe('completed');
    expect(plan.action).toBeNull();
  });
});

describe('dueOf', () => {
  it('is the step\'s delay from the anchor, moved into the schedule', () => {
    const def = define({ steps: [email(), call({ delay: { amount: 90, unit: 'minutes' } })] });
    expect(iso(dueOf(def.steps[1], utc('2026-03-02T10:00:00Z'), def, UTC))).toBe('2026-03-02T11:30:00.000Z');
    expect(iso(dueOf(def.steps[1], utc('2026-03-02T16:00:00Z'), def, UTC))).toBe('2026-03-03T09:00:00.000Z');
    // the first step at enrolment on a Saturday: Monday 09:00
    expect(iso(dueOf(def.steps[0], utc('2026-03-07T12:00:00Z'), def, UTC))).toBe('2026-03-09T09:00:00.000Z');
  });
});
