import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { ArrowLeft } from 'lucide-react';
import { useState } from 'react';
import { useShortcut } from '@/app/shortcuts/shortcuts.tsx';
import { Card } from '@/components/ui/card.tsx';
import { Kbd } from '@/components/ui/kbd.tsx';
import { TabPanel, Tabs } from '@/components/ui/tabs.tsx';
import { useLead, useOrganization } from '@/data/leads/index.ts';
import { useLeadTimeline } from '@/data/timeline/index.ts';
import { usePageTitle } from '@/lib/use-page-title.ts';
import type { LeadTab } from './lead.route.ts';
import { LeadFields } from './lead-fields.tsx';
import { leadName } from './lead-format.ts';
import { LeadIdentity } from './lead-identity.tsx';
import { LeadEnrollments, LeadTimeline } from './lead-panel.tsx';
import { isNotFound, LeadNotFound, Loading, LoadError } from './lead-states.tsx';
import { formatShow, parseShow } from './timeline-kinds.ts';
import { OpenCounts, TimelineList } from './timeline-list.tsx';

const route = getRouteApi('/app/leads/$leadId');

/** The newest few items on the overview; the Timeline tab has them all. */
const RECENT = 6;

function RecentActivity({ leadId }: { leadId: string }) {
  const timeline = useLeadTimeline(leadId);
  const count = timeline.items.length;
  return (
    <Card
      title="Recent activity"
      actions={count > RECENT || timeline.hasNextPage ? (
        <Link from="/leads/$leadId" search={(s) => ({ ...s, tab: 'timeline' })} className="text-[12px] font-medium text-accent-700 hover:underline">
          Full timeline
        </Link>
      ) : undefined}
    >
      {timeline.isPending ? <Loading label="Loading the timeline" />
        : timeline.isError ? <LoadError what="the timeline" error={timeline.error} onRetry={() => void timeline.refetch()} />
        : (
          <div className="flex flex-col gap-2">
            <OpenCounts items={timeline.items} />
            <TimelineList items={timeline.items.slice(0, RECENT)} />
          </div>
        )}
    </Card>
  );
}

/**
 * `/leads/<id>`: who the lead is, their fields (edit with `e`), enrolments (pause or
 * resume the selected one with `p`, exit behind a confirm) and the timeline.
 */
export function LeadPage() {
  const { leadId } = route.useParams();
  const search = route.useSearch();
  const navigate = useNavigate({ from: '/leads/$leadId' });
  const lead = useLead(leadId);
  const org = useOrganization();
  const [editing, setEditing] = useState(false);
  const tab: LeadTab = search.tab ?? 'overview';
  const filters = parseShow(search.show);
  usePageTitle(lead.data ? leadName(lead.data) : 'Lead');

  const setSearch = (patch: Partial<typeof search>, replace = false) =>
    void navigate({ search: (s) => ({ ...s, ...patch }), replace, resetScroll: false });

  useShortcut('g t', 'Back to Today', () => void navigate({ to: '/today' }), { group: 'Lead' });
  useShortcut('e', 'Edit the lead’s fields', () => {
    if (tab !== 'overview') setSearch({ tab: undefined });
    setEditing(true);
  }, { group: 'Lead', enabled: lead.isSuccess });

  if (lead.isPending) return <Loading label="Loading the lead" className="px-6 py-8" />;
  if (lead.isError) {
    return isNotFound(lead.error)
      ? <><h1 className="sr-only">Lead</h1><LeadNotFound /></>
      : <div className="px-6 py-6"><LoadError what="the lead" error={lead.error} onRetry={() => void lead.refetch()} /></div>;
  }
  const name = leadName(lead.data);

  return (
    <div className="@container/page flex flex-col">
      <header className="flex flex-col gap-2 border-b border-zinc-200 bg-white px-4 pt-3 pb-4 @xl/page:px-6">
        <Link to="/today" className="inline-flex w-fit items-center gap-1 rounded text-[12px] text-zinc-600 hover:text-zinc-900">
          <ArrowLeft className="size-3.5" aria-hidden="true" />Today
          <span className="ml-1 hidden gap-0.5 sm:inline-flex" aria-hidden="true"><Kbd className="h-4 min-w-4 text-[10px]">G</Kbd><Kbd className="h-4 min-w-4 text-[10px]">T</Kbd></span>
        </Link>
        <LeadIdentity lead={lead.data} />
      </header>
      <Tabs
        label="Lead sections"
        value={tab}
        onValueChange={(next) => setSearch({ tab: next === 'overview' ? undefined : next })}
        items={[{ value: 'overview', label: 'Overview' }, { value: 'timeline', label: 'Timeline' }]}
        className="bg-white"
        listClassName="px-4 @xl/page:px-6"
      >
        <TabPanel value="overview" className="bg-zinc-50">
          <div className="grid grid-cols-1 gap-4 px-4 py-4 @xl/page:px-6 @xl/page:py-5 @4xl/page:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
            <Card className="self-start">
              <LeadFields lead={lead.data} editing={editing} onEditingChange={setEditing} zoneFallback={org.data?.timezone} />
            </Card>
            <div className="flex min-w-0 flex-col gap-4">
              <Card title="Enrolments">
                <LeadEnrollments
                  leadId={leadId}
                  leadName={name}
                  shortcuts
                  selectedId={search.enrollment}
                  onSelect={(id) => id !== search.enrollment && setSearch({ enrollment: id }, true)}
                />
              </Card>
              <RecentActivity leadId={leadId} />
            </div>
          </div>
        </TabPanel>
        <TabPanel value="timeline" className="bg-zinc-50">
          <div className="px-4 py-4 @xl/page:px-6 @xl/page:py-5">
            <Card className="max-w-4xl">
              <LeadTimeline leadId={leadId} filters={filters} onFiltersChange={(next) => setSearch({ show: formatShow(next) }, true)} />
            </Card>
          </div>
        </TabPanel>
      </Tabs>
    </div>
  );
}
