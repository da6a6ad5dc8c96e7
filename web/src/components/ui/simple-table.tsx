import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

/** A column; `narrow: 'hide'` gives way under md (repeat what it says elsewhere in the row there). */
export type SimpleColumnDef<T> = ColumnDef<T> & { id: string; narrow?: 'hide' };

/**
 * A small list in a white panel (settings, an import's preview): TanStack Table, each
 * cell's template called rather than mounted (as Today's QueueTable does, so a rebuilt
 * column set never remounts a row's controls). Scrolls sideways when still too wide.
 */
export function SimpleTable<T>({ caption, columns, data, rowId, rowClassName, className }: {
  caption: string;
  columns: Array<SimpleColumnDef<T>>;
  data: T[];
  rowId: (row: T, index: number) => string;
  rowClassName?: (row: T) => string | undefined;
  className?: string;
}) {
  const table = useReactTable({ columns, data, getRowId: (row, i) => rowId(row, i), getCoreRowModel: getCoreRowModel() });
  const hide = (id: string) => (columns.find((c) => c.id === id)?.narrow === 'hide' ? 'hidden md:table-cell' : undefined);
  return (
    <div className={cn('overflow-x-auto rounded-lg bg-white shadow-xs ring-1 ring-zinc-200', className)}>
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
