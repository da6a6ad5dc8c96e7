import { getRouteApi } from '@tanstack/react-router';
import { PauseCircle } from 'lucide-react';
import { lazy, Suspense, useEffect, useState } from 'react';
import { TASK_DUE_BUCKETS, type TaskDueBucket, type TaskSort } from '@contract/enums.ts';
import { Button } from '@/components/ui/button.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { TabPanel, Tabs } from '@/components/ui/tabs.tsx';
import { ToggleGroup } from '@/components/ui/toggle-group.tsx';
import { useOrganization } from '@/data/leads/index.ts';
import { useMe } from '@/data/session/index.ts';
import { useQueue, type Queue } from '@/data/tasks/index.ts';
import { useTimeOff } from '@/data/time-off/index.ts';
import { usePageTitle } from '@/lib/use-page-title.ts';
import { cn } from '@/lib/cn.ts';
import { QueueEmpty } from './queue-empty.tsx';
import { QueueView } from './queue-view.tsx';
import { TimeOffBanner } from './time-off-banner.tsx';
import { activeTimeOff } from './active-time-off.ts';
import type { TodaySearch } from './today.route.ts';
import { useNow } from './use-now.ts';
import { knownZone } from './zoned-time.ts';

// Focus mode (and the lead panel it shows) loads when first opened: the list comes first.
const FocusMode = lazy(() => import('./focus-mode.tsx').then((m) => ({ default: m.FocusMode })));
// So does the time-off dialog (and the form library with it).
const TimeOffDialog = lazy(() => import('./time-off-dialog.tsx').then((m) => ({ default: m.TimeOffDialog })));

const route = getRouteApi('/app/today');
const TAB_LABELS: Record<TaskDueBucket, string> = { overdue: 'Overdue', today: 'Today', upcoming: 'Upcoming' };
const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The rep's day: overdue, today and upcoming tasks, hot leads first, and focus mode. */
export function TodayPage() {
  usePageTitle('Today');
  const me = useMe();
  const org = useOrganization();
  const orgZone = knownZone(org.data?.timezone) ?? browserZone;
  const zone = knownZone(me.timezone) ?? orgZone;
  const now = useNow();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const due = search.due ?? 'today';
  const sort = search.sort ?? 'priority';
  const queues: Record<TaskDueBucket, Queue> = {
    overdue: useQueue(me.id, 'overdue', sort),
    today: useQueue(me.id, 'today', sort),
    upcoming: useQueue(me.id, 'upcoming', sort),
  };
  const timeOff = useTimeOff(me.id);
  const away = activeTimeOff(timeOff.data, now);
  const [activeId, setActiveId] = useState<string>();
  const [cameBack, setCameBack] = useState(false);

  const setSearch = (patch: Partial<TodaySearch>, replace = false) =>
    void navigate({ search: (s) => ({ ...s, ...patch }), replace });
  const showTab = (tab: TaskDueBucket) => setSearch({ due: tab === 'today' ? undefined : tab, focus: undefined });
  const openFocus = (id: string) => {
    setActiveId(id);
    setSearch({ focus: id });
  };
  const closeFocus = () => {
    if (search.focus) setActiveId(search.focus);
    setCameBack(true);
    setSearch({ focus: undefined });
  };

  // A focus link to a task of another tab (a bookmark, a link from elsewhere) shows that tab.
  const focusTab = search.focus && !queues[due].items.some((t) => t.id === search.focus)
    ? TASK_DUE_BUCKETS.find((b) => queues[b].items.some((t) => t.id === search.focus))
    : undefined;
  useEffect(() => {
    if (focusTab) setSearch({ due: focusTab === 'today' ? undefined : focusTab }, true);
  }, [focusTab]); // eslint-disable-line

  const count = (b: TaskDueBucket) => (queues[b].isPending ? undefined : countOf(queues[b]));

  return (
    <>
      <PageHeader
        title="Today"
        description={<>{summary(queues)}times in {zone}</>}
        actions={
          <>
            {!search.focus && (
              <ToggleGroup<TaskSort>
                label="Order"
                value={sort}
                onChange={(v) => setSearch({ sort: v === 'priority' ? undefined : v })}
                options={[
                  { value: 'priority', label: 'Hot first', title: 'Leads that replied, clicked or fired a boost in the last 3 days first, then by due time' },
                  { value: 'due', label: 'Due time', title: 'Soonest due first' },
                ]}
              />
            )}
            <Button size="sm" onClick={() => setSearch({ pause: true })}>
              <PauseCircle aria-hidden="true" />{away ? 'Time off' : 'Pause my cadences…'}
            </Button>
          </>
        }
      />
      {away && <TimeOffBanner away={away} userId={me.id} zone={zone} now={now} onManage={() => setSearch({ pause: true })} />}
      {search.focus
        ? (
          <Suspense fallback={<div className="grid place-items-center py-24"><Spinner label="Opening focus mode" /></div>}>
            <FocusMode
              tasks={queues[due].items}
              taskId={search.focus}
              tabLabel={TAB_LABELS[due]}
              zone={zone}
              orgZone={orgZone}
              loading={TASK_DUE_BUCKETS.some((b) => queues[b].isPending) || Boolean(focusTab)}
              onOpen={openFocus}
              onClose={closeFocus}
            />
          </Suspense>
        )
        : (
          <Tabs<TaskDueBucket>
            label="Queue"
            value={due}
            onValueChange={showTab}
            className="flex-1 bg-white"
            items={TASK_DUE_BUCKETS.map((b) => ({ value: b, label: <TabLabel label={TAB_LABELS[b]} count={count(b)} late={b === 'overdue'} /> }))}
          >
            <TabPanel value={due}>
              <QueueView
                key={due}
                due={due}
                queue={queues[due]}
                now={now}
                zone={zone}
                orgZone={orgZone}
                activeId={activeId}
                onActivate={setActiveId}
                onOpen={openFocus}
                focusActive={cameBack}
                empty={
                  <QueueEmpty
                    due={due}
                    away={away}
                    upcoming={queues.upcoming.items}
                    overdueCount={queues.overdue.items.length}
                    todayCount={queues.today.items.length}
                    now={now}
                    zone={zone}
                    onShowTab={showTab}
                  />
                }
              />
            </TabPanel>
          </Tabs>
        )}
      {search.pause && (
        <Suspense fallback={null}>
          <TimeOffDialog open onOpenChange={(open) => setSearch({ pause: open ? true : undefined })} userId={me.id} zone={zone} />
        </Suspense>
      )}
    </>
  );
}

const countOf = (q: Queue) => `${q.items.length}${q.hasMore ? '+' : ''}`;

/** "5 due today, 2 overdue · " once both are known. */
function summary(queues: Record<TaskDueBucket, Queue>): string {
  if (queues.today.isPending || queues.overdue.isPending) return '';
  const today = queues.today.items.length === 0 ? 'Nothing due today' : `${countOf(queues.today)} due today`;
  const overdue = queues.overdue.items.length === 0 ? '' : `, ${countOf(queues.overdue)} overdue`;
  return `${today}${overdue} · `;
}

function TabLabel({ label, count, late }: { label: string; count: string | undefined; late: boolean }) {
  return (
    <>
      {label}
      {count !== undefined && (
        <span className={cn('min-w-5 rounded-full px-1.5 text-center text-[12px] leading-5 tabular-nums', late && count !== '0' ? 'bg-red-50 text-red-700' : 'bg-zinc-100 text-zinc-700')}>
          {count}
        </span>
      )}
    </>
  );
}
