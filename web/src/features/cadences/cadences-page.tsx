import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { Plus, Workflow } from 'lucide-react';
import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import type { CadenceSummary } from '@contract/cadences.ts';
import { CADENCE_STATUSES, type CadenceStatus } from '@contract/enums.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Kbd } from '@/components/ui/kbd.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { ToggleGroup } from '@/components/ui/toggle-group.tsx';
import { useShortcut } from '@/app/shortcuts/shortcuts.tsx';
import { useCadences, useCloneCadence } from '@/data/cadences/index.ts';
import { usePageTitle } from '@/lib/use-page-title.ts';
import { useNow } from '@/features/today/use-now.ts';
import { CadenceActionDialog, type ConfirmedCommand } from './cadence-action-dialog.tsx';
import { CADENCE_STATUS, STATUS_ORDER } from './cadence-format.ts';
import type { RowCommand } from './cadence-row-menu.tsx';
import { CadencesTable } from './cadences-table.tsx';
import type { CadencesSearch } from './cadences.route.ts';

// The enrolment dialog (and its preflight) loads when first opened: the list comes first.
const EnrollDialog = lazy(() => import('@/features/enroll/enroll-dialog.tsx').then((m) => ({ default: m.EnrollDialog })));
// So does the new-cadence form (and the form library with it).
const NewCadenceDialog = lazy(() => import('./new-cadence-dialog.tsx').then((m) => ({ default: m.NewCadenceDialog })));

const route = getRouteApi('/app/admin/cadences');
type Filter = CadenceStatus | 'all';

