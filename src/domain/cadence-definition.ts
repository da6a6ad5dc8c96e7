import type { BoostInput, CadenceDefinitionView, StepInput } from '../contract/cadences.ts';
import type { Boost, CadenceDefinition, CadenceInput, DefinitionError, ExitRules, Step, StepContent } from './cadence.ts';
import { DEFAULT_SCHEDULE, type Delay } from './schedule.ts';
import { checkBudget, checkTemplate, type CheckBudget } from './template.ts';
import { unknownMergeFields } from './merge-fields.ts';
import type { MergeFieldError } from '../contract/merge-fields.ts';
import { assertNever, err, ok, type Result } from './result.ts';

/** A problem with the field at `path`; a merge field no lead can have also names the field, the step and a suggestion. */
type Issue = { path: string; message: string } & Partial<Omit<MergeFieldError, 'path' | 'message'>>;
/** Which step or boost a content belongs to, for the messages. */
type Owner = { stepIndex: number; stepType: string } | { boostIndex: number; stepType: string };

export const DEFAULT_EXIT_RULES: ExitRules = {
  onReply: true,
  replyFrom: 'address',
  onMeeting: true,
  onConversion: true,
  fieldCriteria: [],
  callOutcomes: [],
  endDate: null,
};

/**
 * Turns a validated request body into the definition the engine runs: ids on every
 * step and boost, delays and conditions normalized, templates parsed. Cross-field rules
 * that a zod shape cannot say are checked here and reported with the field's path.
 */
export function buildDefinition(
  input: CadenceInput,
  newId: () => string,
  opts: { unknownMergeFields: 'refuse' | 'allow' } = { unknownMergeFields: 'refuse' },
): Result<CadenceDefinition, DefinitionError> {
  const found: Issue[] = [];
  const budget = checkBudget();
  const ids = new Set<string>();
  const steps: Step[] = input.steps.map((s, i) => {
    const id = s.id ?? newId();
    if (ids.has(id)) found.push({ path: `steps.${i}.id`, message: `duplicate step id "${id}"` });
    ids.add(id);
    return {
      id,
      type: s.type,
      delay: normalizeDelay(s, `steps.${i}`, found),
      condition: null,
      ...stepContent(s, `steps.${i}`, found, budget, { stepIndex: i, stepType: s.type }),
    };
  });
  input.steps.forEach((s, i) => {
    if (!s.condition) return;
    const target = resolveStepRef(s.condition, steps, `steps.${i}.condition`, found);
    if (target === null) return;
    if (target >= i) {
      found.push({ path: `steps.${i}.condition`, message: 'a condition must refer to an earlier step' });
      return;
    }
    const refType = steps[target].type;
    const emailOnly = ['opened', 'not_opened', 'clicked', 'not_clicked', 'replied', 'not_replied'];
    if (emailOnly.includes(s.condition.is) && refType !== 'email') {
      found.push({ path: `steps.${i}.condition.is`, message: `"${s.condition.is}" needs an email step, step ${target} is a ${refType}` });
    }
    steps[i].condition = { stepId: steps[target].id, is: s.condition.is };
  });

  const boosts: Boost[] = (input.boosts ?? []).map((b, i) => buildBoost(b, i, steps, newId, found, budget));
  const boostIds = new Set<string>();
  boosts.forEach((b, i) => {
    if (boostIds.has(b.id)) found.push({ path: `boosts.${i}.id`, message: `duplicate boost id "${b.id}"` });
    boostIds.add(b.id);
  });

  const schedule = input.schedule;
  const windows = schedule?.windows ?? [
    { start: schedule?.start ?? DEFAULT_SCHEDULE.windows[0].start, end: schedule?.end ?? DEFAULT_SCHEDULE.windows[0].end },
  ];
  windows.forEach((w, i) => {
    if (w.start >= w.end) {
      const path = schedule?.windows ? `schedule.windows.${i}` : 'schedule';
      found.push({ path, message: `the window's start ${w.start} must be before its end ${w.end}` });
    }
  });

  // A preview renders a typo'd merge field (empty, listed as missing) where a save refuses it.
  const issues = opts.unknownMergeFields === 'allow' ? found.filter((x) => x.field === undefined) : found;
  if (issues.length > 0) {
    return err({ code: 'invalid_cadence', message: issues.map((x) => `${x.path}: ${x.message}`).join('; '), details: issues });
  }
  const exitOn = input.exitOn ?? {};
  return ok({
    module: input.module ?? 'lead',
    steps,
    boosts,
    schedule: {
      days: [...new Set(schedule?.days ?? DEFAULT_SCHEDULE.days)].sort(),
      windows: [...windows].sort((a, b) => a.start.localeCompare(b.start)),
      timezone: schedule?.timezone ?? null,
    },
    exitOn: {
      onReply: exitOn.onReply ?? DEFAULT_EXIT_RULES.onReply,
      replyFrom: exitOn.replyFrom ?? DEFAULT_EXIT_RULES.replyFrom,
      onMeeting: exitOn.onMeeting ?? DEFAULT_EXIT_RULES.onMeeting,
      onConversion: exitOn.onConversion ?? DEFAULT_EXIT_RULES.onConversion,
      fieldCriteria: exitOn.fieldCriteria ?? DEFAULT_EXIT_RULES.fieldCriteria,
      callOutcomes: exitOn.callOutcomes ?? DEFAULT_EXIT_RULES.callOutcomes,
      endDate: exitOn.endDate ? new Date(exitOn.endDate).toISOString() : null,
    },
    waitForTasks: input.waitForTasks ?? true,
    taskTimeoutDays: input.taskTimeoutDays ?? 14,
    reenrollment: input.reenrollment ?? 'never',
    throttle: input.throttle ?? null,
    autoEnroll: input.autoEnroll
      ? { filter: input.autoEnroll.filter, existingRecords: input.autoEnroll.existingRecords ?? false }
      : null,
  });
}

