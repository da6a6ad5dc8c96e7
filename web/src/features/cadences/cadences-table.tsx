import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { BarChart3 } from 'lucide-react';
import { useMemo, type ReactNode } from 'react';
import type { CadenceSummary } from '@contract/cadences.ts';
import { ENROLLMENT_STATUSES, type EnrollmentStatus } from '@contract/enums.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Tooltip } from '@/components/ui/tooltip.tsx';
import { CursorTable } from '@/components/ui/cursor-table.tsx';
import { relativeTime } from '@/features/today/format.ts';
import { CadenceLink } from './cadence-links.tsx';
import { CADENCE_STATUS, number, percent } from './cadence-format.ts';
import { CadenceRowMenu, type RowCommand } from './cadence-row-menu.tsx';

const STATE_LABEL: Record<EnrollmentStatus, string> = {
  pending: 'Pending', active: 'Active', paused: 'Paused', completed: 'Completed', exited: 'Exited', failed: 'Failed',
};
const STATE_HINT: Record<EnrollmentStatus, string> = {
  pending: 'Enrolled, not started yet (a draft cadence, or held back by the daily limit)',
  active: 'Running through the steps',
  paused: 'Paused by hand, or by the rep’s time off',
  completed: 'Went through every step',
  exited: 'Left early: replied, booked a meeting, unsubscribed, bounced, or exited by hand',
  failed: 'Stopped by an error (open the lead to see why)',
};

export interface CadencesTableProps {
  items: CadenceSummary[];
  now: Date;
  /** The row the keyboard is on (j/k); Enter opens its builder. */
  activeId: string | undefined;
  onActivate: (id: string) => void;
  onOpen: (id: string) => void;
  onCommand: (command: RowCommand, cadence: CadenceSummary) => void;
  caption: string;
}

/**
 * The cadences as a table (TanStack Table; cells are called, not mounted, as in Today's
 * queue). A cadence's name opens its builder; counts are its enrolments per state; a
 * narrow window keeps the name, the running count and the actions, and says the rest
 * under the name.
 */
export function CadencesTable({ items, now, activeId, onActivate, onOpen, onCommand, caption }: CadencesTableProps) {
  const columns = useMemo<ColumnDef<CadenceSummary>[]>(() => [
    {
      id: 'name',
      header: 'Cadence',
      cell: ({ row: { original: c } }) => (
        <div className="flex min-w-0 flex-col">
          <div className="flex min-w-0 items-center gap-2">
            <CadenceLink id={c.id} page="builder" className="line-clamp-2 font-medium text-zinc-900 hover:underline md:truncate" tabIndex={c.id === activeId ? 0 : -1}>
              {c.name}
            </CadenceLink>
            <Badge tone={CADENCE_STATUS[c.status].tone} className="md:hidden">{CADENCE_STATUS[c.status].label}</Badge>
          </div>
          <p className="text-[12px] leading-4 text-zinc-600">
            {c.stepCount === 1 ? '1 step' : `${c.stepCount} steps`} · edited <time dateTime={c.updatedAt} title={new Date(c.updatedAt).toLocaleString('en-GB')}>{relativeTime(new Date(Math.min(Date.parse(c.updatedAt), now.getTime())), now)}</time>
            {narrowSummary(c)}
          </p>
        </div>
      ),
    },
    {
      id: 'status',
      header: 'Status',
      size: 72,
      cell: ({ row: { original: c } }) => (
        <Tooltip content={CADENCE_STATUS[c.status].meaning}>
          <span tabIndex={-1}><Badge tone={CADENCE_STATUS[c.status].tone}>{CADENCE_STATUS[c.status].label}</Badge></span>
        </Tooltip>
      ),
    },
    ...ENROLLMENT_STATUSES.map((state): ColumnDef<CadenceSummary> => ({
      id: state,
      size: state === 'completed' ? 64 : 52,
      header: () => <abbr title={STATE_HINT[state]} className="no-underline">{STATE_LABEL[state]}</abbr>,
      meta: { numeric: true },
      cell: ({ row: { original: c } }) => count(c.enrollments[state], state === 'failed'),
    })),
    {
      id: 'replyRate',
      size: 56,
      header: () => <abbr title="Enrolments that got a reply, of those that started" className="no-underline">Replied</abbr>,
      meta: { numeric: true },
      cell: ({ row: { original: c } }) => rate(c.replyRate, c.replied, c.started, 'replied'),
    },
    {
      id: 'meetingRate',
      size: 60,
      header: () => <abbr title="Enrolments that booked a meeting, of those that started" className="no-underline">Meetings</abbr>,
      meta: { numeric: true },
      cell: ({ row: { original: c } }) => rate(c.meetingRate, c.meetings, c.started, 'booked a meeting'),
    },
    {
      id: 'actions',
      size: 68,
      header: () => <span className="sr-only">Actions</span>,
      cell: ({ row: { original: c } }) => (
        <div className="flex items-center justify-end gap-1">
          <Tooltip content="Analytics">
            <CadenceLink
              id={c.id}
              page="analytics"
              aria-label={`Analytics of ${c.name}`}
              tabIndex={c.id === activeId ? 0 : -1}
              className="grid size-8 place-items-center rounded-md text-zinc-600 hover:bg-zinc-200/60 hover:text-zinc-900"
            >
              <BarChart3 className="size-4" aria-hidden="true" />
            </CadenceLink>
          </Tooltip>
          <CadenceRowMenu cadence={c} tabIndex={c.id === activeId ? 0 : -1} onCommand={(command) => onCommand(command, c)} />
        </div>
      ),
    },
  ], [now, activeId, onCommand]);

  const table = useReactTable({ columns, data: items, getRowId: (c) => c.id, getCoreRowModel: getCoreRowModel() });
  return (
    <CursorTable
      table={table}
      caption={caption}
      hidden={HIDDEN_BELOW}
      activeId={activeId}
      onActivate={onActivate}
      onOpen={onOpen}
      rowProps={(row) => ({ 'data-cadence-id': row.id, 'aria-label': row.original.name })}
      rowClassName={(row) => row.original.status === 'archived' && 'text-zinc-600'}
      cellClassName="h-14 py-2"
    />
  );
}

