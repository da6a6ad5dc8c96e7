import { describe, it, expect } from 'vitest';
import type { z } from 'zod';
import { cadenceInput as cadenceInputSchema } from '../contract/cadences.ts';
import { type CadenceDefinition } from './cadence.ts';
import { buildDefinition, DEFAULT_EXIT_RULES, definitionToView } from './cadence-definition.ts';
import { issuesToDetails } from '../contract/common.ts';

type RawInput = z.input<typeof cadenceInputSchema>;

function counter(prefix = 'id') {
  let n = 0;
  const next = () => `${prefix}-${++n}`;
  return Object.assign(next, { calls: () => n });
}

/** The whole save path: zod shape first, then buildDefinition's cross-field rules. */
function validate(raw: unknown, newId = counter()):
  | { ok: true; def: CadenceDefinition }
  | { ok: false; paths: string[]; details: Array<{ path: string; message: string }>; message: string } {
  const parsed = cadenceInputSchema.safeParse(raw);
  if (!parsed.success) {
    const details = issuesToDetails(parsed.error.issues);
    return { ok: false, paths: details.map((d) => d.path), details, message: details.map((d) => d.message).join('; ') };
  }
  const built = buildDefinition(parsed.data, newId);
  if (built.ok) return { ok: true, def: built.value };
  expect(built.error.code).toBe('invalid_cadence');
  return { ok: false, paths: built.error.details.map((d) => d.path), details: built.error.details, message: built.error.message };
}

function define(raw: RawInput, newId = counter()): CadenceDefinition {
  const r = validate(raw, newId);
  if (!r.ok) throw new Error(r.message);
  return r.def;
}

function errorsOf(raw: unknown) {
  const r = validate(raw);
  if (r.ok) throw new Error('expected the cadence to be refused');
  return r;
}

const email = (extra: Record<string, unknown> = {}) => ({ type: 'email' as const, subject: 'Hi {{lead.firstName}}', body: 'Hello', ...extra });
const call = (extra: Record<string, unknown> = {}) => ({ type: 'call' as const, ...extra });
const task = (extra: Record<string, unknown> = {}) => ({ type: 'task' as const, title: 'Research', ...extra });
const base = (extra: Partial<RawInput> = {}): RawInput => ({ name: 'Outbound Q2', steps: [email()], ...extra });

describe('buildDefinition: defaults', () => {
  const def = define(base({ steps: [email(), call({ delayDays: 2 }), task()] }));

  it('module lead', () => {
    expect(def.module).toBe('lead');
  });

  it('schedule Mon–Fri 09:00–17:00 with no zone of its own', () => {
    expect(def.schedule).toEqual({ days: [1, 2, 3, 4, 5], windows: [{ start: '09:00', end: '17:00' }], timezone: null });
  });

  it('exits on reply (from the lead\u2019s own address), meeting and conversion; no criteria, outcomes or end date', () => {
    expect(def.exitOn).toEqual({
      onReply: true, replyFrom: 'address', onMeeting: true, onConversion: true, fieldCriteria: [], callOutcomes: [], endDate: null,
    });
    expect(def.exitOn).toEqual(DEFAULT_EXIT_RULES);
  });

  it('waitForTasks true, taskTimeoutDays 14, reenrollment never, no throttle, no auto-enrolment, no boosts', () => {
    expect(def.waitForTasks).toBe(true);
    expect(def.taskTimeoutDays).toBe(14);
    expect(def.reenrollment).toBe('never');
    expect(def.throttle).toBeNull();
    expect(def.autoEnroll).toBeNull();
    expect(def.boosts).toEqual([]);
  });

  it('step content defaults: auto mode, normal priority, not threaded, no delay, no condition', () => {
    expect(def.steps[0]).toEqual({
      id: 'id-1', type: 'email', delay: { amount: 0, unit: 'days' }, condition: null,
      mode: 'auto', subject: 'Hi {{lead.firstName}}', body: 'Hello', title: null, instructions: null,
      priority: 'normal', threadWithPrevious: false,
    });
    expect(def.steps[1].delay).toEqual({ amount: 2, unit: 'days' });
  });

  it('each exit switch defaults independently', () => {
    const d = define(base({ exitOn: { onReply: false } }));
    expect(d.exitOn).toMatchObject({ onReply: false, onMeeting: true, onConversion: true });
  });

  it('autoEnroll.existingRecords defaults to false; settings given are kept', () => {
    const d = define(base({
      module: 'contact',
      waitForTasks: false,
      taskTimeoutDays: 3,
      reenrollment: 'after_exit',
      throttle: { perRepPerDay: 25 },
      autoEnroll: { filter: [{ field: 'status', eq: 'New' }] },
    }));
    expect(d.module).toBe('contact');
    expect(d.waitForTasks).toBe(false);
    expect(d.taskTimeoutDays).toBe(3);
    expect(d.reenrollment).toBe('after_exit');
    expect(d.throttle).toEqual({ perRepPerDay: 25 });
    expect(d.autoEnroll).toEqual({ filter: [{ field: 'status', eq: 'New' }], existingRecords: false });
  });
});

