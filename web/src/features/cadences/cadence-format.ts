import type { CadenceStatus } from '@contract/enums.ts';
import type { BadgeTone } from '@/components/ui/badge.tsx';

export const CADENCE_STATUS: Record<CadenceStatus, { label: string; tone: BadgeTone; meaning: string }> = {
  draft: { label: 'Draft', tone: 'neutral', meaning: 'Being written: nothing runs until it is activated' },
  active: { label: 'Active', tone: 'success', meaning: 'Running: steps go out on schedule' },
  paused: { label: 'Paused', tone: 'warning', meaning: 'Nothing runs; enrolments wait where they are' },
  archived: { label: 'Archived', tone: 'neutral', meaning: 'Retired: its enrolments never run again' },
};

/** The order a list shows them in: running first, retired last. */
export const STATUS_ORDER: Record<CadenceStatus, number> = { active: 0, paused: 1, draft: 2, archived: 3 };

/** 0.234 → "23%", 0.004 → "0.4%", null → "—". */
export function percent(rate: number | null): string {
  if (rate === null) return '—';
  const p = rate * 100;
  return `${p > 0 && p < 1 ? p.toFixed(1) : Math.round(p)}%`;
}

/** 12345 → "12,345". */
export const number = (n: number) => n.toLocaleString('en');
