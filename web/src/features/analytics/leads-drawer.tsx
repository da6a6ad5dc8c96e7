import { Link } from '@tanstack/react-router';
import { Users } from 'lucide-react';
import type { StatsQuery } from '@contract/analytics.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { useStatsLeads } from '@/data/analytics/index.ts';
import { metricTitle } from './analytics-labels.ts';
import type { LeadsTarget } from './metric-link.tsx';

/**
 * The leads behind a number, in a panel at the side: by name, 50 at a time, each
 * opening the lead. `target` null: closed.
 */
export function LeadsDrawer({ cadenceId, target, range, context, onClose }: {
  cadenceId: string;
  target: LeadsTarget | null;
  /** The page's range and rep; a day or a rep of the target narrows them. */
  range: StatsQuery;
  /** "Step 2 · Follow up", "2 Mar", a rep's name: what the number was of. */
  context: string;
  onClose: () => void;
}) {
  const query = target && {
    metric: target.leads,
    ...(target.step ? { stepId: target.step } : {}),
    ...(target.day ? { from: target.day, to: target.day } : { from: range.from, to: range.to }),
    ...(target.owner ?? range.ownerId ? { ownerId: target.owner ?? range.ownerId } : {}),
  };
  const leads = useStatsLeads(cadenceId, query);
  const items = leads.data?.pages.flatMap((p) => p.items) ?? [];
  const title = target ? metricTitle(target.leads) : '';
  return (
    <Dialog
      open={target !== null}
      onOpenChange={(open) => { if (!open) onClose(); }}
      title={title}
      description={context}
      className="top-0 right-0 left-auto h-full max-h-none w-[min(26rem,100vw)] translate-x-0 translate-y-0 rounded-none"
    >
      <div aria-live="polite" className="flex flex-col gap-3">
        {leads.isPending && target && <div className="flex justify-center py-8"><Spinner label="Loading the leads" /></div>}
        {leads.isError && <Alert>Could not load the leads: {leads.error.message}</Alert>}
        {leads.isSuccess && items.length === 0 && (
          <EmptyState icon={Users} title="No leads">The number may have changed since the page loaded.</EmptyState>
        )}
        {items.length > 0 && (
          <>
            <p className="text-[13px] text-zinc-600">
              {items.length}{leads.hasNextPage ? '+' : ''} lead{items.length === 1 ? '' : 's'}, by name
            </p>
            <ul className="divide-y divide-zinc-100">
              {items.map((l) => (
                <li key={l.id} className="py-2">
                  <Link to="/leads/$leadId" params={{ leadId: l.id }} className="font-medium text-zinc-900 hover:underline">
                    {l.name ?? l.email}
                  </Link>
                  <p className="truncate text-[13px] text-zinc-600">{[l.name ? l.email : null, l.company].filter(Boolean).join(' · ')}</p>
                </li>
              ))}
            </ul>
            {leads.hasNextPage && (
              <Button variant="secondary" size="sm" loading={leads.isFetchingNextPage} onClick={() => void leads.fetchNextPage()}>
                Show more
              </Button>
            )}
          </>
        )}
      </div>
    </Dialog>
  );
}
