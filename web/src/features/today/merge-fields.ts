/**
 * Which of a draft's missing merge fields the rep's edits still print. The server named
 * them (`missing`) and stays the final word on send (422); this re-check lifts the block
 * as soon as the rep replaces `{{ lead.company }}` with text or gives it a fallback.
 */

export type DraftPart = 'subject' | 'body';

export interface MissingField {
  field: string;
  /** Where it is still printed. */
  in: DraftPart[];
}

const TAG = /\{\{-?([\s\S]*?)-?\}\}/g;

/** Whether `text` prints `field` in a `{{ }}` tag with no fallback or default filter. */
export function printsField(text: string, field: string): boolean {
  for (const match of text.matchAll(TAG)) {
    const [head, ...filters] = match[1]!.split('|').map((part) => part.trim());
    if (head !== field) continue;
    const replaced = filters.some((f) => /^(fallback|default)\b/.test(f));
    if (!replaced) return true;
  }
  return false;
}

/** The fields of `missing` that the subject or the body still print, each with where. */
export function stillMissing(missing: readonly string[], texts: Record<DraftPart, string>): MissingField[] {
  return missing
    .map((field) => ({ field, in: (['subject', 'body'] as const).filter((part) => printsField(texts[part], field)) }))
    .filter((m) => m.in.length > 0);
}

const SCOPES: Record<string, string> = { lead: 'the lead’s', owner: 'your', sender: 'the sender’s', cadence: 'the cadence’s' };

/** `lead.firstName` → "the lead’s first name"; `owner.name` → "your name". */
export function fieldDescription(field: string): string {
  const [scope, ...rest] = field.split('.');
  const words = rest.join(' ').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ').toLowerCase();
  const owner = SCOPES[scope ?? ''];
  return owner && words ? `${owner} ${words}` : field;
}
