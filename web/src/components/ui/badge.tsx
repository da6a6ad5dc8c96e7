import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

const TONES = {
  neutral: 'bg-zinc-100 text-zinc-700 ring-zinc-200',
  accent: 'bg-accent-50 text-accent-700 ring-accent-100',
  success: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  warning: 'bg-amber-50 text-amber-800 ring-amber-200',
  danger: 'bg-red-50 text-red-700 ring-red-200',
} as const;

export type BadgeTone = keyof typeof TONES;

/** A short status label (`hot`, `admin`, `overdue`). Colours pass WCAG AA on their background. */
export function Badge({ tone = 'neutral', children, className }: { tone?: BadgeTone; children: ReactNode; className?: string }) {
  return (
    <span className={cn('inline-flex h-5 items-center gap-1 rounded px-1.5 text-[12px] font-medium ring-1 ring-inset', TONES[tone], className)}>
      {children}
    </span>
  );
}
