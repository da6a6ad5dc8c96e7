import type { ColumnDef, Row, Table } from '@tanstack/react-table';
import type { HTMLAttributes } from 'react';
import { cn } from '@/lib/cn.ts';
import { renderCell } from '@/lib/render-cell.ts';

/**
 * A page's list as a dense table with a keyboard cursor (TanStack Table; Today's queue,
 * the cadences and the leads lists): a sticky header, one focusable row (roving focus:
 * Tab reaches the table once, on the row the cursor is on), a click on a row's blank
 * space moves the cursor there, a double click opens it. Cell templates are called, not
 * mounted (lib/render-cell.ts). `widths` and `hidden` (classes hiding a column on narrow
 * windows) are by column id; a column's own `size` is its width otherwise, and one with
 * `meta: { numeric: true }` is right-aligned in tabular figures.
 */
export function CursorTable<T>({ table, caption, widths = {}, hidden = {}, activeId, onActivate, onOpen, rowProps, rowClassName, cellClassName = 'h-11' }: {
  table: Table<T>;
  caption: string;
  widths?: Record<string, string>;
  hidden?: Record<string, string>;
  activeId: string | undefined;
  onActivate: (id: string) => void;
  onOpen?: (id: string) => void;
  /** Extra attributes of a row (`data-…-id` for focusing it, `aria-selected`). */
  rowProps?: (row: Row<T>) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string>;
  rowClassName?: (row: Row<T>) => string | false | undefined;
  /** The cells' height and padding (a row of one line by default). */
  cellClassName?: string;
}) {
  const onBlank = (e: { target: EventTarget }) => !(e.target as Element).closest('a, button, input, select, textarea');
  return (
    <table className="w-full table-fixed border-separate border-spacing-0 text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th
                key={header.id}
                scope="col"
                // Widths of the content: a cell's padding comes on top (table cells size their content box).
                style={{ width: widths[header.column.id] ?? (header.column.columnDef.size ? header.getSize() : undefined) }}
                className={cn(
                  'sticky top-0 z-10 border-b border-zinc-200 bg-zinc-50/95 px-3 py-2 text-left text-[12px] font-medium text-zinc-600 backdrop-blur first:pl-4 last:pr-4 md:first:pl-6 md:last:pr-6',
                  isNumeric(header.column.columnDef) && 'text-right',
                  hidden[header.column.id],
                )}
              >
                {header.isPlaceholder ? null : renderCell(header.column.columnDef.header, header.getContext())}
              </th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => {
          const active = row.id === activeId;
          return (
            <tr
              key={row.id}
              tabIndex={active || (activeId === undefined && row.index === 0) ? 0 : -1}
              onClick={(e) => { if (onBlank(e)) onActivate(row.id); }}
              onDoubleClick={(e) => { if (onOpen && onBlank(e)) onOpen(row.id); }}
              onFocus={() => { if (!active) onActivate(row.id); }}
              {...rowProps?.(row)}
              className={cn(
                'group scroll-mt-10 bg-white outline-none hover:bg-zinc-50',
                rowClassName?.(row),
                active && 'bg-zinc-100 shadow-[inset_2px_0_0] shadow-accent-600 hover:bg-zinc-100',
              )}
            >
              {row.getVisibleCells().map((cell) => (
                <td
                  key={cell.id}
                  className={cn(
                    'overflow-hidden border-b border-zinc-100 px-3 align-middle first:pl-4 last:pr-4 md:first:pl-6 md:last:pr-6',
                    cellClassName,
                    isNumeric(cell.column.columnDef) && 'text-right tabular-nums',
                    hidden[cell.column.id],
                  )}
                >
                  {renderCell(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function isNumeric<T>(def: ColumnDef<T, unknown>): boolean {
  return Boolean((def.meta as { numeric?: boolean } | undefined)?.numeric);
}
