import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type Row } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

/**
 * A dense list (TanStack Table): sticky header, one row per item, rows that open
 * something are links or buttons inside a cell (keyboard reachable), not clickable <tr>s.
 *
 *   const columns: ColumnDef<Lead>[] = [{ header: 'Name', accessorKey: 'name' }, …];
 *   <DataTable columns={columns} data={leads} getRowId={(l) => l.id} empty={<EmptyState …/>} />
 *
 * Sorting, filters and paging belong in the URL (typed search params) and the query,
 * so the table stays a view of what the server answered.
 */
export function DataTable<T>({ columns, data, getRowId, empty, caption, rowClassName, selectedId }: {
  columns: ColumnDef<T, any>[];
  data: T[];
  getRowId: (row: T) => string;
  empty?: ReactNode;
  /** Read out by screen readers: what the table lists. */
  caption?: string;
  rowClassName?: (row: Row<T>) => string | undefined;
  selectedId?: string;
}) {
  const table = useReactTable({ columns, data, getRowId: (row) => getRowId(row), getCoreRowModel: getCoreRowModel() });
  if (data.length === 0 && empty) return <>{empty}</>;
  return (
    <table className="w-full border-separate border-spacing-0 text-sm">
      {caption && <caption className="sr-only">{caption}</caption>}
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th
                key={header.id}
                scope="col"
                style={header.column.columnDef.size ? { width: header.getSize() } : undefined}
                className="sticky top-0 z-10 border-b border-zinc-200 bg-zinc-50/95 px-3 py-2 text-left text-[12px] font-medium text-zinc-600 backdrop-blur first:pl-6 last:pr-6"
              >
                {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
              </th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr
            key={row.id}
            aria-selected={selectedId === undefined ? undefined : selectedId === row.id}
            className={cn('group bg-white hover:bg-zinc-50 aria-selected:bg-accent-50', rowClassName?.(row))}
          >
            {row.getVisibleCells().map((cell) => (
              <td key={cell.id} className="h-10 border-b border-zinc-100 px-3 align-middle first:pl-6 last:pr-6">
                {flexRender(cell.column.columnDef.cell, cell.getContext())}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
