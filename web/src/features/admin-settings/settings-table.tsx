import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

/**
 * The settings' lists (users, mailboxes): TanStack Table, each cell's template called
 * rather than mounted (as Today's QueueTable does). `narrow` columns hide under md;
 * what they say is repeated in the first column there.
 */
export function SettingsTable<T>({ caption, columns, data, rowId, narrowHidden = [], rowClassName }: {
  caption: string;
  columns: Array<ColumnDef<T> & { id: string }>;
  data: T[];
  rowId: (row: T) => string;
  narrowHidden?: string[];
  rowClassName?: (row: T) => string | undefined;
}) {
  const table = useReactTable({ columns, data, getRowId: rowId, getCoreRowModel: getCoreRowModel() });
  const hide = (id: string) => (narrowHidden.includes(id) ? 'hidden md:table-cell' : undefined);
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-xs ring-1 ring-zinc-200">
      <table className="w-full border-separate border-spacing-0 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className={cn('border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-left text-[12px] font-medium text-zinc-600 first:pl-4 last:pr-4', hide(header.column.id))}>
                  {call(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className={rowClassName?.(row.original)}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={cn('border-b border-zinc-100 px-3 py-2.5 align-top first:pl-4 last:pr-4', hide(cell.column.id))}>
                  {call(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function call<C>(template: string | ((ctx: C) => ReactNode) | undefined, ctx: C): ReactNode {
  return typeof template === 'function' ? template(ctx) : template;
}