describe('buildDefinition: ids', () => {
  it('gives every step and boost an id from newId, steps first, in order', () => {
    const newId = counter();
    const def = define(base({
      steps: [email(), email({ subject: 'Two' })],
      boosts: [{ on: 'opened', stepIndex: 0, action: { type: 'call' } }],
    }), newId);
    expect(def.steps.map((s) => s.id)).toEqual(['id-1', 'id-2']);
    expect(def.boosts.map((b) => b.id)).toEqual(['id-3']);
    expect(newId.calls()).toBe(3);
  });

  it('keeps ids given in the input and asks newId only for the others', () => {
    const newId = counter();
    const def = define(base({ steps: [email({ id: 'intro' }), call(), task({ id: 'research' })] }), newId);
    expect(def.steps.map((s) => s.id)).toEqual(['intro', 'id-1', 'research']);
    expect(newId.calls()).toBe(1);
  });

  it('refuses duplicate step ids at steps.N.id', () => {
    const e = errorsOf(base({ steps: [email({ id: 'a' }), call({ id: 'a' })] }));
    expect(e.paths).toEqual(['steps.1.id']);
    expect(e.details[0].message).toMatch(/duplicate step id "a"/);
  });

  it('refuses duplicate boost ids at boosts.N.id (a boost fires at most once per enrolment, by id)', () => {
    // Two boosts sharing an id would share one firing record: the second could never fire.
    const e = validate(base({
      steps: [email()],
      boosts: [
        { id: 'b', on: 'opened', action: { type: 'call' } },
        { id: 'b', on: 'clicked', action: { type: 'task', title: 'Follow the click' } },
      ],
    }));
    expect(e.ok).toBe(false);
    if (!e.ok) expect(e.paths).toContain('boosts.1.id');
  });
});

describe('buildDefinition: step content is checked and reported with its path', () => {
  it('an email step needs a subject (steps.N.subject) and a body (steps.N.body)', () => {
    const e = errorsOf(base({ steps: [call(), { type: 'email' }] }));
    expect(e.paths).toEqual(['steps.1.subject', 'steps.1.body']);
    expect(e.details[0].message).toMatch(/subject/);
    expect(e.details[1].message).toMatch(/body/);
  });

  it('a blank subject or body counts as missing', () => {
    expect(errorsOf(base({ steps: [email({ subject: '   ', body: '\n' })] })).paths).toEqual(['steps.0.subject', 'steps.0.body']);
  });

  it('a manual email needs them too', () => {
    expect(errorsOf(base({ steps: [{ type: 'email', mode: 'manual', body: 'x' }] })).paths).toEqual(['steps.0.subject']);
  });

  it('an email threaded with the previous one may go without a subject (it becomes "Re: …")', () => {
    const def = define(base({ steps: [email(), { type: 'email', body: 'Bumping this', threadWithPrevious: true }] }));
    expect(def.steps[1]).toMatchObject({ subject: null, threadWithPrevious: true });
  });

  it('a task step needs a title (steps.N.title); a call step needs nothing', () => {
    const e = errorsOf(base({ steps: [call(), { type: 'task' }] }));
    expect(e.paths).toEqual(['steps.1.title']);
  });

  it('reports every problem at once, and the message names each path', () => {
    const e = errorsOf(base({ steps: [{ type: 'email', subject: 'x' }, call(), { type: 'task' }] }));
    expect(e.paths).toEqual(['steps.0.body', 'steps.2.title']);
    expect(e.message).toContain('steps.0.body: ');
    expect(e.message).toContain('steps.2.title: ');
  });

  it('giving both delayDays and delay is refused at steps.N', () => {
    const e = errorsOf(base({ steps: [email(), call({ delayDays: 1, delay: { amount: 2, unit: 'hours' } })] }));
    expect(e.paths).toEqual(['steps.1']);
    expect(e.details[0].message).toMatch(/delayDays or delay/);
  });

  it('normalizes delays: delayDays → days; delay kept as given', () => {
    const def = define(base({ steps: [email(), call({ delayDays: 3 }), call({ delay: { amount: 2, unit: 'business_days' } })] }));
    expect(def.steps.map((s) => s.delay)).toEqual([
      { amount: 0, unit: 'days' },
      { amount: 3, unit: 'days' },
      { amount: 2, unit: 'business_days' },
    ]);
  });

  it('shape errors from the zod schema also name their path', () => {
    expect(errorsOf(base({ steps: [] })).paths).toEqual(['steps']);
    expect(errorsOf({ name: 'x', steps: [{ type: 'fax' }] }).paths).toEqual(['steps.0.type']);
    expect(errorsOf(base({ steps: [call({ delay: { amount: -1, unit: 'days' } })] })).paths).toEqual(['steps.0.delay.amount']);
    expect(errorsOf(base({ steps: [call({ delay: { amount: 1, unit: 'weeks' } })] })).paths).toEqual(['steps.0.delay.unit']);
  });
});

