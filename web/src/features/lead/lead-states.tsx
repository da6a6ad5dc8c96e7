import { Link } from '@tanstack/react-router';
import { CircleAlert, UserRoundX } from 'lucide-react';
import { isApiError } from '@/api/api-error.ts';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { cn } from '@/lib/cn.ts';

export const isNotFound = (error: unknown) => isApiError(error) && error.status === 404;

/** A rep is answered 404 for another rep's lead: the page says both possibilities. */
export function LeadNotFound({ compact = false }: { compact?: boolean }) {
  return (
    <EmptyState
      icon={UserRoundX}
      title="Lead not found or not yours"
      className={compact ? 'py-8' : undefined}
      action={compact ? undefined : <Button asChild variant="secondary"><Link to="/today">Back to Today</Link></Button>}
    >
      It may have been deleted, or it belongs to another rep. Leads you own are on Today and under Leads.
    </EmptyState>
  );
}

/** A read that failed (the network, the server): what happened, and try again. */
export function LoadError({ error, onRetry, what, className }: { error: unknown; onRetry: () => void; what: string; className?: string }) {
  const message = isApiError(error) ? error.message : 'Something went wrong.';
  return (
    <div role="alert" className={cn('flex flex-wrap items-center gap-x-3 gap-y-2 rounded-md bg-red-50 px-3 py-2 text-[13px] text-red-800 ring-1 ring-red-200 ring-inset', className)}>
      <CircleAlert className="size-4 shrink-0" aria-hidden="true" />
      <span className="flex-1">Could not load {what}. {message}</span>
      <Button size="sm" variant="secondary" onClick={onRetry}>Try again</Button>
    </div>
  );
}

export function Loading({ label, className }: { label: string; className?: string }) {
  return (
    <div className={cn('flex items-center gap-2 py-3 text-[13px] text-zinc-500', className)}>
      <Spinner label={label} />
      <span aria-hidden="true">{label}…</span>
    </div>
  );
}
