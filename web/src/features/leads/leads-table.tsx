import { Link } from '@tanstack/react-router';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { Trash2 } from 'lucide-react';
import { useMemo } from 'react';
import type { LeadListItem } from '@contract/leads.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { CursorTable } from '@/components/ui/cursor-table.tsx';
import { cn } from '@/lib/cn.ts';
import { leadName } from '@/features/lead/lead-format.ts';

export interface LeadsTableProps {
  items: LeadListItem[];
  /** An owner's name by id (an admin knows everyone; a rep sees "You"). */
  ownerName: (id: string | null) => string;
  selected: ReadonlySet<string>;
  onToggle: (id: string, range: boolean) => void;
  onToggleAll: (select: boolean) => void;
  /** The row the keyboard is on (j/k); Enter opens it. */
  activeId: string | undefined;
  onActivate: (id: string) => void;
  /** A double click on a row's blank space opens the lead. */
  onOpen: (id: string) => void;
  onDelete: (lead: LeadListItem) => void;
  caption: string;
}

const LIVE = new Set(['pending', 'active', 'paused']);

/**
 * The leads as a dense table (TanStack Table), one row per lead in the server's order
 * (newest first). The name opens the lead's page; the checkbox selects it for
 * enrolling; the bin asks before erasing it.
 */
export function LeadsTable(props: LeadsTableProps) {
  const { items, ownerName, selected, onToggle, onToggleAll, activeId, onActivate, onOpen, onDelete, caption } = props;
  const columns = useMemo<ColumnDef<LeadListItem>[]>(() => [
    {
      id: 'select',
      header: () => {
        const count = items.filter((l) => selected.has(l.id)).length;
        return (
          <input
            type="checkbox"
            aria-label="Select all leads shown"
            className="size-4 accent-accent-600 align-middle"
            checked={count > 0 && count === items.length}
            ref={(el) => { if (el) el.indeterminate = count > 0 && count < items.length; }}
            onChange={(e) => onToggleAll(e.target.checked)}
          />
        );
      },
      cell: ({ row: { original: l } }) => (
        <input
          type="checkbox"
          aria-label={`Select ${leadName(l)}`}
          className="size-4 accent-accent-600 align-middle"
          checked={selected.has(l.id)}
          tabIndex={l.id === activeId ? 0 : -1}
          onClick={(e) => { e.preventDefault(); onToggle(l.id, e.shiftKey); }}
          onChange={() => {}}
        />
      ),
    },
    {
      id: 'name',
      header: 'Name',
      cell: ({ row: { original: l } }) => (
        <div className="flex min-w-0 flex-col">
          <Link to="/leads/$leadId" params={{ leadId: l.id }} className="truncate font-medium text-zinc-900 hover:underline" tabIndex={l.id === activeId ? 0 : -1}>
            {leadName(l)}
          </Link>
          {/* On a phone the email and company columns give way: they go under the name. */}
          <span className="truncate text-[12px] text-zinc-600 md:hidden">{[l.company, l.email].filter(Boolean).join(' · ')}</span>
        </div>
      ),
    },
    { id: 'email', header: 'Email', cell: ({ row: { original: l } }) => <span className="truncate text-zinc-700">{l.email}</span> },
    { id: 'company', header: 'Company', cell: ({ row: { original: l } }) => <span className="truncate text-zinc-700">{l.company ?? ''}</span> },
    {
      id: 'status',
      header: 'Status',
      cell: ({ row: { original: l } }) => (
        <div className="flex min-w-0 items-center gap-1">
          <span className="truncate text-zinc-700">{l.status}</span>
          {l.unsubscribed && <Badge tone="warning">Unsubscribed</Badge>}
          {!l.unsubscribed && l.bounced && <Badge tone="warning">Bounced</Badge>}
        </div>
      ),
    },
    { id: 'owner', header: 'Owner', cell: ({ row: { original: l } }) => <span className="truncate text-zinc-700">{ownerName(l.ownerId)}</span> },
    {
      id: 'enrollments',
      header: 'Cadences',
      cell: ({ row: { original: l } }) => {
        if (l.enrollmentCount === 0) return <span className="text-zinc-500">None</span>;
        const [first] = l.enrollments;
        const more = l.enrollmentCount - 1;
        return (
          <div className="flex min-w-0 items-center gap-1.5" title={l.enrollments.map((e) => `${e.cadenceName}: ${e.status}`).join('\n')}>
            {first && (
              <>
                <span className={cn('truncate', LIVE.has(first.status) ? 'text-zinc-900' : 'text-zinc-600')}>{first.cadenceName}</span>
                <span className="shrink-0 text-[12px] text-zinc-600">· {first.status}</span>
              </>
            )}
            {more > 0 && <span className="shrink-0 text-[12px] text-zinc-600">+{more}</span>}
          </div>
        );
      },
    },
    {
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      cell: ({ row: { original: l } }) => (
        <button
          type="button"
          aria-label={`Delete ${leadName(l)}`}
          title="Delete"
          tabIndex={l.id === activeId ? 0 : -1}
          className="rounded p-1 text-zinc-500 opacity-60 hover:bg-red-50 hover:text-red-700 group-hover:opacity-100 focus-visible:opacity-100"
          onClick={() => onDelete(l)}
        >
          <Trash2 className="size-4" aria-hidden="true" />
        </button>
      ),
    },
  ], [items, ownerName, selected, onToggle, onToggleAll, activeId, onDelete]);

  const table = useReactTable({ columns, data: items, getRowId: (l) => l.id, getCoreRowModel: getCoreRowModel() });
  return (
    <CursorTable
      table={table}
      caption={caption}
      widths={WIDTHS}
      hidden={NARROW_HIDDEN}
      activeId={activeId}
      onActivate={onActivate}
      onOpen={onOpen}
      rowProps={(row) => ({ 'data-lead-id': row.id, 'aria-selected': selected.has(row.id) })}
      rowClassName={(row) => selected.has(row.id) && 'bg-accent-50/60 hover:bg-accent-50'}
    />
  );
}

/** Name takes what the others leave. */
const WIDTHS: Record<string, string> = { select: '40px', email: '24%', company: '15%', status: '120px', owner: '120px', enrollments: '18%', actions: '52px' };

/** Under md (a phone) the table keeps the checkbox, the name (with company and email under it), status and delete. */
const NARROW_HIDDEN: Record<string, string> = {
  email: 'hidden md:table-cell',
  company: 'hidden lg:table-cell',
  owner: 'hidden lg:table-cell',
  enrollments: 'hidden md:table-cell',
};
