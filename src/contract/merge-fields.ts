import { z } from 'zod';

/**
 * Merge fields (`GET /api/merge-fields`): what a step's subject, body, title or
 * instructions may print, for the builder's picker. A cadence or boost whose template
 * names anything else (`{{lead.frstName}}`) is refused at save with a 400 whose
 * `details` carry a `mergeFieldError` per use: `path` like `body.steps.1.body`.
 *
 * Custom fields are `lead.fields.<name>` (any name: a lead's custom fields are free);
 * `items` lists the standard ones and `customFields` the names leads carry now.
 */
export const MERGE_FIELD_GROUPS = ['lead', 'owner', 'sender', 'cadence', 'custom'] as const;

export const mergeField = z.object({
  /** As written in a template: `lead.firstName`, `lead.fields.industry`. */
  field: z.string(),
  label: z.string(),
  example: z.string(),
  group: z.enum(MERGE_FIELD_GROUPS),
  /** How the picker inserts it: `{{lead.firstName | fallback: "there"}}`. */
  snippet: z.string(),
});
export type MergeField = z.infer<typeof mergeField>;

export const mergeFieldList = z.object({ items: z.array(mergeField) });

/** One entry of a 400's `details` for a merge field no lead can have. */
export const mergeFieldError = z.object({
  /** `body.steps.1.body`, `body.boosts.0.action.subject`. */
  path: z.string(),
  message: z.string(),
  /** The unknown field as written: `lead.frstName`. */
  field: z.string(),
  /** The closest known field, when one is close: `lead.firstName`. */
  suggestion: z.string().optional(),
  /** The step (from 0), for a step's template; `boostIndex` instead for a boost's action. */
  stepIndex: z.number().int().optional(),
  /** The step's type, or the boost action's: `email`, `call`, `task`. */
  stepType: z.string().optional(),
  boostIndex: z.number().int().optional(),
});
export type MergeFieldError = z.infer<typeof mergeFieldError>;