/** The admin's cadences: what each is doing, and the way into building, measuring and enrolling. */
export function CadencesPage() {
  usePageTitle('Cadences');
  const search = route.useSearch();
  const navigate = useNavigate();
  const setSearch = (patch: Partial<CadencesSearch>) => void navigate({ from: '/admin/cadences', to: '/admin/cadences', search: (s) => ({ ...s, ...patch }) });
  const list = useCadences();
  const now = useNow(60_000);
  const clone = useCloneCadence();
  const [activeId, setActiveId] = useState<string>();
  const [confirm, setConfirm] = useState<{ command: ConfirmedCommand; cadence: CadenceSummary } | null>(null);
  const [creating, setCreating] = useState(false);
  const [enrolOpened, setEnrolOpened] = useState(false);

  const all = useMemo(() => [...(list.data?.items ?? [])].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.updatedAt.localeCompare(a.updatedAt),
  ), [list.data]);
  const filter: Filter = search.status ?? 'all';
  const shown = filter === 'all' ? all : all.filter((c) => c.status === filter);
  const active = shown.find((c) => c.id === activeId) ?? shown[0];

  const openBuilder = useCallback((id: string) => void navigate({ to: '/admin/cadences/$cadenceId', params: { cadenceId: id } }), [navigate]);
  const openEnrol = (id: string) => {
    setEnrolOpened(true);
    setSearch({ enrol: id });
  };

  const onCommand = useCallback((command: RowCommand, c: CadenceSummary) => {
    switch (command) {
      case 'open': return openBuilder(c.id);
      case 'analytics': return void navigate({ to: '/admin/cadences/$cadenceId/analytics', params: { cadenceId: c.id } });
      case 'enrol': return openEnrol(c.id);
      case 'clone':
        return clone.mutate(c.id, {
          onSuccess: (copy) => {
            toast({ title: `Cloned as “${copy.name}”`, description: 'A draft: edit it, then activate it.' });
            setActiveId(copy.id);
            if (filter !== 'all' && filter !== 'draft') setSearch({ status: undefined });
          },
          onError: (error) => toast({ title: `Could not clone “${c.name}”`, description: error.message, tone: 'error' }),
        });
      default: return setConfirm({ command, cadence: c });
    }
  }, [clone, filter, navigate, openBuilder]); // eslint-disable-line react-hooks/exhaustive-deps

  const move = (by: number) => {
    if (shown.length === 0) return;
    const index = active ? shown.indexOf(active) : -1;
    const next = shown[Math.min(shown.length - 1, Math.max(0, index + by))]!;
    setActiveId(next.id);
    document.querySelector<HTMLElement>(`tr[data-cadence-id="${CSS.escape(next.id)}"]`)?.focus();
  };
  useShortcut('j', 'Next cadence', () => move(1), { group: 'Cadences' });
  useShortcut('ArrowDown', 'Next cadence', () => move(1), { group: 'Cadences' });
  useShortcut('k', 'Previous cadence', () => move(-1), { group: 'Cadences' });
  useShortcut('ArrowUp', 'Previous cadence', () => move(-1), { group: 'Cadences' });
  useShortcut('Enter', 'Edit the selected cadence', (event) => {
    // On a link or a button, Enter keeps its own meaning.
    const target = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('a, button') : null;
    if (target) target.click();
    else if (active) openBuilder(active.id);
  }, { group: 'Cadences', enabled: Boolean(active) });
  useShortcut('e', 'Enrol leads into the selected cadence', () => active && active.status !== 'archived' && openEnrol(active.id), {
    group: 'Cadences', enabled: Boolean(active),
  });
  useShortcut('c', 'New cadence', () => setCreating(true), { group: 'Cadences' });

  const counts = Object.fromEntries(CADENCE_STATUSES.map((s) => [s, all.filter((c) => c.status === s).length])) as Record<CadenceStatus, number>;
  const filters: Array<{ value: Filter; label: string }> = [
    { value: 'all', label: `All ${all.length}` },
    ...CADENCE_STATUSES.map((s) => ({ value: s as Filter, label: `${CADENCE_STATUS[s].label} ${counts[s]}` })),
  ];

  return (
    <>
      <PageHeader
        title="Cadences"
        description="Sequences of emails, calls and tasks that run for each lead you enrol"
        actions={(
          <Button variant="primary" onClick={() => setCreating(true)} aria-keyshortcuts="c">
            <Plus aria-hidden="true" />New cadence<Kbd className="ml-1 hidden border-accent-400 bg-accent-500 text-white md:inline-flex">C</Kbd>
          </Button>
        )}
      />
      {list.isPending ? (
        <div className="grid place-items-center py-16"><Spinner label="Loading cadences" /></div>
      ) : list.isError ? (
        <div className="flex flex-col items-start gap-2 px-4 py-6 md:px-6">
          <Alert title="The cadences could not be loaded">{list.error.message}</Alert>
          <Button onClick={() => void list.refetch()}>Try again</Button>
        </div>
      ) : all.length === 0 ? (
        <FirstCadence onCreate={() => setCreating(true)} />
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-2 border-b border-zinc-200 bg-white px-4 py-2 md:px-6">
            <ToggleGroup
              label="Show cadences by status"
              value={filter}
              onChange={(v) => setSearch({ status: v === 'all' ? undefined : v })}
              options={filters}
              className="max-w-full overflow-x-auto"
            />
          </div>
          {shown.length === 0 ? (
            <EmptyState
              icon={Workflow}
              title={`No ${CADENCE_STATUS[filter as CadenceStatus].label.toLowerCase()} cadences`}
              action={<Button onClick={() => setSearch({ status: undefined })}>Show all cadences</Button>}
            >
              {EMPTY_FILTER[filter as CadenceStatus]}
            </EmptyState>
          ) : (
            <CadencesTable
              items={shown}
              now={now}
              activeId={active?.id}
              onActivate={setActiveId}
              onOpen={openBuilder}
              onCommand={onCommand}
              caption={`Cadences${filter === 'all' ? '' : `, ${CADENCE_STATUS[filter].label.toLowerCase()} only`}: ${shown.length}`}
            />
          )}
        </>
      )}
      {creating && (
        <Suspense fallback={null}>
          <NewCadenceDialog open onOpenChange={setCreating} onCreated={(id) => { setCreating(false); openBuilder(id); }} />
        </Suspense>
      )}
      {confirm && <CadenceActionDialog command={confirm.command} cadence={confirm.cadence} onClose={() => setConfirm(null)} />}
      {(enrolOpened || search.enrol) && (
        <Suspense fallback={null}>
          <EnrollDialog
            open={Boolean(search.enrol)}
            onOpenChange={(open) => { if (!open) setSearch({ enrol: undefined }); }}
            cadenceId={search.enrol}
          />
        </Suspense>
      )}
    </>
  );
}

const EMPTY_FILTER: Record<CadenceStatus, string> = {
  draft: 'A draft is a cadence being written: it sends nothing until it is activated. “New cadence” starts one.',
  active: 'No cadence is running: activate a draft, or resume a paused one.',
  paused: 'Nothing is paused: every cadence that ran is still running or archived.',
  archived: 'Archiving retires a cadence: it keeps its history and analytics, and its enrolments never run again.',
};

/** A workspace without cadences: what one is, and the way from nothing to a running one. */
function FirstCadence({ onCreate }: { onCreate: () => void }) {
  return (
    <EmptyState
      icon={Workflow}
      title="Build your first cadence"
      action={<Button variant="primary" onClick={onCreate}><Plus aria-hidden="true" />New cadence</Button>}
    >
      <p>A cadence runs a series of steps for each lead you enrol: emails sent for your reps, calls and tasks in their Today queue, spaced by the delays you choose.</p>
      <ol className="mt-3 list-decimal space-y-1 pl-5 text-left">
        <li>Create a draft and add its steps (a draft sends nothing).</li>
        <li>Preview each email for a real lead, then activate it.</li>
        <li>Enrol leads: you see who would be refused or held back before anyone is enrolled.</li>
      </ol>
    </EmptyState>
  );
}
