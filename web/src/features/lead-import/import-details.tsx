import type { ImportColumn, ImportPreviewRow, ImportRejection } from '@contract/lead-import.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { columnTarget, count } from './import-format.ts';
import { SimpleTable, type SimpleColumnDef } from '@/components/ui/simple-table.tsx';

const MAPPING: Array<SimpleColumnDef<ImportColumn>> = [
  { id: 'header', header: 'Column in the file', cell: ({ row: { original: c } }) => c.header || <span className="text-zinc-600">(column {c.index}, no header)</span> },
  {
    id: 'target',
    header: 'Goes to',
    cell: ({ row: { original: c } }) => (
      <span className={c.kind === 'field' ? 'font-medium text-zinc-900' : 'text-zinc-700'}>{columnTarget(c)}</span>
    ),
  },
];

/** How each column of the header is read. */
export function ColumnMapping({ columns }: { columns: ImportColumn[] }) {
  return <SimpleTable caption="How the columns are read" columns={MAPPING} data={columns} rowId={(c) => String(c.index)} className="max-w-xl" />;
}

const name = (r: ImportPreviewRow) => [r.firstName, r.lastName].filter(Boolean).join(' ');
const PREVIEW: Array<SimpleColumnDef<ImportPreviewRow>> = [
  { id: 'line', header: 'Line', cell: ({ row: { original: r } }) => <span className="tabular-nums text-zinc-600">{r.line}</span> },
  {
    id: 'action',
    header: 'Will be',
    cell: ({ row: { original: r } }) => (r.action === 'create' ? <Badge tone="success" className="whitespace-nowrap">New lead</Badge> : <Badge tone="accent">Update</Badge>),
  },
  {
    id: 'email',
    header: 'Email',
    cell: ({ row: { original: r } }) => (
      <div className="flex min-w-0 flex-col">
        <span className="[overflow-wrap:anywhere]">{r.email}</span>
        <span className="text-[12px] text-zinc-600 md:hidden">{[name(r), r.company].filter(Boolean).join(' · ')}</span>
      </div>
    ),
  },
  { id: 'name', header: 'Name', narrow: 'hide', cell: ({ row: { original: r } }) => name(r) },
  { id: 'company', header: 'Company', narrow: 'hide', cell: ({ row: { original: r } }) => r.company ?? '' },
  { id: 'status', header: 'Status', narrow: 'hide', cell: ({ row: { original: r } }) => r.status ?? <span className="text-zinc-600">{r.action === 'create' ? 'New' : 'unchanged'}</span> },
  { id: 'owner', header: 'Owner', narrow: 'hide', cell: ({ row: { original: r } }) => r.ownerEmail ?? <span className="text-zinc-600">{r.action === 'create' ? 'You' : 'unchanged'}</span> },
  {
    id: 'fields',
    header: 'Custom fields',
    narrow: 'hide',
    cell: ({ row: { original: r } }) => Object.entries(r.fields).map(([k, v]) => `${k}: ${v}`).join(' · '),
  },
];

/** The first rows as they would be stored. */
export function PreviewRows({ rows }: { rows: ImportPreviewRow[] }) {
  return <SimpleTable caption="The first rows as they would be stored" columns={PREVIEW} data={rows} rowId={(r) => String(r.line)} />;
}

const REJECTED: Array<SimpleColumnDef<ImportRejection>> = [
  { id: 'line', header: 'Line', cell: ({ row: { original: r } }) => <span className="tabular-nums">{r.line}</span> },
  { id: 'email', header: 'Email', narrow: 'hide', cell: ({ row: { original: r } }) => <span className="[overflow-wrap:anywhere]">{r.email ?? ''}</span> },
  { id: 'reason', header: 'Why it is left out', cell: ({ row: { original: r } }) => r.reason },
];

/** Shown at once: beyond this many rejected rows, the rest is in the downloadable list. */
const SHOWN = 100;

/** The rows that are not imported, with their line in the file and why; all of them as a CSV to fix and import again. */
export function RejectedRows({ rows, fileName }: { rows: ImportRejection[]; fileName: string }) {
  if (rows.length === 0) return null;
  const download = () => {
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const text = `line,email,reason\n${rows.map((r) => `${r.line},${quote(r.email ?? '')},${quote(r.reason)}`).join('\n')}\n`;
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: fileName.replace(/\.csv$/i, '') + '-rejected.csv' });
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <section aria-labelledby="rejected-title" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="rejected-title" className="text-sm font-semibold text-zinc-900">{count(rows.length, 'row')} left out</h2>
        <button type="button" onClick={download} className="text-[13px] font-medium text-accent-700 hover:underline">Download the list (CSV)</button>
      </div>
      <SimpleTable caption={`Rows left out: ${rows.length}`} columns={REJECTED} data={rows.slice(0, SHOWN)} rowId={(r, i) => `${r.line}-${i}`} />
      {rows.length > SHOWN && <p className="text-[12px] text-zinc-600">The first {SHOWN} are shown; the download has all {rows.length.toLocaleString('en-US')}.</p>}
    </section>
  );
}
