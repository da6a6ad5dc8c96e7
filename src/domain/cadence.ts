import type { ConditionIs, FieldCriterion, StepType } from '../contract/index.ts';
import type { Delay, ScheduleSpec } from './schedule.ts';

/**
 * The definition the engine runs, normalized from the API's shapes (src/contract/cadences.ts)
 * by buildDefinition: every step and boost has an id, delays and conditions are resolved.
 */
export type { CadenceInput, CadencePatch, ConditionIs, FieldCriterion, StepType } from '../contract/index.ts';

export interface StepContent {
  mode: 'auto' | 'manual';
  subject: string | null;
  body: string | null;
  title: string | null;
  instructions: string | null;
  priority: 'low' | 'normal' | 'high';
  threadWithPrevious: boolean;
}

export interface Step extends StepContent {
  id: string;
  type: StepType;
  delay: Delay;
  condition: { stepId: string; is: ConditionIs } | null;
}

export interface Boost {
  id: string;
  on: 'opened' | 'clicked';
  stepId: string | null;
  minCount: number;
  action: StepContent & { type: StepType; delayHours: number };
}

export interface ExitRules {
  onReply: boolean;
  /** Whose reply exits: the lead's address, or anyone at its domain. Definitions stored before it lack it: 'address'. */
  replyFrom: 'address' | 'domain';
  onMeeting: boolean;
  onConversion: boolean;
  fieldCriteria: FieldCriterion[];
  callOutcomes: string[];
  endDate: string | null;
}

export interface CadenceDefinition {
  module: 'lead' | 'contact';
  steps: Step[];
  boosts: Boost[];
  schedule: ScheduleSpec & { timezone: string | null };
  exitOn: ExitRules;
  waitForTasks: boolean;
  taskTimeoutDays: number;
  reenrollment: 'never' | 'after_exit' | 'always';
  throttle: { perRepPerDay: number } | null;
  autoEnroll: { filter: FieldCriterion[]; existingRecords: boolean } | null;
}

export interface DefinitionError {
  code: 'invalid_cadence';
  message: string;
  details: Array<{ path: string; message: string; [more: string]: unknown }>;
}
