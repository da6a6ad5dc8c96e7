import { Link } from '@tanstack/react-router';
import { ArrowUpRight } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { useLeadEnrollments } from '@/data/enrollments/index.ts';
import { useLead, useOrganization } from '@/data/leads/index.ts';
import { useLeadTimeline } from '@/data/timeline/index.ts';
import { cn } from '@/lib/cn.ts';
import { EnrollmentList } from './enrollment-list.tsx';
import { LeadFields } from './lead-fields.tsx';
import { leadName } from './lead-format.ts';
import { LeadIdentity } from './lead-identity.tsx';
import { isNotFound, LeadNotFound, Loading, LoadError } from './lead-states.tsx';
import type { TimelineFilter } from './timeline-kinds.ts';
import { OpenCounts, TimelineFilters, TimelineList } from './timeline-list.tsx';

export function PanelSection({ title, children, actions, className }: { title: ReactNode; children: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <section className={cn('flex flex-col gap-2', className)}>
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-[13px] font-semibold text-zinc-900">{title}</h3>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** The lead's enrolments, read and acted on (pause / resume / exit). */
export function LeadEnrollments({ leadId, leadName: name, shortcuts = false, compact = false, selectedId, onSelect }: {
  leadId: string;
  leadName: string;
  shortcuts?: boolean;
  compact?: boolean;
  selectedId?: string;
  onSelect?: (id: string) => void;
}) {
  const enrollments = useLeadEnrollments(leadId);
  // Shares the cache with the timeline section: names the field change or call outcome that ended a run.
  const timeline = useLeadTimeline(leadId);
  if (enrollments.isPending) return <Loading label="Loading enrolments" />;
  if (enrollments.isError) return <LoadError what="enrolments" error={enrollments.error} onRetry={() => void enrollments.refetch()} />;
  return (
    <EnrollmentList
      leadId={leadId}
      leadName={name}
      items={enrollments.items}
      timeline={timeline.items}
      shortcuts={shortcuts}
      compact={compact}
      selectedId={selectedId}
      onSelect={onSelect}
    />
  );
}

/** The lead's timeline with its filter chips and "load older"; the filter is the caller's (the URL on the page). */
export function LeadTimeline({ leadId, filters, onFiltersChange }: {
  leadId: string;
  filters: readonly TimelineFilter[];
  onFiltersChange: (next: TimelineFilter[]) => void;
}) {
  const timeline = useLeadTimeline(leadId);
  if (timeline.isPending) return <Loading label="Loading the timeline" />;
  if (timeline.isError && timeline.items.length === 0) {
    return <LoadError what="the timeline" error={timeline.error} onRetry={() => void timeline.refetch()} />;
  }
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-2">
        <TimelineFilters value={filters} onChange={onFiltersChange} />
        <OpenCounts items={timeline.items} />
      </div>
      {timeline.isFetchNextPageError && (
        <LoadError what="older items" error={timeline.error} onRetry={() => void timeline.fetchNextPage()} />
      )}
      <TimelineList
        items={timeline.items}
        filters={filters}
        hasMore={timeline.hasNextPage}
        onLoadMore={() => void timeline.fetchNextPage()}
        loadingMore={timeline.isFetchingNextPage}
      />
    </div>
  );
}

/**
 * One lead, compact, for a side panel (focus mode on Today): who they are, their fields
 * (editable), enrolments (pause / resume / exit) and timeline. Reads through the same
 * hooks as the lead page, so both stay in step.
 *
 *   <LeadPanel leadId={task.recordId} />
 */
export function LeadPanel({ leadId, className }: { leadId: string; className?: string }) {
  const lead = useLead(leadId);
  const org = useOrganization();
  const [editing, setEditing] = useState(false);
  const [filters, setFilters] = useState<TimelineFilter[]>([]);
  if (lead.isPending) return <Loading label="Loading the lead" className={className} />;
  if (lead.isError) {
    return isNotFound(lead.error)
      ? <div className={className}><LeadNotFound compact /></div>
      : <LoadError what="the lead" error={lead.error} onRetry={() => void lead.refetch()} className={className} />;
  }
  const name = leadName(lead.data);
  return (
    <div className={cn('flex flex-col gap-5', className)} aria-label={`Lead: ${name}`} role="region">
      <div className="flex items-start justify-between gap-3">
        <LeadIdentity lead={lead.data} as="h2" compact />
        <Link
          to="/leads/$leadId"
          params={{ leadId }}
          className="inline-flex shrink-0 items-center gap-1 rounded text-[12px] font-medium text-accent-700 hover:underline"
        >
          Lead page<ArrowUpRight className="size-3.5" aria-hidden="true" />
        </Link>
      </div>
      <LeadFields lead={lead.data} editing={editing} onEditingChange={setEditing} zoneFallback={org.data?.timezone} compact />
      <PanelSection title="Enrolments">
        <LeadEnrollments leadId={leadId} leadName={name} compact />
      </PanelSection>
      <PanelSection title="Timeline">
        <LeadTimeline leadId={leadId} filters={filters} onFiltersChange={setFilters} />
      </PanelSection>
    </div>
  );
}
