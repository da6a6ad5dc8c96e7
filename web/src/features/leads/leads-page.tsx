import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { FileUp, Plus, Search, Users, X } from 'lucide-react';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { LeadListItem } from '@contract/leads.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Kbd } from '@/components/ui/kbd.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Select } from '@/components/ui/select.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useShortcut } from '@/app/shortcuts/shortcuts.tsx';
import { useCadences } from '@/data/cadences/index.ts';
import { useLeadsList, type LeadListFilter } from '@/data/leads/index.ts';
import { useMe } from '@/data/session/index.ts';
import { usersQuery } from '@/data/users/index.ts';
import { useDebounced } from '@/features/cadence-builder/use-debounced.ts';
import { leadName } from '@/features/lead/lead-format.ts';
import { usePageTitle } from '@/lib/use-page-title.ts';
import { useRowSelection } from '@/lib/use-row-selection.ts';
import { DeleteLeadDialog } from './delete-lead-dialog.tsx';
import { LeadsTable } from './leads-table.tsx';
import type { LeadsSearch } from './leads.route.ts';
import { COMMON_STATUSES, NewLeadDialog } from './new-lead-dialog.tsx';

// The enrolment dialog (and its preflight) loads when first opened: the list comes first.
const EnrollDialog = lazy(() => import('@/features/enroll/enroll-dialog.tsx').then((m) => ({ default: m.EnrollDialog })));

const route = getRouteApi('/app/leads');

/**
 * The leads an admin (or a rep, its own) works in: search and filters in the URL, a
 * page of 50 at a time, newest first; select leads to enrol them, or enrol everyone the
 * filters match; create, open and delete a lead; import a CSV (admin).
 */
