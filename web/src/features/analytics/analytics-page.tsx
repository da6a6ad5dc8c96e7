import { getRouteApi, Link } from '@tanstack/react-router';
import { BarChart3, Download } from 'lucide-react';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import type { CadenceAnalytics } from '@contract/analytics.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Card } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { analyticsExportUrl, useCadenceAnalytics, useCadenceName } from '@/data/analytics/index.ts';
import { useOrganization } from '@/data/leads/index.ts';
import { usePageTitle } from '@/lib/use-page-title.ts';
import { OPENS_ESTIMATE } from './analytics-labels.ts';
import { describeRange, formatDay, rangeQuery, todayIn } from './analytics-range.ts';
import { ActivityTable, ExitReasons, RepTable, Totals } from './analytics-sections.tsx';
import { FunnelTable } from './funnel-table.tsx';
import { LeadsDrawer } from './leads-drawer.tsx';
import { RangeBar } from './range-bar.tsx';

const route = getRouteApi('/app/admin/cadences/$cadenceId/analytics');
// The charts' library loads after the numbers, in its own chunk.
const FunnelChart = lazy(() => import('./analytics-charts.tsx').then((m) => ({ default: m.FunnelChart })));
const ActivityChart = lazy(() => import('./analytics-charts.tsx').then((m) => ({ default: m.ActivityChart })));

/** A cadence's analytics for a range and a rep: funnel per step, activity, exits, reps; each number opens its leads. */
export function AnalyticsPage() {
  const { cadenceId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const org = useOrganization();
  const cadence = useCadenceName(cadenceId);
  const [now] = useState(() => new Date());
  const zone = org.data?.timezone ?? 'UTC';
  const today = todayIn(zone, now);
  const q = { ...rangeQuery(search, today), ...(search.rep ? { ownerId: search.rep } : {}) };
  const analytics = useCadenceAnalytics(cadenceId, q);
  const name = cadence.data?.name ?? 'Cadence';
  usePageTitle(`${name} · Analytics`);

  const a = analytics.data;
  const target = search.leads ? { leads: search.leads, step: search.step, day: search.day, owner: search.owner } : null;
  const closeLeads = () => void navigate({ search: (s) => ({ ...s, leads: undefined, step: undefined, day: undefined, owner: undefined }) });

  return (
    <div className="flex min-h-full flex-col bg-zinc-50">
      <PageHeader
        title={<><Link to="/admin/cadences" className="text-zinc-600 hover:underline">Cadences</Link> / {name} · Analytics</>}
        description={`${describeRange(q, today)} · days in ${zone}`}
        actions={(
          <>
            <Button asChild variant="ghost" size="sm">
              <Link to="/admin/cadences/$cadenceId" params={{ cadenceId }}>Edit cadence</Link>
            </Button>
            <Button asChild variant="secondary" size="sm">
              <a href={analyticsExportUrl(cadenceId, q)} download>
                <Download aria-hidden="true" /> Export CSV
              </a>
            </Button>
          </>
        )}
      />
      <div className="flex flex-col gap-4 p-4 md:p-6">
        <RangeBar search={search} today={today} onChange={(patch) => void navigate({ search: (s) => ({ ...s, ...patch }) })} />
        {analytics.isError && <Alert title="Could not load the analytics">{analytics.error.message}</Alert>}
        {analytics.isPending && <div className="flex justify-center py-16"><Spinner label="Loading the analytics" /></div>}
        {a && (
          <div className={analytics.isPlaceholderData ? 'opacity-60 transition-opacity' : undefined} aria-busy={analytics.isFetching}>
            <Body a={a} today={today} />
          </div>
        )}
      </div>
      <LeadsDrawer cadenceId={cadenceId} target={target} range={q} context={drawerContext(a, target, today, describeRange(q, today))} onClose={closeLeads} />
    </div>
  );
}

function Body({ a, today }: { a: CadenceAnalytics; today: string }) {
  const nothing = a.steps.every((s) => s.executed === 0 && s.skipped === 0) && Object.values(a.enrollments).every((n) => n === 0);
  return (
    <div className="flex flex-col gap-4">
      <Totals a={a} />
      {nothing && (
        <Card><EmptyState icon={BarChart3} title="Nothing happened in this range">Pick a longer range, or enrol leads in this cadence.</EmptyState></Card>
      )}
      <Card
        title="Funnel per step"
        description={<>Each number opens the leads behind it. Rates are of the step's sends. <abbr title={OPENS_ESTIMATE} className="no-underline">Human opens</abbr> are {OPENS_ESTIMATE.charAt(0).toLowerCase()}{OPENS_ESTIMATE.slice(1)}</>}
      >
        <div className="flex flex-col gap-4">
          <ChartSlot><FunnelChart steps={a.steps} summary={funnelSummary(a)} /></ChartSlot>
          <FunnelTable steps={a.steps} />
        </div>
      </Card>
      <Card title="Activity over time" description="Per day: emails sent, and leads who opened, clicked, replied or booked a meeting.">
        <ChartSlot><ActivityChart days={a.activity} today={today} summary={activitySummary(a, today)} /></ChartSlot>
        <details className="mt-3 group">
          <summary className="cursor-pointer text-[13px] font-medium text-accent-700">Show as a table</summary>
          <div className="mt-2"><ActivityTable days={a.activity} today={today} /></div>
        </details>
      </Card>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Exit reasons" className="min-w-0"><ExitReasons a={a} /></Card>
        <Card title="By rep" description="Leads by their owner." className="min-w-0"><RepTable reps={a.byRep} /></Card>
      </div>
    </div>
  );
}

function ChartSlot({ children }: { children: ReactNode }) {
  return <Suspense fallback={<div className="grid h-64 place-items-center"><Spinner label="Loading the chart" /></div>}>{children}</Suspense>;
}

function funnelSummary(a: CadenceAnalytics): string {
  const parts = a.steps.map((s) => `step ${s.index + 1}, ${s.name}: reached ${s.executed}, sent ${s.sent}, human opens ${s.opened}, replied ${s.replied}`);
  return `Bar chart of the funnel per step: ${parts.join('; ')}. The table below has every number.`;
}

function activitySummary(a: CadenceAnalytics, today: string): string {
  const total = (k: 'sent' | 'opened' | 'replied' | 'meetings') => a.activity.reduce((n, d) => n + d[k], 0);
  const busiest = a.activity.reduce((best, d) => (d.sent > best.sent ? d : best), a.activity[0] ?? { day: today, sent: 0 });
  const span = a.activity.length ? `${formatDay(a.activity[0].day, today)} to ${formatDay(a.activity.at(-1)!.day, today)}` : 'no days';
  return `Area chart of activity per day from ${span}: ${total('sent')} emails sent (most on ${formatDay(busiest.day, today)}, ${busiest.sent}), `
    + `${total('opened')} human opens, ${total('replied')} replies, ${total('meetings')} meetings. "Show as a table" lists them by day.`;
}

/** What the open list of leads is of: the step, the day or the rep, and the range. */
function drawerContext(a: CadenceAnalytics | undefined, target: { step?: string; day?: string; owner?: string } | null, today: string, range: string): string {
  if (!target) return '';
  const parts: string[] = [];
  const step = target.step && a?.steps.find((s) => s.stepId === target.step);
  if (step) parts.push(`Step ${step.index + 1}: ${step.name}`);
  const rep = target.owner && a?.byRep.find((r) => r.ownerId === target.owner);
  if (rep) parts.push(rep.name);
  parts.push(target.day ? formatDay(target.day, today) : range);
  return parts.join(' · ');
}