describe('buildDefinition: templates are parsed at save', () => {
  it('an unclosed merge field in a subject is reported at steps.N.subject, with its position', () => {
    const e = errorsOf(base({ steps: [email({ subject: 'Hi {{ lead.firstName ' })] }));
    expect(e.paths).toEqual(['steps.0.subject']);
    expect(e.details[0].message).toMatch(/line:1, col:4/);
  });

  it('an unknown filter in a body is reported at steps.N.body', () => {
    const e = errorsOf(base({ steps: [email({ body: 'Hello {{ lead.firstName | shout }}' })] }));
    expect(e.paths).toEqual(['steps.0.body']);
    expect(e.details[0].message).toMatch(/shout/);
  });

  it('task titles and instructions are checked too', () => {
    const e = errorsOf(base({ steps: [email(), task({ title: '{% if lead.company %}x', instructions: '{{ x | nope }}' })] }));
    expect(e.paths).toEqual(['steps.1.title', 'steps.1.instructions']);
  });

  it('a boost action\'s templates are checked at boosts.N.action.<field>', () => {
    const e = errorsOf(base({ boosts: [{ on: 'clicked', action: { type: 'email', subject: 'ok', body: '{{ lead.firstName ' } }] }));
    expect(e.paths).toEqual(['boosts.0.action.body']);
  });

  it('valid merge fields with fallbacks pass', () => {
    expect(validate(base({ steps: [email({ subject: 'Hi {{lead.firstName | fallback: "there"}}' })] })).ok).toBe(true);
  });
});