/**
 * A stored definition as the API answers it (src/contract/cadences.ts): each step with
 * its type's fields, null where not set. It is also a valid request body, so a PATCH
 * merges into it and what GET answers PATCH accepts unchanged.
 */
export function definitionToView(name: string, def: CadenceDefinition): CadenceDefinitionView {
  return {
    name,
    module: def.module,
    steps: def.steps.map((s) => ({ id: s.id, delay: s.delay, condition: s.condition, ...contentView(s.type, s) })),
    boosts: def.boosts.map((b) => ({
      id: b.id,
      on: b.on,
      stepId: b.stepId,
      minCount: b.minCount,
      action: { delayHours: b.action.delayHours, ...contentView(b.action.type, b.action) },
    })),
    schedule: { days: def.schedule.days, windows: def.schedule.windows, timezone: def.schedule.timezone },
    // A definition stored before replyFrom existed answers the rule it runs by: 'address'.
    exitOn: { ...def.exitOn, replyFrom: def.exitOn.replyFrom ?? DEFAULT_EXIT_RULES.replyFrom },
    waitForTasks: def.waitForTasks,
    taskTimeoutDays: def.taskTimeoutDays,
    reenrollment: def.reenrollment,
    throttle: def.throttle,
    autoEnroll: def.autoEnroll,
  };
}

/** A step's or an action's content, only the fields its type has. */
function contentView(type: Step['type'], c: StepContent) {
  const shared = { title: c.title, instructions: c.instructions, priority: c.priority };
  switch (type) {
    case 'email':
      return { type, ...shared, mode: c.mode, subject: c.subject, body: c.body, threadWithPrevious: c.threadWithPrevious };
    case 'call':
    case 'task':
      return { type, ...shared };
    default:
      return assertNever(type);
  }
}

function normalizeDelay(s: StepInput, path: string, issues: Issue[]): Delay {
  if (s.delay && s.delayDays != null) {
    issues.push({ path, message: 'give either delayDays or delay, not both' });
  }
  if (s.delay) return s.delay;
  return { amount: s.delayDays ?? 0, unit: 'days' };
}

