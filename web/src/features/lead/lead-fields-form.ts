import type { FieldErrors, Resolver } from 'react-hook-form';
import { leadPatch, type Lead, type LeadPatch } from '@contract/leads.ts';
import { formErrorMessages } from '@/lib/forms.ts';

/** The lead's fields as the form edits them: text boxes, custom fields by name. */
export interface LeadFieldValues {
  firstName: string;
  lastName: string;
  email: string;
  company: string;
  phone: string;
  status: string;
  timezone: string;
  fields: Record<string, string>;
}

export const STANDARD_FIELDS = [
  { name: 'firstName', label: 'First name' },
  { name: 'lastName', label: 'Last name' },
  { name: 'email', label: 'Email' },
  { name: 'phone', label: 'Phone' },
  { name: 'company', label: 'Company' },
  { name: 'status', label: 'Status' },
  { name: 'timezone', label: 'Time zone' },
] as const satisfies ReadonlyArray<{ name: keyof Omit<LeadFieldValues, 'fields'>; label: string }>;

/** A custom field's value as text; objects and lists are shown, not edited. */
export const isEditableValue = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
export const customText = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function toFormValues(lead: Lead): LeadFieldValues {
  return {
    firstName: lead.firstName ?? '',
    lastName: lead.lastName ?? '',
    email: lead.email,
    company: lead.company ?? '',
    phone: lead.phone ?? '',
    status: lead.status,
    timezone: lead.timezone ?? '',
    fields: Object.fromEntries(Object.entries(lead.fields).filter(([, v]) => isEditableValue(v)).map(([k, v]) => [k, customText(v)])),
  };
}

/** Back to the type it had: a number stays a number, true/false a boolean; empty is null. */
function customValue(text: string, before: unknown): unknown {
  const t = text.trim();
  if (t === '') return null;
  if (typeof before === 'number' && Number.isFinite(Number(t))) return Number(t);
  if (typeof before === 'boolean' && (t === 'true' || t === 'false')) return t === 'true';
  return t;
}

/** Only what changed goes to `PATCH` (a field change is a signal: exit criteria run on it). */
export function toPatch(values: LeadFieldValues, lead: Lead): LeadPatch {
  const patch: Record<string, unknown> = {};
  const before = toFormValues(lead);
  for (const { name } of STANDARD_FIELDS) {
    if (values[name].trim() === before[name].trim()) continue;
    const t = values[name].trim();
    patch[name] = name === 'email' || name === 'status' ? t : t === '' ? null : t;
  }
  const fields: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(values.fields)) {
    if (text.trim() !== (before.fields[key] ?? '').trim()) fields[key] = customValue(text, lead.fields[key]);
  }
  if (Object.keys(fields).length > 0) patch.fields = fields;
  return patch as LeadPatch;
}

/**
 * Validates with the contract's `leadPatch`, so the form refuses exactly what the API
 * would; what it hands to submit is the patch of changed fields.
 */
export function leadPatchResolver(lead: Lead): Resolver<LeadFieldValues, unknown, LeadPatch> {
  return async (values) => {
    const patch = toPatch(values, lead);
    const parsed = leadPatch.safeParse(patch, formErrorMessages);
    if (parsed.success) return { values: parsed.data, errors: {} };
    const errors: Record<string, unknown> = {};
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      let at = errors;
      for (const part of path.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
      const last = path[path.length - 1] ?? 'root';
      at[last] ??= { type: issue.code, message: issue.message };
    }
    return { values: {}, errors: errors as FieldErrors<LeadFieldValues> };
  };
}
