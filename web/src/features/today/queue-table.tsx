import { Link } from '@tanstack/react-router';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { ArrowUp } from 'lucide-react';
import { useMemo } from 'react';
import type { TaskItem } from '@contract/tasks.ts';
import { CursorTable } from '@/components/ui/cursor-table.tsx';
import { cn } from '@/lib/cn.ts';
import { DueLabel } from './due-label.tsx';
import { HotBadge } from './hot-badge.tsx';
import { LeadClock } from './lead-clock.tsx';
import { stepLabel, TaskKindIcon } from './task-kind.tsx';

export interface QueueTableProps {
  items: TaskItem[];
  now: Date;
  /** The rep's zone: due times are said in it. */
  zone: string;
  /** The workspace's zone: a lead's clock when the lead has none. */
  orgZone: string;
  /** Checkboxes for bulk actions. */
  selectable: boolean;
  selected: ReadonlySet<string>;
  onToggle: (id: string, range: boolean) => void;
  onToggleAll: (select: boolean) => void;
  /** The row the keyboard is on (j/k); Enter opens it. */
  activeId: string | undefined;
  onActivate: (id: string) => void;
  onOpen: (id: string) => void;
  caption: string;
}

/**
 * The queue as a dense table (TanStack Table). Rows are not links: the lead's name
 * opens the lead, the task's title opens focus mode, and the keyboard cursor (a
 * focused row) moves with j/k. One row per task, in the server's order.
 */
export function QueueTable(props: QueueTableProps) {
  const { items, now, zone, orgZone, selectable, selected, onToggle, onToggleAll, activeId, onActivate, onOpen, caption } = props;
  const columns = useMemo<ColumnDef<TaskItem>[]>(() => {
    const all: ColumnDef<TaskItem>[] = [
      {
        id: 'select',
        header: () => {
          const count = items.filter((t) => selected.has(t.id)).length;
          return (
            <input
              type="checkbox"
              aria-label="Select all tasks shown"
              className="size-4 accent-accent-600 align-middle"
              checked={count > 0 && count === items.length}
              ref={(el) => { if (el) el.indeterminate = count > 0 && count < items.length; }}
              onChange={(e) => onToggleAll(e.target.checked)}
            />
          );
        },
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={`Select: ${row.original.title}`}
            className="size-4 accent-accent-600 align-middle"
            checked={selected.has(row.original.id)}
            tabIndex={row.original.id === activeId ? 0 : -1}
            onClick={(e) => { e.preventDefault(); onToggle(row.original.id, e.shiftKey); }}
            onChange={() => {}}
          />
        ),
      },
      {
        id: 'lead',
        header: 'Lead',
        cell: ({ row: { original: t } }) => (
          <div className="flex min-w-0 items-center gap-2">
            {t.hotReason && <HotBadge reason={t.hotReason} at={t.hotAt} now={now} zone={zone} />}
            <Link to="/leads/$leadId" params={{ leadId: t.lead.id }} className="truncate font-medium text-zinc-900 hover:underline" tabIndex={t.id === activeId ? 0 : -1}>
              {t.lead.name ?? t.lead.email}
            </Link>
            {t.lead.company && <span className="truncate text-zinc-600">{t.lead.company}</span>}
          </div>
        ),
      },
      {
        id: 'local',
        header: 'Their time',
        cell: ({ row: { original: t } }) => <LeadClock zone={t.lead.timezone} fallbackZone={orgZone} now={now} />,
      },
      {
        id: 'task',
        header: 'Task',
        cell: ({ row: { original: t } }) => (
          <div className="flex min-w-0 items-center gap-2">
            <TaskKindIcon type={t.type} className="size-4" />
            <Link
              to="/today"
              search={(s) => ({ ...s, focus: t.id })}
              className="truncate text-zinc-900 hover:underline"
              tabIndex={t.id === activeId ? 0 : -1}
            >
              {t.title}
            </Link>
            {t.priority === 'high' && (
              <span className="inline-flex shrink-0 items-center text-[12px] font-medium text-red-700" title="High priority">
                <ArrowUp className="size-3.5" aria-hidden="true" />
                <span className="sr-only">High priority</span>
              </span>
            )}
          </div>
        ),
      },
      {
        id: 'cadence',
        header: 'Cadence',
        cell: ({ row: { original: t } }) => {
          const step = stepLabel(t);
          return (
            <div className="flex min-w-0 items-center gap-1.5 text-zinc-700">
              {t.cadence && <span className="truncate">{t.cadence.name}</span>}
              {step && <span className="shrink-0 text-[12px] text-zinc-600">{t.cadence ? '· ' : ''}{step}</span>}
            </div>
          );
        },
      },
      {
        id: 'due',
        header: 'Due',
        cell: ({ row: { original: t } }) => <DueLabel dueAt={t.dueAt} now={now} zone={zone} />,
      },
    ];
    return selectable ? all : all.slice(1);
  }, [items, now, zone, orgZone, selectable, selected, onToggle, onToggleAll, activeId]);

  const table = useReactTable({ columns, data: items, getRowId: (t) => t.id, getCoreRowModel: getCoreRowModel() });
  return (
    <CursorTable
      table={table}
      caption={caption}
      widths={WIDTHS}
      hidden={NARROW_HIDDEN}
      activeId={activeId}
      onActivate={onActivate}
      onOpen={onOpen}
      rowProps={(row) => ({ 'data-task-id': row.id, 'aria-selected': selectable ? selected.has(row.id) : undefined })}
      rowClassName={(row) => cn('scroll-mb-16', selected.has(row.id) && 'bg-accent-50/60 hover:bg-accent-50')}
    />
  );
}

/**
 * Lead and task have no width: they share what the others leave, so a 390 px phone
 * shows the whole row (TanStack gives every column a default size, so sizes are here).
 */
const WIDTHS: Record<string, string> = { select: '36px', local: '96px', cadence: '22%', due: '136px' };

/** Columns a narrow window leaves out (the lead's panel in focus mode still shows them). */
const NARROW_HIDDEN: Record<string, string> = { cadence: 'hidden lg:table-cell', local: 'hidden md:table-cell' };