function stepContent(
  s: StepInput | BoostInput['action'],
  path: string,
  issues: Issue[],
  budget: CheckBudget,
  owner: Owner,
): StepContent {
  // Only an email has a subject, a body and a mode (the API's tagged union drops them elsewhere).
  const email = s.type === 'email' ? s : null;
  const content: StepContent = {
    mode: email?.mode ?? 'auto',
    subject: email?.subject ?? null,
    body: email?.body ?? null,
    title: s.title ?? null,
    instructions: s.instructions ?? null,
    priority: s.priority ?? 'normal',
    threadWithPrevious: email?.threadWithPrevious ?? false,
  };
  if (email) {
    if (!content.subject?.trim() && !content.threadWithPrevious) issues.push({ path: `${path}.subject`, message: 'an email step needs a subject' });
    if (!content.body?.trim()) issues.push({ path: `${path}.body`, message: 'an email step needs a body' });
  }
  if (s.type === 'task' && !content.title?.trim()) issues.push({ path: `${path}.title`, message: 'a task step needs a title' });
  for (const field of ['subject', 'body', 'title', 'instructions'] as const) {
    const source = content[field];
    if (source === null) continue;
    const problem = checkTemplate(source, budget);
    if (problem) issues.push({ path: `${path}.${field}`, message: problem.message });
    else for (const unknown of unknownMergeFields(source)) issues.push(mergeFieldIssue(`${path}.${field}`, field, owner, unknown));
  }
  return content;
}

/** `step 2 (index 1, email), body: no lead has the merge field "lead.frstName"; did you mean "lead.firstName"?` */
function mergeFieldIssue(path: string, field: string, owner: Owner, unknown: { field: string; suggestion?: string }): Issue {
  const where = 'stepIndex' in owner
    ? `step ${owner.stepIndex + 1} (index ${owner.stepIndex}, ${owner.stepType})`
    : `boost ${owner.boostIndex + 1} (index ${owner.boostIndex}, ${owner.stepType} action)`;
  const hint = unknown.suggestion ? `; did you mean "${unknown.suggestion}"?` : '; see GET /api/merge-fields (custom fields are lead.fields.<name>)';
  return {
    path,
    message: `${where}, ${field}: no lead has the merge field "${unknown.field}"${hint}`,
    field: unknown.field,
    ...(unknown.suggestion ? { suggestion: unknown.suggestion } : {}),
    ...owner,
  };
}

function resolveStepRef(
  ref: { stepId?: string | null; stepIndex?: number | null },
  steps: Step[],
  path: string,
  issues: Issue[],
): number | null {
  if (ref.stepIndex != null) {
    if (ref.stepIndex >= steps.length) {
      issues.push({ path: `${path}.stepIndex`, message: `no step at index ${ref.stepIndex}` });
      return null;
    }
    return ref.stepIndex;
  }
  const index = steps.findIndex((s) => s.id === ref.stepId);
  if (index < 0) {
    issues.push({ path: `${path}.stepId`, message: `no step with id "${ref.stepId}"` });
    return null;
  }
  return index;
}

function buildBoost(b: BoostInput, i: number, steps: Step[], newId: () => string, issues: Issue[], budget: CheckBudget): Boost {
  const path = `boosts.${i}`;
  let stepId: string | null = null;
  if (b.stepId != null || b.stepIndex != null) {
    if (b.stepId != null && b.stepIndex != null) {
      issues.push({ path, message: 'a boost names at most one of stepId or stepIndex' });
    }
    const index = resolveStepRef(b, steps, path, issues);
    if (index !== null) {
      stepId = steps[index].id;
      if (steps[index].type !== 'email') issues.push({ path, message: `a boost on ${b.on} needs an email step` });
    }
  }
  return {
    id: b.id ?? newId(),
    on: b.on,
    stepId,
    minCount: b.minCount ?? 1,
    action: { type: b.action.type, delayHours: b.action.delayHours ?? 0, ...stepContent(b.action, `${path}.action`, issues, budget, { boostIndex: i, stepType: b.action.type }) },
  };
}
