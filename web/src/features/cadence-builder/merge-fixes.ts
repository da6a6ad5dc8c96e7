import { createContext } from 'react';
import { mergeFieldError } from '@contract/merge-fields.ts';
import { isApiError } from '@/api/api-error.ts';

/** A refused merge field and the known field the server suggests instead, by form path (`steps.1.body`). */
export interface MergeFix {
  field: string;
  suggestion: string;
}

/** The fixes a refused save offered, for each template field to show its "Use lead.firstName" button. */
export const MergeFixesContext = createContext<ReadonlyMap<string, MergeFix>>(new Map());

/** From a 400's details: each unknown merge field with a suggestion, at its form path. */
export function mergeFixesOf(error: unknown): Map<string, MergeFix> {
  const fixes = new Map<string, MergeFix>();
  if (!isApiError(error) || !Array.isArray(error.details)) return fixes;
  for (const d of error.details) {
    const parsed = mergeFieldError.safeParse(d);
    if (!parsed.success || !parsed.data.suggestion) continue;
    const path = parsed.data.path.replace(/^body\./, '');
    if (!fixes.has(path)) fixes.set(path, { field: parsed.data.field, suggestion: parsed.data.suggestion });
  }
  return fixes;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The template with every tag that prints `field` printing `suggestion` instead (filters and fallbacks kept). */
export function applyMergeFix(template: string, { field, suggestion }: MergeFix): string {
  return template.replace(new RegExp(`(\\{\\{-?\\s*)${escape(field)}(?![\\w.])`, 'g'), `$1${suggestion}`);
}
