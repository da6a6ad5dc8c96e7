import type { ApiSignalType, ExitReason } from '../contract/enums.ts';
import type { Boost, CadenceDefinition, ExitRules, FieldCriterion } from './cadence.ts';
import { assertNever } from './result.ts';

export type { ExitReason } from '../contract/enums.ts';

/** What the rules react to: the signals a client may send, and a conversion. */
export type SignalType = ApiSignalType | 'converted';

/** The exit a signal causes under a cadence's rules; bounce and unsubscribe always exit. */
export function exitReasonFor(signal: SignalType, rules: ExitRules): ExitReason | null {
  switch (signal) {
    case 'replied': return rules.onReply ? 'replied' : null;
    case 'meeting_booked': return rules.onMeeting ? 'meeting_booked' : null;
    case 'converted': return rules.onConversion ? 'converted' : null;
    case 'bounced': return 'bounced';
    case 'unsubscribed': return 'unsubscribed';
    case 'opened':
    case 'clicked': return null;
    default: return assertNever(signal);
  }
}

/** A record as rules see it: standard fields by their API names, custom ones under fields. */
export interface RecordView {
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  phone: string | null;
  status: string;
  module: string;
  timezone: string | null;
  ownerId: string | null;
  fields: Record<string, unknown>;
}

export function fieldValue(record: RecordView, field: string): unknown {
  const custom = field.startsWith('fields.') ? field.slice('fields.'.length) : null;
  if (custom !== null) return record.fields[custom];
  if (field in record && field !== 'fields') return record[field as keyof RecordView];
  return record.fields[field];
}

export function criterionMatches(record: RecordView, c: FieldCriterion): boolean {
  const value = fieldValue(record, c.field);
  const same = (x: unknown) => (typeof value === 'string' && typeof x === 'string'
    ? value.toLowerCase() === x.toLowerCase()
    : value === x);
  if (c.in !== undefined && !c.in.some(same)) return false;
  if (c.eq !== undefined && !same(c.eq)) return false;
  if (c.neq !== undefined && same(c.neq)) return false;
  if (c.gte !== undefined && !(value !== null && value !== undefined && (value as number | string) >= c.gte)) return false;
  if (c.lte !== undefined && !(value !== null && value !== undefined && (value as number | string) <= c.lte)) return false;
  return true;
}

/** Field-criteria exits: any one criterion that matches ends the enrolment. */
export function criteriaExitMet(record: RecordView, rules: ExitRules): boolean {
  return rules.fieldCriteria.some((c) => criterionMatches(record, c));
}

/** An auto-enrolment filter: every criterion must match. */
export function filterMatches(record: RecordView, filter: FieldCriterion[]): boolean {
  return filter.every((c) => criterionMatches(record, c));
}

export function callOutcomeExits(outcome: string | null | undefined, rules: ExitRules): boolean {
  return !!outcome && rules.callOutcomes.includes(outcome);
}

/**
 * Boosts an intent signal fires: those on this kind of signal, on this step (or on
 * any step), whose threshold the count of human signals has just reached.
 */
export function boostsFiredBy(
  def: CadenceDefinition,
  signal: 'opened' | 'clicked',
  stepId: string | null,
  humanCount: number | ((boostStepId: string | null) => number),
): Boost[] {
  // A boost on any step counts signals across all steps; a boost on a step, that step's.
  const countFor = typeof humanCount === 'number' ? () => humanCount : humanCount;
  return def.boosts.filter(
    (b) => b.on === signal && (b.stepId === null || b.stepId === stepId) && countFor(b.stepId) >= b.minCount,
  );
}
