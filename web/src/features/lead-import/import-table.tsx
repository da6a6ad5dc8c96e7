import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

export type ImportColumnDef<T> = ColumnDef<T> & { id: string; narrow?: 'hide' };

/**
 * The import's small tables (the column mapping, the preview, the rejected rows):
 * TanStack Table, each cell's template called rather than mounted. Columns marked
 * `narrow: 'hide'` give way under md; it scrolls sideways when still too wide.
 */
export function ImportTable<T>({ caption, columns, data, rowId }: {
  caption: string;
  columns: Array<ImportColumnDef<T>>;
  data: T[];
  rowId: (row: T, index: number) => string;
}) {
  const table = useReactTable({ columns, data, getRowId: (row, i) => rowId(row, i), getCoreRowModel: getCoreRowModel() });
  const hide = (id: string) => (columns.find((c) => c.id === id)?.narrow === 'hide' ? 'hidden md:table-cell' : undefined);
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-xs ring-1 ring-zinc-200">
      <table className="w-full border-separate border-spacing-0 text-[13px]">
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
            <tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={cn('border-b border-zinc-100 px-3 py-2 align-top text-zinc-800 first:pl-4 last:pr-4', hide(cell.column.id))}>
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
