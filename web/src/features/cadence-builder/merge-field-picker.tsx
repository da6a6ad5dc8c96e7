import { Braces } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { MergeField } from '@contract/merge-fields.ts';
import { Button } from '@/components/ui/button.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Popover } from '@/components/ui/popover.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { useMergeFields } from '@/data/cadences/index.ts';

const GROUP_LABELS: Record<MergeField['group'], string> = { lead: 'Lead', custom: 'Custom fields', owner: 'Lead owner (the rep)', sender: 'Sender', cadence: 'Cadence' };

/**
 * The tag a pick inserts: the field with the fallback typed in the picker, else the
 * server's suggested snippet (`{{lead.firstName | fallback: "there"}}`). Fallbacks are
 * Liquid's `fallback` filter (src/domain/template.ts): printed when the lead has no value.
 */
export function mergeTag(field: MergeField, fallback: string): string {
  const f = fallback.trim();
  if (!f) return field.snippet;
  return `{{${field.field} | fallback: "${f.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"}}`;
}

/** Puts `text` at the caret of `el` (replacing a selection) and returns the new value and caret. */
export function insertAtCaret(el: HTMLInputElement | HTMLTextAreaElement | null, value: string, text: string): { value: string; caret: number } {
  const start = el?.selectionStart ?? value.length;
  const end = el?.selectionEnd ?? value.length;
  return { value: value.slice(0, start) + text + value.slice(end), caret: start + text.length };
}

/**
 * "Insert merge field" beside a subject, body, title or script: the fields of
 * `GET /api/merge-fields`, searchable, with a fallback for leads that lack the value.
 */
export function MergeFieldPicker({ onPick, fieldLabel }: { onPick: (tag: string) => void; fieldLabel: string }) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [fallback, setFallback] = useState('');
  const fields = useMergeFields();
  const groups = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const items = (fields.data?.items ?? []).filter((f) => !needle || f.label.toLowerCase().includes(needle) || f.field.toLowerCase().includes(needle));
    return (Object.keys(GROUP_LABELS) as MergeField['group'][])
      .map((g) => ({ group: g, items: items.filter((f) => f.group === g) }))
      .filter((g) => g.items.length > 0);
  }, [fields.data, q]);

  return (
    <Popover
      open={open}
      onOpenChange={(o) => { setOpen(o); if (!o) setQ(''); }}
      label={`Merge fields for the ${fieldLabel}`}
      align="end"
      className="flex max-h-[min(26rem,70vh)] w-80 flex-col gap-2 p-0"
      trigger={
        <Button size="sm" variant="ghost" aria-label={`Insert a merge field in the ${fieldLabel}`} className="h-6 px-1.5 text-accent-700">
          <Braces aria-hidden="true" />Merge field
        </Button>
      }
    >
      <div className="flex flex-col gap-2 border-b border-zinc-200 p-3">
        <Input aria-label="Find a merge field" placeholder="Find a field…" value={q} onChange={(e) => setQ(e.target.value)} autoFocus />
        <label className="flex flex-col gap-1 text-[12px] text-zinc-700">
          Fallback when the lead has no value
          <Input value={fallback} onChange={(e) => setFallback(e.target.value)} placeholder='e.g. "there" (empty: the suggested one)' className="h-7 text-[13px]" />
        </label>
      </div>
      <div className="min-h-0 overflow-y-auto px-1 pb-2">
        {fields.isPending && <p className="flex items-center gap-2 p-2 text-[13px] text-zinc-600"><Spinner />Loading fields…</p>}
        {fields.isError && <p role="alert" className="p-2 text-[13px] text-red-700">Could not load merge fields: {fields.error.message}</p>}
        {fields.isSuccess && groups.length === 0 && <p className="p-2 text-[13px] text-zinc-600">No field matches “{q}”.</p>}
        {groups.map(({ group, items }) => (
          <div key={group} role="group" aria-label={GROUP_LABELS[group]}>
            <p className="px-2 pt-2 pb-1 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase">{GROUP_LABELS[group]}</p>
            {items.map((f) => (
              <button
                key={f.field}
                type="button"
                className="flex w-full flex-col items-start rounded px-2 py-1 text-left hover:bg-zinc-100 focus-visible:bg-zinc-100"
                onClick={() => { onPick(mergeTag(f, fallback)); setOpen(false); setQ(''); }}
              >
                <span className="text-[13px] text-zinc-900">{f.label} <code className="text-[12px] text-zinc-500">{f.field}</code></span>
                {f.example && <span className="truncate text-[12px] text-zinc-600">e.g. {f.example}</span>}
              </button>
            ))}
          </div>
        ))}
      </div>
    </Popover>
  );
}
