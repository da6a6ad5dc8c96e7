import type { FieldCriterion } from '@contract/cadences.ts';
import type { Module } from '@contract/enums.ts';

/**
 * Query keys of what the cadence builder reads beside the cadence itself (that one is
 * `cadenceKey(id)` in data/enrollments: `['cadences', 'detail', id]`). Under
 * `['cadences']`, so a change to a cadence refreshes its previews too.
 */
export const builderKeys = {
  preview: (id: string, recordId: string, definition: unknown) => ['cadences', 'preview', id, recordId, definition] as const,
  matches: (filter: FieldCriterion[], module: Module) => ['cadences', 'auto-enroll-matches', module, filter] as const,
  mergeFields: ['merge-fields'] as const,
  leadSearch: (q: string) => ['leads', 'search', q] as const,
};
