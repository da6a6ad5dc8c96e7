import { describe, it, expect } from 'vitest';
import type { z } from 'zod';
import { cadenceInput as cadenceInputSchema } from '../contract/cadences.ts';
import { type CadenceDefinition, type ExitRules } from './cadence.ts';
import { buildDefinition, DEFAULT_EXIT_RULES } from './cadence-definition.ts';
import {
  boostsFiredBy,
  callOutcomeExits,
  criteriaExitMet,
  criterionMatches,
  exitReasonFor,
  fieldValue,
  filterMatches,
  type RecordView,
  type SignalType,
} from './rules.ts';

function counter(prefix = 'id') {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

function define(input: Omit<z.input<typeof cadenceInputSchema>, 'name'>): CadenceDefinition {
  const built = buildDefinition(cadenceInputSchema.parse({ name: 'Rules', ...input }), counter('r'));
  if (!built.ok) throw new Error(built.error.message);
  return built.value;
}

function record(r: Partial<RecordView> = {}): RecordView {
  return {
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    company: 'Analytical Engines',
    phone: null,
    status: 'New',
    module: 'lead',
    timezone: 'Europe/London',
    ownerId: 'owner-1',
    fields: {},
    ...r,
  };
}

const rules = (r: Partial<ExitRules> = {}): ExitRules => ({ ...DEFAULT_EXIT_RULES, ...r });

describe('exitReasonFor', () => {
  it('by default a reply, a booked meeting and a conversion each exit with their reason', () => {
    const def = define({ steps: [{ type: 'call' }] });
    expect(exitReasonFor('replied', def.exitOn)).toBe('replied');
    expect(exitReasonFor('meeting_booked', def.exitOn)).toBe('meeting_booked');
    expect(exitReasonFor('converted', def.exitOn)).toBe('converted');
  });

  it('each of them can be switched off by the cadence', () => {
    const def = define({ steps: [{ type: 'call' }], exitOn: { onReply: false, onMeeting: false, onConversion: false } });
    expect(exitReasonFor('replied', def.exitOn)).toBeNull();
    expect(exitReasonFor('meeting_booked', def.exitOn)).toBeNull();
    expect(exitReasonFor('converted', def.exitOn)).toBeNull();
  });

  it('switches are independent', () => {
    const r = rules({ onReply: false });
    expect(exitReasonFor('replied', r)).toBeNull();
    expect(exitReasonFor('meeting_booked', r)).toBe('meeting_booked');
    expect(exitReasonFor('converted', r)).toBe('converted');
  });

  it.each([
    ['all on', rules()],
    ['all off', rules({ onReply: false, onMeeting: false, onConversion: false })],
  ])('a bounce and an unsubscribe always exit (%s)', (_name, r) => {
    expect(exitReasonFor('bounced', r)).toBe('bounced');
    expect(exitReasonFor('unsubscribed', r)).toBe('unsubscribed');
  });

  it('opens and clicks are never exits', () => {
    const signals: SignalType[] = ['opened', 'clicked'];
    for (const s of signals) expect(exitReasonFor(s, rules())).toBeNull();
  });
});

describe('fieldValue', () => {
  const r = record({ status: 'Contacted', fields: { industry: 'Aerospace', status: 'custom-status', score: 42 } });

  it('reads standard fields by their API names', () => {
    expect(fieldValue(r, 'status')).toBe('Contacted');
    expect(fieldValue(r, 'company')).toBe('Analytical Engines');
    expect(fieldValue(r, 'phone')).toBeNull();
  });

  it('reads custom fields under "fields." and by bare name', () => {
    expect(fieldValue(r, 'fields.industry')).toBe('Aerospace');
    expect(fieldValue(r, 'industry')).toBe('Aerospace');
    expect(fieldValue(r, 'fields.score')).toBe(42);
  });

  it('a "fields." prefix reads the custom field even when a standard one has the same name', () => {
    expect(fieldValue(r, 'fields.status')).toBe('custom-status');
    expect(fieldValue(r, 'status')).toBe('Contacted');
  });

  it('an unknown field is undefined', () => {
    expect(fieldValue(r, 'nope')).toBeUndefined();
    expect(fieldValue(r, 'fields.nope')).toBeUndefined();
  });
});

describe('criterionMatches', () => {
  it('in: matches one of the values, strings compared without case', () => {
    expect(criterionMatches(record({ status: 'Qualified' }), { field: 'status', in: ['Qualified'] })).toBe(true);
    expect(criterionMatches(record({ status: 'qualified' }), { field: 'status', in: ['Qualified', 'Won'] })).toBe(true);
    expect(criterionMatches(record({ status: 'New' }), { field: 'status', in: ['Qualified', 'Won'] })).toBe(false);
    expect(criterionMatches(record(), { field: 'status', in: [] })).toBe(false);
  });

  it('eq / neq', () => {
    expect(criterionMatches(record({ company: 'ACME' }), { field: 'company', eq: 'acme' })).toBe(true);
    expect(criterionMatches(record({ company: 'ACME' }), { field: 'company', eq: 'Initech' })).toBe(false);
    expect(criterionMatches(record({ company: 'ACME' }), { field: 'company', neq: 'acme' })).toBe(false);
    expect(criterionMatches(record({ company: 'ACME' }), { field: 'company', neq: 'Initech' })).toBe(true);
  });

  it('does not coerce types: the number 5 is not the string "5"', () => {
    expect(criterionMatches(record({ fields: { seats: '5' } }), { field: 'seats', eq: 5 })).toBe(false);
    expect(criterionMatches(record({ fields: { seats: 5 } }), { field: 'seats', eq: 5 })).toBe(true);
    expect(criterionMatches(record({ fields: { vip: true } }), { field: 'fields.vip', eq: true })).toBe(true);
    expect(criterionMatches(record({ fields: { vip: false } }), { field: 'fields.vip', eq: true })).toBe(false);
  });

  it('gte / lte on numbers and on ISO dates', () => {
    const r = record({ fields: { score: 80, lastContact: '2026-01-10' } });
    expect(criterionMatches(r, { field: 'score', gte: 50 })).toBe(true);
    expect(criterionMatches(r, { field: 'score', gte: 80 })).toBe(true);
    expect(criterionMatches(r, { field: 'score', gte: 81 })).toBe(false);
    expect(criterionMatches(r, { field: 'score', lte: 80 })).toBe(true);
    expect(criterionMatches(r, { field: 'score', lte: 79 })).toBe(false);
    expect(criterionMatches(r, { field: 'score', gte: 50, lte: 100 })).toBe(true);
    expect(criterionMatches(r, { field: 'lastContact', lte: '2026-02-01' })).toBe(true);
    expect(criterionMatches(r, { field: 'lastContact', gte: '2026-02-01' })).toBe(false);
  });

  it('gte / lte never match a missing or null value', () => {
    expect(criterionMatches(record(), { field: 'score', gte: 0 })).toBe(false);
    expect(criterionMatches(record(), { field: 'score', lte: 100 })).toBe(false);
    expect(criterionMatches(record({ fields: { score: null } }), { field: 'score', gte: 0 })).toBe(false);
  });

  it('every operator in one criterion must hold', () => {
    const r = record({ status: 'Qualified', fields: { score: 30 } });
    expect(criterionMatches(r, { field: 'status', in: ['Qualified'], neq: 'Qualified' })).toBe(false);
    expect(criterionMatches(r, { field: 'status', in: ['Qualified', 'Won'], neq: 'Won' })).toBe(true);
  });
});

describe('criteriaExitMet: any one criterion ends the enrolment', () => {
  const r = rules({ fieldCriteria: [{ field: 'status', in: ['Qualified'] }, { field: 'fields.score', gte: 90 }] });

  it('matches when one criterion matches', () => {
    expect(criteriaExitMet(record({ status: 'Qualified' }), r)).toBe(true);
    expect(criteriaExitMet(record({ status: 'New', fields: { score: 95 } }), r)).toBe(true);
  });

  it('does not match when none does', () => {
    expect(criteriaExitMet(record({ status: 'Contacted', fields: { score: 10 } }), r)).toBe(false);
  });

  it('no criteria, no exit', () => {
    expect(criteriaExitMet(record({ status: 'Qualified' }), rules())).toBe(false);
  });

  it('works on a definition built from input (status in [Qualified])', () => {
    const def = define({ steps: [{ type: 'call' }], exitOn: { fieldCriteria: [{ field: 'status', in: ['Qualified'] }] } });
    expect(criteriaExitMet(record({ status: 'QUALIFIED' }), def.exitOn)).toBe(true);
    expect(criteriaExitMet(record({ status: 'New' }), def.exitOn)).toBe(false);
  });
});

describe('filterMatches: an auto-enrolment filter needs every criterion', () => {
  const filter = [{ field: 'status', eq: 'New' }, { field: 'fields.industry', in: ['Aerospace', 'Energy'] }];

  it('matches only when all criteria match', () => {
    expect(filterMatches(record({ status: 'New', fields: { industry: 'Energy' } }), filter)).toBe(true);
    expect(filterMatches(record({ status: 'New', fields: { industry: 'Retail' } }), filter)).toBe(false);
    expect(filterMatches(record({ status: 'Contacted', fields: { industry: 'Energy' } }), filter)).toBe(false);
  });

  it('the same criteria as exit criteria need only one (any vs all)', () => {
    const r = record({ status: 'New', fields: { industry: 'Retail' } });
    expect(filterMatches(r, filter)).toBe(false);
    expect(criteriaExitMet(r, rules({ fieldCriteria: filter }))).toBe(true);
  });
});

describe('callOutcomeExits', () => {
  const r = rules({ callOutcomes: ['not_interested', 'wrong_number'] });

  it('exits on an outcome the cadence names', () => {
    expect(callOutcomeExits('not_interested', r)).toBe(true);
    expect(callOutcomeExits('wrong_number', r)).toBe(true);
  });

  it('does not exit on other outcomes, or none', () => {
    expect(callOutcomeExits('voicemail', r)).toBe(false);
    expect(callOutcomeExits('connected', r)).toBe(false);
    expect(callOutcomeExits(null, r)).toBe(false);
    expect(callOutcomeExits(undefined, r)).toBe(false);
    expect(callOutcomeExits('', r)).toBe(false);
  });

  it('never exits when the cadence names no outcome (the default)', () => {
    expect(callOutcomeExits('not_interested', rules())).toBe(false);
  });
});

describe('boostsFiredBy', () => {
  const def = define({
    steps: [
      { type: 'email', subject: 'One', body: 'b' },
      { type: 'email', subject: 'Two', body: 'b', delayDays: 2 },
      { type: 'call', delayDays: 2 },
    ],
    boosts: [
      { id: 'call-on-2-opens', on: 'opened', stepIndex: 1, minCount: 2, action: { type: 'call', instructions: 'They are reading' } },
      { id: 'email-on-click', on: 'clicked', action: { type: 'email', subject: 'Saw you clicked', body: 'b', delayHours: 1 } },
      { id: 'task-on-first-open', on: 'opened', stepIndex: 0, action: { type: 'task', title: 'Look them up' } },
    ],
  });
  const step = (i: number) => def.steps[i].id;
  const ids = (bs: { id: string }[]) => bs.map((b) => b.id);

  it('the definition carries normalized boosts', () => {
    expect(def.boosts.map((b) => [b.id, b.on, b.stepId, b.minCount, b.action.delayHours])).toEqual([
      ['call-on-2-opens', 'opened', step(1), 2, 0],
      ['email-on-click', 'clicked', null, 1, 1],
      ['task-on-first-open', 'opened', step(0), 1, 0],
    ]);
  });

  it('fires an opens boost only once the human open count reaches minCount', () => {
    expect(ids(boostsFiredBy(def, 'opened', step(1), 0))).toEqual([]);
    expect(ids(boostsFiredBy(def, 'opened', step(1), 1))).toEqual([]);
    expect(ids(boostsFiredBy(def, 'opened', step(1), 2))).toEqual(['call-on-2-opens']);
    // at or past the threshold it is still a candidate; "at most once" is kept by the caller's firing record
    expect(ids(boostsFiredBy(def, 'opened', step(1), 5))).toEqual(['call-on-2-opens']);
  });

  it('minCount defaults to 1', () => {
    expect(ids(boostsFiredBy(def, 'opened', step(0), 1))).toEqual(['task-on-first-open']);
  });

  it('only boosts on this step (or on any step) fire', () => {
    expect(ids(boostsFiredBy(def, 'opened', step(2), 10))).toEqual([]);
    expect(ids(boostsFiredBy(def, 'opened', step(0), 10))).toEqual(['task-on-first-open']);
  });

  it('only boosts on this kind of signal fire: a click does not fire an opens boost', () => {
    expect(ids(boostsFiredBy(def, 'clicked', step(1), 3))).toEqual(['email-on-click']);
    expect(ids(boostsFiredBy(def, 'clicked', step(0), 1))).toEqual(['email-on-click']);
    expect(ids(boostsFiredBy(def, 'clicked', null, 1))).toEqual(['email-on-click']);
  });

  it('a signal with no step fires only boosts on any step', () => {
    expect(ids(boostsFiredBy(def, 'opened', null, 10))).toEqual([]);
  });

  it('a cadence without boosts fires none', () => {
    const plain = define({ steps: [{ type: 'email', subject: 's', body: 'b' }] });
    expect(boostsFiredBy(plain, 'opened', plain.steps[0].id, 100)).toEqual([]);
  });
});