export function LeadsPage() {
  usePageTitle('Leads');
  const me = useMe();
  const isAdmin = me.role === 'admin';
  const search = route.useSearch();
  const navigate = useNavigate();
  const setSearch = useCallback((patch: Partial<LeadsSearch>, replace = false) =>
    void navigate({ to: '/leads', search: (s) => ({ ...s, ...patch }), replace }), [navigate]);

  const filter: LeadListFilter = useMemo(
    () => strip({ q: search.q, status: search.leadStatus, ownerId: search.ownerId, cadenceId: search.cadenceId }),
    [search.q, search.leadStatus, search.ownerId, search.cadenceId],
  );
  const filtered = Object.keys(filter).length > 0;
  const list = useLeadsList(filter);
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const ids = useMemo(() => items.map((l) => l.id), [items]);
  // Only an admin may list users (owners to filter by and to give a lead to).
  const users = useQuery({ ...usersQuery, enabled: isAdmin });
  const cadences = useCadences();
  const { selected, toggle, toggleAll, clear } = useRowSelection(ids);
  const [activeId, setActiveId] = useState<string>();
  const active = ids.includes(activeId ?? '') ? activeId : ids[0];
  const [deleting, setDeleting] = useState<LeadListItem | null>(null);
  const [enrol, setEnrol] = useState<{ recordIds?: string[]; filter?: LeadListFilter } | null>(null);
  const searchBox = useRef<HTMLInputElement>(null);

  // A new filter is a new list: the selection of the old one is dropped.
  useEffect(() => clear(), [filter, clear]);

  const ownerName = useCallback((id: string | null) => {
    if (!id) return 'No owner';
    if (id === me.id) return 'You';
    return users.data?.find((u) => u.id === id)?.name ?? '';
  }, [me.id, users.data]);

  const focusRow = (id: string | undefined) => {
    if (id) document.querySelector<HTMLElement>(`tr[data-lead-id="${CSS.escape(id)}"]`)?.focus();
  };
  const move = (delta: number) => {
    if (ids.length === 0) return;
    const at = ids.indexOf(active ?? '');
    const to = ids[Math.max(0, Math.min(ids.length - 1, at < 0 ? 0 : at + delta))]!;
    setActiveId(to);
    focusRow(to);
  };
  const openLead = (id: string) => void navigate({ to: '/leads/$leadId', params: { leadId: id } });
  const selectedIds = ids.filter((id) => selected.has(id));

  useShortcut('/', 'Search leads', (e) => { e.preventDefault(); searchBox.current?.focus(); }, { group: 'Leads' });
  useShortcut('j', 'Next lead', () => move(1), { group: 'Leads' });
  useShortcut('ArrowDown', 'Next lead', () => move(1), { group: 'Leads' });
  useShortcut('k', 'Previous lead', () => move(-1), { group: 'Leads' });
  useShortcut('ArrowUp', 'Previous lead', () => move(-1), { group: 'Leads' });
  useShortcut('Enter', 'Open the lead', (event) => {
    const target = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('a, button') : null;
    if (target) target.click();
    else if (active) openLead(active);
  }, { group: 'Leads' });
  useShortcut('x', 'Select the lead', () => active && toggle(active, false), { group: 'Leads' });
  useShortcut('shift+x', 'Select every lead from the last one selected', () => active && toggle(active, true), { group: 'Leads' });
  useShortcut('Escape', 'Clear the selection', clear, { group: 'Leads', enabled: selected.size > 0 });
  useShortcut('e', 'Enrol the selected leads in a cadence', () => selectedIds.length > 0 && setEnrol({ recordIds: selectedIds }), { group: 'Leads' });
  useShortcut('n', 'New lead', () => setSearch({ new: true }), { group: 'Leads' });

  const total = items.length;
  const more = Boolean(list.hasNextPage);
  const countText = list.isPending ? 'Loading leads' : `${total}${more ? '+' : ''} ${total === 1 ? 'lead' : 'leads'}${filtered ? ' match' : ''}`;

  return (
    <>
      <PageHeader
        title="Leads"
        description={isAdmin ? 'Everyone in the workspace. Search, filter, and enrol them in a cadence.' : 'Your leads. Search, filter, and enrol them in a cadence.'}
        actions={(
          <>
            {isAdmin && (
              <Button asChild variant="secondary">
                <Link to={'/admin/leads/import' as '/admin'}><FileUp className="size-4" aria-hidden="true" />Import CSV</Link>
              </Button>
            )}
            <Button variant="primary" onClick={() => setSearch({ new: true })}>
              <Plus className="size-4" aria-hidden="true" />New lead<Kbd className="ml-1 hidden sm:inline-flex">N</Kbd>
            </Button>
          </>
        )}
      />
      <LeadFilters
        search={search}
        setSearch={setSearch}
        searchBox={searchBox}
        owners={isAdmin ? users.data : undefined}
        cadences={cadences.data?.items}
      />
      <div className="flex min-h-11 flex-wrap items-center gap-x-3 gap-y-2 border-b border-zinc-200 px-4 py-2 md:px-6" role="region" aria-label="Selection">
        {selectedIds.length > 0 ? (
          <>
            <span className="text-[13px] font-medium text-zinc-900">{selectedIds.length} selected</span>
            <Button size="sm" variant="primary" onClick={() => setEnrol({ recordIds: selectedIds })}>Enrol in cadence…<Kbd className="ml-1 hidden sm:inline-flex">E</Kbd></Button>
            <Button size="sm" variant="ghost" onClick={clear}>Clear</Button>
          </>
        ) : (
          <>
            <span className="text-[13px] text-zinc-600" aria-live="polite">{countText}</span>
            {total > 0 && (
              <Button size="sm" variant="secondary" onClick={() => setEnrol({ filter })}>
                {filtered ? 'Enrol all matching…' : 'Enrol all leads…'}
              </Button>
            )}
            {total > 0 && <span className="hidden text-[12px] text-zinc-600 lg:inline">Select with the checkboxes or <Kbd>X</Kbd> (shift for a range).</span>}
          </>
        )}
      </div>
      {list.isPending ? (
        <div className="grid place-items-center py-16"><Spinner label="Loading leads" /></div>
      ) : list.isError ? (
        <div className="px-6 py-6"><Alert title="The leads could not be loaded">{list.error.message}</Alert></div>
      ) : total === 0 ? (
        filtered ? (
          <EmptyState icon={Search} title="No lead matches" action={<Button onClick={() => setSearch({ q: undefined, leadStatus: undefined, ownerId: undefined, cadenceId: undefined })}>Clear search and filters</Button>}>
            Nothing matches {search.q ? <>“{search.q}”</> : 'these filters'}. Search looks in names, emails and companies.
          </EmptyState>
        ) : (
          <EmptyState
            icon={Users}
            title={isAdmin ? 'No leads yet' : 'You have no leads yet'}
            action={(
              <div className="flex flex-wrap justify-center gap-2">
                {isAdmin && <Button asChild variant="primary"><Link to={'/admin/leads/import' as '/admin'}>Import a CSV</Link></Button>}
                <Button onClick={() => setSearch({ new: true })}>Add one lead</Button>
              </div>
            )}
          >
            {isAdmin ? 'Import your leads from a CSV file, or add them one by one.' : 'Add a lead, or ask an admin to give you some.'}
          </EmptyState>
        )
      ) : (
        <div aria-busy={list.isFetching}>
          <LeadsTable
            items={items}
            ownerName={ownerName}
            selected={selected}
            onToggle={(id, range) => { toggle(id, range); setActiveId(id); }}
            onToggleAll={toggleAll}
            activeId={active}
            onActivate={setActiveId}
            onOpen={openLead}
            onDelete={setDeleting}
            caption={filtered ? 'Leads matching the search and filters' : 'Leads, newest first'}
          />
          {more && (
            <div className="flex justify-center py-4">
              <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>Show more</Button>
            </div>
          )}
        </div>
      )}
      <NewLeadDialog
        open={search.new === true}
        onOpenChange={(open) => setSearch({ new: open || undefined })}
        users={isAdmin ? users.data?.filter((u) => !u.deactivatedAt) : undefined}
        me={me}
        onCreated={(lead) => {
          setSearch({ new: undefined });
          toast({ title: `${leadName(lead)} was added`, description: lead.email });
        }}
      />
      <DeleteLeadDialog lead={deleting} onClose={() => setDeleting(null)} />
      {enrol && (
        <Suspense fallback={null}>
          <EnrollDialog open onOpenChange={(open) => { if (!open) setEnrol(null); }} recordIds={enrol.recordIds} filter={enrol.filter} />
        </Suspense>
      )}
    </>
  );
}