describe('buildDefinition: conditions', () => {
  it('a stepIndex condition is normalized to the step id', () => {
    const def = define(base({ steps: [email({ id: 'intro' }), call({ condition: { stepIndex: 0, is: 'opened' } })] }));
    expect(def.steps[1].condition).toEqual({ stepId: 'intro', is: 'opened' });
  });

  it('a stepIndex condition on a generated id is normalized too', () => {
    const def = define(base({ steps: [call(), task({ condition: { stepIndex: 0, is: 'not_completed' } })] }));
    expect(def.steps[1].condition).toEqual({ stepId: 'id-1', is: 'not_completed' });
  });

  it('a stepId condition is kept', () => {
    const def = define(base({ steps: [email({ id: 'intro' }), email({ subject: 'Re', condition: { stepId: 'intro', is: 'not_replied' } })] }));
    expect(def.steps[1].condition).toEqual({ stepId: 'intro', is: 'not_replied' });
  });

  it.each(['opened', 'not_opened', 'clicked', 'not_clicked', 'replied', 'not_replied', 'completed', 'not_completed'] as const)(
    '"%s" on an earlier email step is accepted',
    (is) => {
      expect(validate(base({ steps: [email(), call({ condition: { stepIndex: 0, is } })] })).ok).toBe(true);
    },
  );

  it.each(['completed', 'not_completed'] as const)('"%s" on a call or task step is accepted', (is) => {
    expect(validate(base({ steps: [call(), task(), call({ condition: { stepIndex: 0, is } }), call({ condition: { stepIndex: 1, is } })] })).ok).toBe(true);
  });

  it.each(['opened', 'not_opened', 'clicked', 'not_clicked', 'replied', 'not_replied'] as const)(
    '"%s" on a call step is refused at steps.N.condition.is',
    (is) => {
      const e = errorsOf(base({ steps: [call(), task({ condition: { stepIndex: 0, is } })] }));
      expect(e.paths).toEqual(['steps.1.condition.is']);
      expect(e.details[0].message).toMatch(/needs an email step/);
    },
  );

  it('a condition on the same step or a later one is refused at steps.N.condition', () => {
    expect(errorsOf(base({ steps: [email(), call({ condition: { stepIndex: 1, is: 'completed' } })] })).paths).toEqual(['steps.1.condition']);
    const e = errorsOf(base({ steps: [email(), call({ condition: { stepIndex: 2, is: 'completed' } }), call()] }));
    expect(e.paths).toEqual(['steps.1.condition']);
    expect(e.details[0].message).toMatch(/earlier step/);
    expect(errorsOf(base({ steps: [call({ id: 'a', condition: { stepId: 'b', is: 'completed' } }), call({ id: 'b' })] })).paths)
      .toEqual(['steps.0.condition']);
  });

  it('an index with no step is refused at steps.N.condition.stepIndex', () => {
    expect(errorsOf(base({ steps: [email(), call({ condition: { stepIndex: 7, is: 'opened' } })] })).paths)
      .toEqual(['steps.1.condition.stepIndex']);
  });

  it('an unknown step id is refused at steps.N.condition.stepId', () => {
    expect(errorsOf(base({ steps: [email(), call({ condition: { stepId: 'ghost', is: 'opened' } })] })).paths)
      .toEqual(['steps.1.condition.stepId']);
  });

  it('naming both or neither of stepId and stepIndex is refused at steps.N.condition', () => {
    expect(errorsOf(base({ steps: [email({ id: 'a' }), call({ condition: { stepId: 'a', stepIndex: 0, is: 'opened' } })] })).paths)
      .toEqual(['steps.1.condition']);
    expect(errorsOf(base({ steps: [email(), call({ condition: { is: 'opened' } })] })).paths).toEqual(['steps.1.condition']);
  });

  it('an unknown condition is refused at steps.N.condition.is', () => {
    expect(errorsOf(base({ steps: [email(), call({ condition: { stepIndex: 0, is: 'bounced' } })] })).paths)
      .toEqual(['steps.1.condition.is']);
  });
});

describe('buildDefinition: boosts', () => {
  const steps = [email({ id: 'intro' }), call({ id: 'dial' })];

  it('normalizes a stepIndex to the step id; minCount defaults to 1, delayHours to 0', () => {
    const def = define(base({ steps, boosts: [{ on: 'opened', stepIndex: 0, action: { type: 'call', instructions: 'Call now' } }] }));
    expect(def.boosts[0]).toEqual({
      id: 'id-1', on: 'opened', stepId: 'intro', minCount: 1,
      action: {
        type: 'call', delayHours: 0, mode: 'auto', subject: null, body: null, title: null, instructions: 'Call now',
        priority: 'normal', threadWithPrevious: false,
      },
    });
  });

  it('a boost without a step fires on any step (stepId null)', () => {
    const def = define(base({ steps, boosts: [{ on: 'clicked', minCount: 3, action: { type: 'task', title: 'Hot lead', delayHours: 2 } }] }));
    expect(def.boosts[0]).toMatchObject({ stepId: null, minCount: 3, action: { type: 'task', title: 'Hot lead', delayHours: 2 } });
  });

  it('a boost on a non-email step is refused at boosts.N', () => {
    const e = errorsOf(base({ steps, boosts: [{ on: 'opened', stepId: 'dial', action: { type: 'call' } }] }));
    expect(e.paths).toEqual(['boosts.0']);
    expect(e.details[0].message).toMatch(/needs an email step/);
  });

  it('a boost naming both stepId and stepIndex is refused at boosts.N', () => {
    expect(errorsOf(base({ steps, boosts: [{ on: 'opened', stepId: 'intro', stepIndex: 0, action: { type: 'call' } }] })).paths)
      .toEqual(['boosts.0']);
  });

  it('a boost on a missing step is refused at boosts.N.stepIndex / boosts.N.stepId', () => {
    expect(errorsOf(base({ steps, boosts: [{ on: 'opened', stepIndex: 5, action: { type: 'call' } }] })).paths).toEqual(['boosts.0.stepIndex']);
    expect(errorsOf(base({ steps, boosts: [
      { on: 'opened', stepIndex: 0, action: { type: 'call' } },
      { on: 'clicked', stepId: 'gone', action: { type: 'call' } },
    ] })).paths).toEqual(['boosts.1.stepId']);
  });

  it('a boost\'s action content is checked like a step\'s, at boosts.N.action.<field>', () => {
    expect(errorsOf(base({ steps, boosts: [{ on: 'clicked', action: { type: 'email' } }] })).paths)
      .toEqual(['boosts.0.action.subject', 'boosts.0.action.body']);
    expect(errorsOf(base({ steps, boosts: [{ on: 'clicked', action: { type: 'task' } }] })).paths).toEqual(['boosts.0.action.title']);
  });

  it('a zero minCount is refused by the schema at boosts.N.minCount', () => {
    expect(errorsOf(base({ steps, boosts: [{ on: 'clicked', minCount: 0, action: { type: 'call' } }] })).paths).toEqual(['boosts.0.minCount']);
  });
});

