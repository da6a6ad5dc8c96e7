import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { Mail, Phone, SquareCheck } from 'lucide-react';
import { useMemo, type ReactNode } from 'react';
import type { StepAnalytics } from '@contract/analytics.ts';
import { CALL_OUTCOMES } from '@contract/enums.ts';
import { cn } from '@/lib/cn.ts';
import { renderCell } from '@/lib/render-cell.ts';
import { OPENS_ESTIMATE, OUTCOME_LABEL, rate } from './analytics-labels.ts';
import { MetricLink } from './metric-link.tsx';

const TYPE_ICON = { email: Mail, call: Phone, task: SquareCheck } as const;

/** A step's number as a link to its leads, with its rate of the step's sends (or reached) under it. */
function stepNumber(s: StepAnalytics, metric: keyof StepAnalytics & string, base?: number): ReactNode {
  const value = s[metric] as number;
  const share = base !== undefined ? rate(value, base) : null;
  return (
    <span className="flex flex-col items-end leading-tight">
      <MetricLink value={value} target={{ leads: metric, step: s.stepId }} context={`step ${s.index + 1}`} />
      {share && <span className="text-[11px] text-zinc-600">{share}</span>}
    </span>
  );
}

const num = (header: ReactNode, cell: (s: StepAnalytics) => ReactNode, id: string): ColumnDef<StepAnalytics> => ({
  id, header: () => header, cell: ({ row }) => cell(row.original), meta: { numeric: true },
});

/**
 * The funnel per step as a table: what each step reached, sent and got back. Every
 * number links to its leads; opens say they are an estimate; a call step lists its
 * outcomes.
 */
export function FunnelTable({ steps }: { steps: StepAnalytics[] }) {
  const columns = useMemo<ColumnDef<StepAnalytics>[]>(() => [
    {
      id: 'step',
      header: 'Step',
      cell: ({ row: { original: s } }) => {
        const Icon = TYPE_ICON[s.type];
        return (
          <div className="flex min-w-0 items-center gap-2">
            <span className="w-5 shrink-0 text-right tabular-nums text-zinc-600">{s.index + 1}</span>
            <Icon className="size-4 shrink-0 text-zinc-500" aria-label={s.type} />
            <span className="truncate text-zinc-900" title={s.name}>{s.name}</span>
          </div>
        );
      },
    },
    num('Reached', (s) => stepNumber(s, 'executed'), 'executed'),
    num('Skipped', (s) => stepNumber(s, 'skipped'), 'skipped'),
    num('Sent', (s) => stepNumber(s, 'sent'), 'sent'),
    num(<span title={OPENS_ESTIMATE}>Human opens <abbr title={OPENS_ESTIMATE} className="no-underline">(est.)</abbr></span>, (s) => stepNumber(s, 'opened', s.sent), 'opened'),
    num('Clicked', (s) => stepNumber(s, 'clicked', s.sent), 'clicked'),
    num('Replied', (s) => stepNumber(s, 'replied', s.sent), 'replied'),
    num('Bounced', (s) => stepNumber(s, 'bounced', s.sent), 'bounced'),
    num('Unsub.', (s) => stepNumber(s, 'unsubscribed', s.sent), 'unsubscribed'),
    num('Tasks done', (s) => stepNumber(s, 'tasksCompleted'), 'tasksCompleted'),
    {
      id: 'outcomes',
      header: 'Call outcomes',
      cell: ({ row: { original: s } }) => {
        const given = CALL_OUTCOMES.filter((o) => s.callOutcomes[o] > 0);
        if (given.length === 0) return <span className="text-zinc-500">{s.type === 'call' ? 'None yet' : '–'}</span>;
        return (
          <ul className="flex flex-wrap gap-x-3 gap-y-0.5">
            {given.map((o) => (
              <li key={o} className="whitespace-nowrap text-zinc-700">
                {OUTCOME_LABEL[o]}{' '}
                <MetricLink value={s.callOutcomes[o]} target={{ leads: `call:${o}`, step: s.stepId }} context={`step ${s.index + 1}`} />
              </li>
            ))}
          </ul>
        );
      },
    },
  ], []);
  const table = useReactTable({ columns, data: steps, getRowId: (s) => s.stepId, getCoreRowModel: getCoreRowModel() });
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[60rem] border-separate border-spacing-0 text-sm">
        <caption className="sr-only">The funnel per step: each number opens the leads behind it</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th
                  key={header.id}
                  scope="col"
                  className={cn(
                    'border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-[12px] font-medium text-zinc-600',
                    isNumeric(header.column.columnDef) ? 'text-right' : 'text-left',
                    header.column.id === 'step' && 'w-[16rem]',
                  )}
                >
                  {header.isPlaceholder ? null : renderCell(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="align-top">
              {row.getVisibleCells().map((cell) => (
                <td
                  key={cell.id}
                  className={cn('border-b border-zinc-100 px-3 py-2', isNumeric(cell.column.columnDef) && 'text-right', cell.column.id === 'step' && 'max-w-[16rem]')}
                >
                  {renderCell(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function isNumeric(def: ColumnDef<StepAnalytics>): boolean {
  return Boolean((def.meta as { numeric?: boolean } | undefined)?.numeric);
}