/** The search box (debounced into the URL) and the status, owner and cadence filters. */
function LeadFilters({ search, setSearch, searchBox, owners, cadences }: {
  search: LeadsSearch;
  setSearch: (patch: Partial<LeadsSearch>, replace?: boolean) => void;
  searchBox: RefObject<HTMLInputElement | null>;
  owners: Array<{ id: string; name: string; deactivatedAt: string | null }> | undefined;
  cadences: Array<{ id: string; name: string }> | undefined;
}) {
  const [text, setText] = useState(search.q ?? '');
  const settled = useDebounced(text.trim(), 250);
  // Typing settles into the URL (replacing, not stacking history); Back brings an older search into the box.
  useEffect(() => { if ((settled || undefined) !== search.q) setSearch({ q: settled || undefined }, true); }, [settled]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => { if ((search.q ?? '') !== text.trim()) setText(search.q ?? ''); }, [search.q]); // eslint-disable-line react-hooks/exhaustive-deps
  const statuses = search.leadStatus && !COMMON_STATUSES.includes(search.leadStatus) ? [...COMMON_STATUSES, search.leadStatus] : COMMON_STATUSES;
  return (
    <div className="flex flex-wrap items-end gap-2 border-b border-zinc-200 px-4 py-3 md:px-6" role="search" aria-label="Search and filter leads">
      <label className="relative flex min-w-0 flex-[1_1_16rem] items-center">
        <span className="sr-only">Search by name, email or company</span>
        <Search className="pointer-events-none absolute left-2 size-4 text-zinc-500" aria-hidden="true" />
        <Input
          ref={searchBox}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Escape' && text) { e.stopPropagation(); setText(''); } }}
          placeholder="Search name, email or company"
          maxLength={200}
          className="w-full pr-8 pl-8 [&::-webkit-search-cancel-button]:appearance-none"
        />
        {text && (
          <button type="button" aria-label="Clear the search" className="absolute right-1.5 rounded p-0.5 text-zinc-500 hover:text-zinc-900" onClick={() => setText('')}>
            <X className="size-4" aria-hidden="true" />
          </button>
        )}
      </label>
      <FilterSelect label="Status" value={search.leadStatus} onChange={(leadStatus) => setSearch({ leadStatus })} options={statuses.map((s) => ({ value: s, label: s }))} any="Any status" />
      {owners && (
        <FilterSelect label="Owner" value={search.ownerId} onChange={(ownerId) => setSearch({ ownerId })} options={owners.map((u) => ({ value: u.id, label: u.deactivatedAt ? `${u.name} (deactivated)` : u.name }))} any="Any owner" />
      )}
      {cadences && (
        <FilterSelect label="Cadence" value={search.cadenceId} onChange={(cadenceId) => setSearch({ cadenceId })} options={cadences.map((c) => ({ value: c.id, label: c.name }))} any="Any cadence" />
      )}
    </div>
  );
}

function FilterSelect({ label, value, onChange, options, any }: {
  label: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  options: Array<{ value: string; label: string }>;
  any: string;
}) {
  return (
    <label className="flex min-w-0 flex-[0_1_12rem] flex-col gap-1 text-[12px] font-medium text-zinc-600">
      {label}
      <Select value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)} className="w-full">
        <option value="">{any}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </Select>
    </label>
  );
}

/** The filter without its unset fields: one query key per meaning. */
function strip(filter: LeadListFilter): LeadListFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as LeadListFilter;
}