describe('buildDefinition: schedule', () => {
  it('start/end replace the default hours', () => {
    const def = define(base({ schedule: { days: [1, 2, 3], start: '08:30', end: '12:00' } }));
    expect(def.schedule).toEqual({ days: [1, 2, 3], windows: [{ start: '08:30', end: '12:00' }], timezone: null });
  });

  it('a start not before its end is refused at schedule', () => {
    const e = errorsOf(base({ schedule: { days: [1], start: '17:00', end: '09:00' } }));
    expect(e.paths).toEqual(['schedule']);
    expect(errorsOf(base({ schedule: { days: [1], start: '10:00', end: '10:00' } })).paths).toEqual(['schedule']);
  });

  it('a window whose start is not before its end is refused at schedule.windows.N', () => {
    const e = errorsOf(base({ schedule: { days: [1], windows: [{ start: '09:00', end: '12:00' }, { start: '18:00', end: '13:00' }] } }));
    expect(e.paths).toEqual(['schedule.windows.1']);
    expect(e.details[0].message).toMatch(/18:00.*13:00/);
  });

  it('days are de-duplicated and sorted, windows sorted by start', () => {
    const def = define(base({
      schedule: { days: [5, 1, 3, 1], windows: [{ start: '14:00', end: '17:00' }, { start: '09:00', end: '12:00' }], timezone: 'Asia/Kolkata' },
    }));
    expect(def.schedule).toEqual({
      days: [1, 3, 5],
      windows: [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '17:00' }],
      timezone: 'Asia/Kolkata',
    });
  });

  it('shape errors name their path: days, times, zone', () => {
    expect(errorsOf(base({ schedule: { days: [] } })).paths).toEqual(['schedule.days']);
    expect(errorsOf(base({ schedule: { days: [0, 8] } })).paths).toEqual(['schedule.days.0', 'schedule.days.1']);
    expect(errorsOf(base({ schedule: { days: [1], start: '9:00' } })).paths).toEqual(['schedule.start']);
    expect(errorsOf(base({ schedule: { days: [1], windows: [{ start: '09:00', end: '24:00' }] } })).paths).toEqual(['schedule.windows.0.end']);
    expect(errorsOf(base({ schedule: { days: [1], timezone: 'Mars/Olympus' } })).paths).toEqual(['schedule.timezone']);
  });
});

