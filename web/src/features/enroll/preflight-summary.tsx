import { Ban, CircleCheck, Clock } from 'lucide-react';
import type { ReactNode } from 'react';
import type { PreflightResult } from '@contract/cadences.ts';
import { cn } from '@/lib/cn.ts';
import { byCount, heldText, leads, refusalText, who } from './enroll-format.ts';

/**
 * What enrolling would do, before anything is written: who starts now, who is enrolled
 * but held back (the daily limit, a cadence not running) and who is refused, with names
 * and reasons. Counts are whole; the lists show the first few hundred.
 */
export function PreflightSummary({ result }: { result: PreflightResult }) {
  const { counts } = result;
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col gap-2" aria-label="What enrolling would do">
        <Line icon={CircleCheck} tone="text-emerald-700" count={counts.enrolled} testId="starts-now">
          <strong className="font-semibold text-zinc-900">{leads(counts.enrolled)}</strong> would be enrolled and start now
        </Line>
        {counts.held > 0 && (
          <Line icon={Clock} tone="text-amber-700" count={counts.held} testId="held" reasons={<Reasons counts={result.heldByReason} text={heldText} />}>
            <strong className="font-semibold text-zinc-900">{leads(counts.held)}</strong> would be enrolled but held back
          </Line>
        )}
        {counts.refused > 0 && (
          <Line icon={Ban} tone="text-red-700" count={counts.refused} testId="refused" reasons={<Reasons counts={result.refusedByReason} text={refusalText} />}>
            <strong className="font-semibold text-zinc-900">{leads(counts.refused)}</strong> would be refused
          </Line>
        )}
      </ul>
      {result.held.length > 0 && (
        <Names title={`Held back (${counts.held.toLocaleString('en')})`} rows={result.held.map((l) => ({ ...l, why: l.message }))} />
      )}
      {result.refused.length > 0 && (
        <Names title={`Refused (${counts.refused.toLocaleString('en')})`} rows={result.refused.map((l) => ({ ...l, why: l.message }))} />
      )}
      {result.truncated && (
        <p className="text-[12px] text-zinc-600">The lists show the first {Math.max(result.held.length, result.refused.length, result.enrolled.length)} leads of each kind; the counts above are complete.</p>
      )}
    </div>
  );
}

function Line({ icon: Icon, tone, children, reasons, count, testId }: { icon: typeof Ban; tone: string; children: ReactNode; reasons?: ReactNode; count: number; testId: string }) {
  return (
    <li className="flex items-start gap-2 text-[13px] text-zinc-700" data-testid={testId} data-count={count}>
      <Icon className={cn('mt-0.5 size-4 shrink-0', tone)} aria-hidden="true" />
      <div className="flex flex-col gap-0.5">
        <p>{children}</p>
        {reasons}
      </div>
    </li>
  );
}

function Reasons({ counts, text }: { counts: Record<string, number>; text: (reason: string) => string }) {
  const rows = byCount(counts);
  if (rows.length === 0) return null;
  return (
    <ul className="flex flex-col text-[12px] text-zinc-600">
      {rows.map(([reason, n]) => <li key={reason}>{text(reason)}: {n.toLocaleString('en')}</li>)}
    </ul>
  );
}

/** The people behind a count, with why, in a scrolling box (open unless told otherwise). */
export function Names({ title, rows, open = true }: { title: string; rows: Array<{ recordId: string; name: string | null; email: string | null; why: string }>; open?: boolean }) {
  return (
    <details open={open} className="group rounded-md ring-1 ring-zinc-200">
      <summary className="cursor-pointer px-3 py-1.5 text-[13px] font-medium text-zinc-800 select-none hover:bg-zinc-50">{title}</summary>
      {/* Focusable: a keyboard scrolls the list (the rows hold no control of their own). */}
      <ul className="max-h-44 overflow-y-auto border-t border-zinc-200" aria-label={title} tabIndex={0}>
        {rows.map((r) => (
          <li key={r.recordId} className="flex flex-col gap-0.5 border-b border-zinc-100 px-3 py-1.5 text-[13px] last:border-b-0 sm:flex-row sm:items-baseline sm:justify-between sm:gap-3">
            <span className="min-w-0 truncate">
              <span className="font-medium text-zinc-900">{who(r)}</span>
              {r.name && r.email && <span className="text-zinc-600"> · {r.email}</span>}
            </span>
            <span className="shrink-0 text-[12px] text-zinc-700">{r.why}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
