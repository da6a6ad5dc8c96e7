import { z } from 'zod';
import { isValidTimeZone, type Delay, type ScheduleSpec } from './schedule.ts';

/** One zod schema per shape: validation, TS types and the OpenAPI document derive from these. */

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as "HH:MM"');
export const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { message: 'unknown time zone (expected an IANA name such as "Europe/Paris")' });

export const delayUnitSchema = z.enum(['minutes', 'hours', 'days', 'business_days']);
export const delaySchema = z.object({
  amount: z.number().min(0).max(3650),
  unit: delayUnitSchema,
});

export const conditionIsSchema = z.enum([
  'opened', 'not_opened', 'clicked', 'not_clicked', 'replied', 'not_replied', 'completed', 'not_completed',
]);
export const conditionSchema = z
  .object({
    stepId: z.string().optional(),
    stepIndex: z.number().int().min(0).optional(),
    is: conditionIsSchema,
  })
  .refine((c) => (c.stepId === undefined) !== (c.stepIndex === undefined), {
    message: 'a condition names exactly one of stepId or stepIndex',
  });

export const stepTypeSchema = z.enum(['email', 'call', 'task']);
export const prioritySchema = z.enum(['low', 'normal', 'high']);

const stepContent = {
  mode: z.enum(['auto', 'manual']).optional(),
  subject: z.string().max(998).optional(),
  body: z.string().max(100_000).optional(),
  title: z.string().max(500).optional(),
  instructions: z.string().max(20_000).optional(),
  priority: prioritySchema.optional(),
  threadWithPrevious: z.boolean().optional(),
};

export const stepInputSchema = z.object({
  id: z.string().min(1).max(64).optional(),
  type: stepTypeSchema,
  delayDays: z.number().min(0).max(3650).optional(),
  delay: delaySchema.optional(),
  ...stepContent,
  condition: conditionSchema.optional(),
});

export const scheduleSchema = z.object({
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  start: hhmm.optional(),
  end: hhmm.optional(),
  windows: z.array(z.object({ start: hhmm, end: hhmm })).min(1).max(12).optional(),
  timezone: timeZoneSchema.optional(),
});

export const fieldCriterionSchema = z
  .strictObject({
    field: z.string().min(1),
    in: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
    eq: z.union([z.string(), z.number(), z.boolean()]).optional(),
    neq: z.union([z.string(), z.number(), z.boolean()]).optional(),
    gte: z.union([z.string(), z.number()]).optional(),
    lte: z.union([z.string(), z.number()]).optional(),
  })
  .refine((c) => ['in', 'eq', 'neq', 'gte', 'lte'].some((k) => c[k as keyof typeof c] !== undefined), {
    message: 'a criterion compares its field with one of in, eq, neq, gte or lte',
  });

export const exitOnSchema = z.object({
  onReply: z.boolean().optional(),
  onMeeting: z.boolean().optional(),
  onConversion: z.boolean().optional(),
  fieldCriteria: z.array(fieldCriterionSchema).optional(),
  callOutcomes: z.array(z.string().min(1)).optional(),
  endDate: z.iso.datetime({ offset: true }).optional(),
});

export const boostInputSchema = z.object({
  id: z.string().min(1).max(64).optional(),
  on: z.enum(['opened', 'clicked']),
  stepId: z.string().optional(),
  stepIndex: z.number().int().min(0).optional(),
  minCount: z.number().int().min(1).max(1000).optional(),
  action: z.object({
    type: stepTypeSchema,
    delayHours: z.number().min(0).max(24 * 365).optional(),
    ...stepContent,
  }),
});

export const cadenceSettingsSchema = {
  schedule: scheduleSchema.optional(),
  exitOn: exitOnSchema.optional(),
  waitForTasks: z.boolean().optional(),
  taskTimeoutDays: z.number().min(0).max(365).optional(),
  reenrollment: z.enum(['never', 'after_exit', 'always']).optional(),
  throttle: z.object({ perRepPerDay: z.number().int().min(1).max(100_000) }).optional(),
  autoEnroll: z
    .object({ filter: z.array(fieldCriterionSchema).min(1), existingRecords: z.boolean().optional() })
    .optional(),
};

export const moduleSchema = z.enum(['lead', 'contact']);

export const cadenceInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  module: moduleSchema.optional(),
  steps: z.array(stepInputSchema).min(1).max(100),
  boosts: z.array(boostInputSchema).max(50).optional(),
  ...cadenceSettingsSchema,
});
export type CadenceInput = z.infer<typeof cadenceInputSchema>;

export const cadencePatchSchema = cadenceInputSchema.partial();
export type CadencePatch = z.infer<typeof cadencePatchSchema>;

// ---- the normalized definition the engine runs ----

export type StepType = z.infer<typeof stepTypeSchema>;
export type ConditionIs = z.infer<typeof conditionIsSchema>;
export type FieldCriterion = z.infer<typeof fieldCriterionSchema>;

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
  details: Array<{ path: string; message: string }>;
}
