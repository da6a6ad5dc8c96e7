import { Link } from '@tanstack/react-router';
import { cn } from '@/lib/cn.ts';
import { metricTitle } from './analytics-labels.ts';

export interface LeadsTarget {
  /** The metric (`replied`, `exit:bounced`, `call:voicemail`…). */
  leads: string;
  step?: string;
  day?: string;
  owner?: string;
}

/**
 * A number that opens the list of the leads behind it (the page's own URL with
 * `leads=…`, so the list can be linked to and Back closes it). A zero is plain text:
 * there is nobody to show.
 */
export function MetricLink({ value, target, context, className }: { value: number; target: LeadsTarget; context?: string; className?: string }) {
  if (value === 0) return <span className={cn('tabular-nums text-zinc-500', className)}>0</span>;
  const label = `${value} – show the leads: ${metricTitle(target.leads)}${context ? `, ${context}` : ''}`;
  return (
    <Link
      from="/admin/cadences/$cadenceId/analytics"
      to="."
      search={(s) => ({ ...s, leads: target.leads, step: target.step, day: target.day, owner: target.owner })}
      aria-label={label}
      title={`Show the leads (${metricTitle(target.leads).toLowerCase()})`}
      className={cn('tabular-nums font-medium text-accent-700 underline decoration-accent-300 underline-offset-2 hover:decoration-accent-700', className)}
    >
      {value.toLocaleString('en')}
    </Link>
  );
}