function count(n: number, alarming = false): ReactNode {
  if (n === 0) return <span className="text-zinc-600">0</span>;
  return <span className={alarming ? 'font-medium text-red-700' : 'text-zinc-900'}>{number(n)}</span>;
}

function rate(value: number | null, n: number, of: number, what: string): ReactNode {
  if (value === null) return <span className="text-zinc-600" title="No enrolment has started yet">—</span>;
  return <span className="text-zinc-900" title={`${number(n)} of ${number(of)} started enrolments ${what}`}>{percent(value)}</span>;
}

/**
 * Under the name on a narrower window: what the hidden columns would say (counts when not
 * zero), each part hidden again at the width where its column comes back.
 */
function narrowSummary(c: CadenceSummary): ReactNode {
  const parts: Array<[string, string]> = [
    ...(['pending', 'paused', 'exited', 'failed'] as const)
      .filter((s) => c.enrollments[s] > 0)
      .map((s): [string, string] => [`${number(c.enrollments[s])} ${s}`, 'xl:hidden']),
    ...(c.enrollments.completed > 0 ? [[`${number(c.enrollments.completed)} completed`, 'md:hidden'] as [string, string]] : []),
    ...(c.replyRate !== null ? [[`${percent(c.replyRate)} replied`, 'sm:hidden'] as [string, string]] : []),
    ...(c.meetingRate !== null ? [[`${percent(c.meetingRate)} meetings`, 'md:hidden'] as [string, string]] : []),
  ];
  return parts.map(([text, hide]) => <span key={text} className={hide}> · {text}</span>);
}

/** Columns a narrower window leaves out (said under the name instead). */
const HIDDEN_BELOW: Record<string, string> = {
  status: 'hidden md:table-cell',
  pending: 'hidden xl:table-cell',
  paused: 'hidden xl:table-cell',
  exited: 'hidden xl:table-cell',
  failed: 'hidden xl:table-cell',
  completed: 'hidden md:table-cell',
  meetingRate: 'hidden md:table-cell',
  replyRate: 'hidden sm:table-cell',
};
