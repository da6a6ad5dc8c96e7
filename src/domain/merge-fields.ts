import { Liquid } from 'liquidjs';
import { TEMPLATE_LIMITS } from './render-limits.ts';
import type { MergeContext } from './template.ts';

/**
 * The merge fields a template may print (what src/app/step-content.ts's mergeContext
 * gives a render), for the builder's picker and for refusing at save a field no lead
 * can have (`{{lead.frstName}}` would send "Hi "). Pure: no IO.
 *
 * Valid: `lead.<standard field>`, `lead.fields.<any name>` (custom fields are free),
 * `owner.name|email|firstName`, `sender.name|email`, `cadence.name`, and anything a
 * template defines itself (`assign`, `capture`, `for`), which Liquid's static analysis
 * leaves out. Properties read past a known field (`lead.firstName.size`) are Liquid's own.
 */
export interface MergeFieldInfo {
  field: string;
  label: string;
  example: string;
  group: 'lead' | 'owner' | 'sender' | 'cadence' | 'custom';
}

type Keys<T> = Exclude<keyof NonNullable<T>, symbol>;

/** Every field of MergeContext, with a label and an example: a field added there must be added here (the types say so). */
const STANDARD: { [R in keyof Required<MergeContext>]: Record<Keys<MergeContext[R]>, { label: string; example: string }> } = {
  lead: {
    firstName: { label: 'First name', example: 'Ada' },
    lastName: { label: 'Last name', example: 'Lovelace' },
    fullName: { label: 'Full name', example: 'Ada Lovelace' },
    email: { label: 'Email', example: 'ada@example.com' },
    company: { label: 'Company', example: 'Analytical Engines' },
    phone: { label: 'Phone', example: '+44 20 7946 0000' },
    status: { label: 'Status', example: 'New' },
    fields: { label: 'Custom fields (lead.fields.<name>)', example: '' },
  },
  owner: {
    name: { label: "Owner's name", example: 'Grace Hopper' },
    email: { label: "Owner's email", example: 'grace@example.com' },
    firstName: { label: "Owner's first name", example: 'Grace' },
  },
  sender: {
    name: { label: "Sender's name (the mailbox's From name)", example: 'Grace Hopper' },
    email: { label: "Sender's email", example: 'grace@example.com' },
  },
  cadence: {
    name: { label: 'Cadence name', example: 'Q3 outbound' },
  },
};

/** The standard fields as the picker lists them (custom fields come from the leads). */
export const MERGE_FIELDS: MergeFieldInfo[] = Object.entries(STANDARD).flatMap(([root, fields]) =>
  Object.entries(fields as Record<string, { label: string; example: string }>)
    .filter(([key]) => !(root === 'lead' && key === 'fields'))
    .map(([key, info]) => ({ field: `${root}.${key}`, label: info.label, example: info.example, group: root as MergeFieldInfo['group'] })));

/** A custom field's entry in the picker. */
export function customMergeField(name: string, example: string): MergeFieldInfo {
  return { field: customFieldPath(name), label: `Custom field "${name}"`, example, group: 'custom' };
}

const IDENTIFIER = /^[A-Za-z_][\w-]*$/;
/** `lead.fields.industry`, or `lead.fields["annual revenue"]` for a name Liquid's dots cannot reach. */
export function customFieldPath(name: string): string {
  return IDENTIFIER.test(name) ? `lead.fields.${name}` : `lead.fields[${JSON.stringify(name)}]`;
}

const KNOWN = new Set(MERGE_FIELDS.map((f) => f.field));
const ROOTS = new Set(Object.keys(STANDARD));

export interface UnknownMergeField {
  /** As written: `lead.frstName`. */
  field: string;
  /** The closest known field, when one is close. */
  suggestion?: string;
}

// Static analysis only: tags and filters need not be the engine's (an unknown filter fails the engine's parse first).
const analyser = new Liquid({ strictFilters: false, templates: {}, parseLimit: TEMPLATE_LIMITS.parseChars });

/**
 * The merge fields a template names that no lead can have, each once (grouped by root, as Liquid reports them).
 * A template that does not parse names none here (checkTemplate says why it is refused).
 */
export function unknownMergeFields(source: string): UnknownMergeField[] {
  let segments: ReturnType<Liquid['globalVariableSegmentsSync']>;
  try {
    segments = analyser.globalVariableSegmentsSync(analyser.parse(source));
  } catch {
    return [];
  }
  const out = new Map<string, UnknownMergeField>();
  for (const segs of segments) {
    const named = namedPrefix(segs);
    const bad = unknownOf(named);
    if (bad && !out.has(bad)) out.set(bad, { field: bad, ...suggest(bad) });
  }
  return [...out.values()];
}

/** The leading plain names of a variable: `lead.fields[x]` stops at `fields`. */
function namedPrefix(segs: ReadonlyArray<unknown>): string[] {
  const out: string[] = [];
  for (const s of segs) {
    if (typeof s !== 'string') break;
    out.push(s);
  }
  return out;
}

/** The unknown part of a variable (root, or root.field), or null when it is one a lead can have. */
function unknownOf(segs: string[]): string | null {
  if (segs.length === 0) return null;
  const [root, field] = segs;
  if (!ROOTS.has(root)) return segs.slice(0, 2).join('.');
  if (field === undefined) return null;
  if (root === 'lead' && field === 'fields') return null;
  return KNOWN.has(`${root}.${field}`) ? null : `${root}.${field}`;
}

function suggest(bad: string): { suggestion?: string } {
  const lower = bad.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const known of KNOWN) {
    const d = known.toLowerCase() === lower ? 0 : distance(lower, known.toLowerCase());
    if (d < bestDistance) { best = known; bestDistance = d; }
  }
  // Close enough to be a typo: a third of the name, at most 3 edits.
  if (best && bestDistance <= Math.min(3, Math.ceil(bad.length / 3))) return { suggestion: best };
  // `firstName` alone, or `laed.firstName`: the same field name under lead/owner/…
  const last = bad.split('.').pop()!.toLowerCase();
  const byName = [...KNOWN].find((k) => k.split('.')[1].toLowerCase() === last);
  return byName ? { suggestion: byName } : {};
}

/** Levenshtein distance (names are short: bounded by the 64-character cut below). */
function distance(a: string, b: string): number {
  const x = a.slice(0, 64);
  const y = b.slice(0, 64);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length];
}
