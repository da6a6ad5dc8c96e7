import type { CadenceDefinitionView, FieldCriterion, Step } from '@contract/cadences.ts';
import type { ConditionIs, StepType } from '@contract/enums.ts';

/**
 * The builder's form holds a cadence exactly as `GET /api/cadences/:id` answers it
 * (the contract's `cadenceDefinition`), so what it submits `PATCH` takes unchanged.
 */
export type BuilderValues = CadenceDefinitionView;

export const DEFINITION_KEYS = [
  'name', 'module', 'steps', 'boosts', 'schedule', 'exitOn', 'waitForTasks', 'taskTimeoutDays', 'reenrollment', 'throttle', 'autoEnroll',
] as const satisfies ReadonlyArray<keyof BuilderValues>;

/** The definition part of a cadence answer (its id, status and dates are not the form's). */
export function toBuilderValues(c: BuilderValues): BuilderValues {
  return Object.fromEntries(DEFINITION_KEYS.map((k) => [k, structuredClone(c[k])])) as BuilderValues;
}

/** A step's id, unique in its cadence: conditions and boosts point at steps by it. */
export function newStepId(taken: Iterable<string>): string {
  const used = new Set(taken);
  for (;;) {
    const id = `step-${Math.random().toString(36).slice(2, 8)}`;
    if (!used.has(id)) return id;
  }
}

/** A new step of `type`, two business days after the previous one (the first: at enrolment). */
export function newStep(type: StepType, id: string, first: boolean): Step {
  const base = { id, delay: { amount: first ? 0 : 2, unit: 'business_days' as const }, condition: null, instructions: null, priority: 'normal' as const };
  if (type === 'email') return { ...base, type, mode: 'auto', title: null, subject: '', body: '', threadWithPrevious: !first };
  if (type === 'call') return { ...base, type, title: null };
  return { ...base, type, title: '' };
}

export const TYPE_LABELS: Record<StepType, string> = { email: 'Email', call: 'Call', task: 'To-do' };

/** What a step's condition asks, in words: "not replied". */
export const CONDITION_WORDS: Record<ConditionIs, string> = {
  opened: 'opened', not_opened: 'not opened', clicked: 'clicked', not_clicked: 'not clicked',
  replied: 'replied', not_replied: 'not replied', completed: 'completed', not_completed: 'not completed',
};

/** The outcomes a condition may ask of a step of this type (opens and replies need an email). */
export function conditionChoices(type: StepType): ConditionIs[] {
  return type === 'email'
    ? ['not_replied', 'replied', 'not_opened', 'opened', 'not_clicked', 'clicked', 'completed', 'not_completed']
    : ['completed', 'not_completed'];
}

/** A step's one-line summary for its row: the subject, the title, or what kind it is. */
export function stepSummary(s: Step): string {
  if (s.type === 'email') return s.subject?.trim() || (s.threadWithPrevious ? 'Reply in the previous thread' : 'No subject yet');
  return s.title?.trim() || (s.type === 'call' ? 'Call {{lead.fullName}}' : 'No title yet');
}

/** Every path in the values, leaves and the objects above them, for showServerErrors to place errors at. */
export function formPaths(value: unknown, prefix = ''): string[] {
  const out: string[] = prefix ? [prefix] : [];
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...formPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return out;
}

/** `steps.2.body` → 2: which step a server error is about. */
export function stepIndexOf(path: string): number | null {
  const m = /^steps\.(\d+)(\.|$)/.exec(path);
  return m ? Number(m[1]) : null;
}

// ---- field criteria (exit rules and automatic enrolment) ----

export const CRITERION_OPS = ['in', 'eq', 'neq', 'gte', 'lte'] as const;
export type CriterionOp = (typeof CRITERION_OPS)[number];
export const OP_WORDS: Record<CriterionOp, string> = { in: 'is one of', eq: 'is', neq: 'is not', gte: 'is at least', lte: 'is at most' };

/** A criterion as its row edits it: the field, one operator and its value as text. */
export function criterionParts(c: FieldCriterion): { field: string; op: CriterionOp; text: string } {
  const op = CRITERION_OPS.find((o) => c[o] !== undefined) ?? 'in';
  const v = c[op];
  return { field: c.field, op, text: Array.isArray(v) ? v.join(', ') : v === undefined ? '' : String(v) };
}

const scalar = (t: string): string | number | boolean => {
  if (t === 'true' || t === 'false') return t === 'true';
  return t !== '' && Number.isFinite(Number(t)) && /^-?\d/.test(t) ? Number(t) : t;
};

/** Back to the contract's shape: `in` takes a comma-separated list, the others one value. */
export function criterionFrom(field: string, op: CriterionOp, text: string): FieldCriterion {
  if (op === 'in') return { field, in: text.split(',').map((s) => s.trim()).filter(Boolean).map(scalar) };
  const v = scalar(text.trim());
  return { field, [op]: op === 'gte' || op === 'lte' ? (typeof v === 'boolean' ? String(v) : v) : v } as FieldCriterion;
}

/** Lead fields a criterion usually looks at (others: custom fields by name, `fields.industry`). */
export const CRITERION_FIELDS = ['status', 'company', 'ownerId', 'timezone', 'module', 'email', 'firstName', 'lastName'] as const;