describe('buildDefinition: exit rules', () => {
  it('normalizes the end date to UTC', () => {
    const def = define(base({ exitOn: { endDate: '2026-06-30T18:00:00+05:30' } }));
    expect(def.exitOn.endDate).toBe('2026-06-30T12:30:00.000Z');
  });

  it('refuses an end date without an offset at exitOn.endDate', () => {
    expect(errorsOf(base({ exitOn: { endDate: '2026-06-30' } })).paths).toEqual(['exitOn.endDate']);
  });

  it('keeps field criteria and call outcomes', () => {
    const def = define(base({ exitOn: { fieldCriteria: [{ field: 'status', in: ['Qualified'] }], callOutcomes: ['not_interested'] } }));
    expect(def.exitOn.fieldCriteria).toEqual([{ field: 'status', in: ['Qualified'] }]);
    expect(def.exitOn.callOutcomes).toEqual(['not_interested']);
  });

  it('refuses a field criterion that compares nothing (it would match every record) at exitOn.fieldCriteria.N', () => {
    // A typo such as "In" is stripped by zod, leaving { field: 'status' }, which criterionMatches
    // treats as always true: every live enrolment would exit with criteria_met on the next update.
    const r = validate(base({ exitOn: { fieldCriteria: [{ field: 'status', In: ['Qualified'] } as never] } }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.paths.some((p) => p.startsWith('exitOn.fieldCriteria.0'))).toBe(true);
  });

  it('refuses an auto-enrolment filter criterion that compares nothing at autoEnroll.filter.N', () => {
    const r = validate(base({ autoEnroll: { filter: [{ field: 'status' }] } }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.paths.some((p) => p.startsWith('autoEnroll.filter.0'))).toBe(true);
  });
});

describe('definitionToView → buildDefinition', () => {
  const original = define({
    name: 'Full',
    module: 'contact',
    steps: [
      email({ subject: 'Intro {{lead.company}}' }),
      email({ body: 'Following up', subject: undefined, threadWithPrevious: true, delay: { amount: 2, unit: 'business_days' } }),
      call({ delayDays: 1, condition: { stepIndex: 1, is: 'not_replied' }, instructions: 'Script', priority: 'high' }),
      task({ delay: { amount: 90, unit: 'minutes' }, condition: { stepIndex: 2, is: 'not_completed' } }),
      email({ mode: 'manual', subject: 'Breakup', delayDays: 3 }),
    ],
    boosts: [
      { on: 'opened', stepIndex: 0, minCount: 3, action: { type: 'call', instructions: 'Hot' } },
      { on: 'clicked', action: { type: 'email', subject: 'Saw you clicked', body: 'b', delayHours: 1, threadWithPrevious: true } },
    ],
    schedule: { days: [1, 2, 3, 4], windows: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:30' }], timezone: 'America/New_York' },
    exitOn: {
      onReply: true, onMeeting: false, onConversion: true,
      fieldCriteria: [{ field: 'status', in: ['Qualified'] }], callOutcomes: ['not_interested'],
      endDate: '2026-12-31T23:59:00-05:00',
    },
    waitForTasks: false,
    taskTimeoutDays: 7,
    reenrollment: 'after_exit',
    throttle: { perRepPerDay: 50 },
    autoEnroll: { filter: [{ field: 'fields.industry', eq: 'Energy' }], existingRecords: true },
  }, counter('orig'));

  it('round-trips to an identical definition, through JSON and the schema, without new ids', () => {
    const input = JSON.parse(JSON.stringify(definitionToView('Full', original)));
    const newId = counter('new');
    const again = define(input, newId);
    expect(again).toEqual(original);
    expect(newId.calls()).toBe(0);
  });

  it('round-trips the defaults too', () => {
    const plain = define(base({ steps: [email(), call()] }));
    expect(define(JSON.parse(JSON.stringify(definitionToView('Outbound Q2', plain))), counter('new'))).toEqual(plain);
  });

  it('the input names conditions by step id, not index', () => {
    const input = definitionToView('Full', original);
    expect(input.steps[2].condition).toEqual({ stepId: original.steps[1].id, is: 'not_replied' });
    expect(input.steps[2].condition).not.toHaveProperty('stepIndex');
    expect(input.boosts?.[0].stepId).toBe(original.steps[0].id);
  });

  it('editing (removing a step, inserting a new one) keeps the other step ids and their conditions', () => {
    const input = definitionToView('Full', original);
    const edited = {
      ...input,
      steps: [input.steps[0], input.steps[1], { type: 'task' as const, title: 'LinkedIn' }, input.steps[2], input.steps[4]],
    };
    const newId = counter('new');
    const def = define(edited, newId);
    expect(def.steps.map((s) => s.id)).toEqual([
      original.steps[0].id, original.steps[1].id, 'new-1', original.steps[2].id, original.steps[4].id,
    ]);
    expect(def.steps[3].condition).toEqual({ stepId: original.steps[1].id, is: 'not_replied' });
    expect(def.boosts.map((b) => b.id)).toEqual(original.boosts.map((b) => b.id));
  });

  it('removing a step another step\'s condition refers to is refused at that condition', () => {
    const input = definitionToView('Full', original);
    const edited = { ...input, steps: input.steps.filter((_, i) => i !== 2) }; // step 3's condition named step 2
    expect(errorsOf(edited).paths).toEqual(['steps.2.condition.stepId']);
  });
});
