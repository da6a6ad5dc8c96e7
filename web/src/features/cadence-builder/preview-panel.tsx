import { CircleAlert, Eye, Search, X } from 'lucide-react';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import type { Lead } from '@contract/leads.ts';
import type { PreviewResult } from '@contract/cadences.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { useCadencePreview, useLeadSearch } from '@/data/cadences/index.ts';
import { leadQuery } from '@/data/leads/index.ts';
import { TYPE_LABELS, type BuilderValues } from './builder-model.ts';
import { dayLabel, stepDays } from './step-days.ts';
import { useDebounced } from './use-debounced.ts';

const leadName = (l: Pick<Lead, 'firstName' | 'lastName' | 'email'>) => [l.firstName, l.lastName].filter(Boolean).join(' ') || l.email;

/** Search leads by name, email or company and pick one (a listbox under the box; ↑/↓ and Enter work). */
function LeadPicker({ onPick }: { onPick: (lead: Lead) => void }) {
  const id = useId();
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const search = useLeadSearch(useDebounced(q.trim(), 250));
  const items = search.data?.items ?? [];
  const pick = (l: Lead | undefined) => { if (l) { onPick(l); setQ(''); } };
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-[13px] font-medium text-zinc-800">Preview for a lead</label>
      <div className="relative">
        <Search className="pointer-events-none absolute top-2 left-2 size-4 text-zinc-500" aria-hidden="true" />
        <Input
          id={id}
          role="combobox"
          aria-expanded={items.length > 0}
          aria-controls={`${id}-list`}
          aria-activedescendant={items[active] ? `${id}-${items[active].id}` : undefined}
          aria-autocomplete="list"
          value={q}
          onChange={(e) => { setQ(e.target.value); setActive(0); }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(a + 1, items.length - 1)); }
            if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(a - 1, 0)); }
            if (e.key === 'Enter') { e.preventDefault(); pick(items[active]); }
          }}
          placeholder="Name, email or company"
          autoComplete="off"
          className="pl-8"
        />
      </div>
      {search.isError && <p role="alert" className="text-[13px] text-red-700">Could not search leads: {search.error.message}</p>}
      <ul id={`${id}-list`} role="listbox" aria-label="Leads" className="flex max-h-56 flex-col overflow-y-auto rounded-md ring-1 ring-zinc-200 empty:hidden">
        {items.map((l, i) => (
          <li
            key={l.id}
            id={`${id}-${l.id}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(l)}
            className="flex cursor-pointer flex-col px-2.5 py-1.5 text-[13px] aria-selected:bg-accent-50 hover:bg-zinc-50"
          >
            <span className="font-medium text-zinc-900">{leadName(l)}</span>
            <span className="truncate text-[12px] text-zinc-600">{[l.email, l.company].filter(Boolean).join(' · ')}</span>
          </li>
        ))}
      </ul>
      {search.isSuccess && items.length === 0 && <p className="text-[13px] text-zinc-600">No lead matches “{q}”.</p>}
    </div>
  );
}

function RenderedBody({ step }: { step: PreviewResult['steps'][number] }) {
  if (step.body === undefined) return null;
  if (step.bodyFormat === 'html') {
    return <iframe title={`Step ${step.index + 1} body`} sandbox="" srcDoc={`<style>body{font:13px/1.5 system-ui,sans-serif;color:#27272a;margin:8px}</style>${step.body}`} className="h-48 w-full rounded border-0 bg-white ring-1 ring-zinc-200" />;
  }
  return <p className="text-[13px] leading-relaxed whitespace-pre-wrap text-zinc-800">{step.body}</p>;
}

/**
 * The cadence as one lead would get it, rendered by the server from the unsaved edits
 * (`POST /api/cadences/:id/preview`), a moment after typing stops; merge fields the lead
 * has no value for are listed per step.
 */
export function PreviewPanel({ cadenceId, leadId, onLeadChange, workingDays }: {
  cadenceId: string;
  leadId: string | undefined;
  onLeadChange: (id: string | undefined) => void;
  workingDays: readonly number[];
}) {
  const { control } = useFormContext<BuilderValues>();
  const values = useWatch({ control }) as BuilderValues;
  const definition = useDebounced(values, 600);
  const preview = useCadencePreview(cadenceId, leadId, definition);
  const lead = useQuery({ ...leadQuery(leadId ?? ''), enabled: Boolean(leadId) });
  const days = stepDays((definition.steps ?? []).map((s) => s.delay), workingDays);
  const result = preview.data;
  const missingTotal = result ? new Set(result.steps.flatMap((s) => s.missing)).size : 0;

  return (
    <section aria-labelledby="preview-heading" className="flex flex-col rounded-lg bg-white shadow-xs ring-1 ring-zinc-200">
      <header className="flex items-center justify-between gap-2 border-b border-zinc-200 px-4 py-2.5">
        <h2 id="preview-heading" tabIndex={-1} className="flex items-center gap-1.5 text-sm font-semibold text-zinc-900"><Eye className="size-4" aria-hidden="true" />Preview</h2>
        {preview.isFetching && <Spinner label="Rendering the preview" />}
      </header>
      <div className="flex flex-col gap-3 p-4">
        {leadId ? (
          <div className="flex items-center justify-between gap-2 rounded-md bg-zinc-50 px-2.5 py-1.5 ring-1 ring-zinc-200">
            <div className="min-w-0 text-[13px]">
              <p className="truncate font-medium text-zinc-900">{lead.data ? leadName(lead.data) : 'Lead'}</p>
              {lead.data && <p className="truncate text-[12px] text-zinc-600">{[lead.data.email, lead.data.company].filter(Boolean).join(' · ')}</p>}
            </div>
            <Button size="sm" variant="ghost" onClick={() => onLeadChange(undefined)} aria-label="Choose another lead"><X aria-hidden="true" />Change</Button>
          </div>
        ) : (
          <LeadPicker onPick={(l) => onLeadChange(l.id)} />
        )}
        <p role="status" aria-live="polite" className="text-[13px] text-zinc-700">
          {!leadId ? 'Pick a lead to see each step as they would get it, with your unsaved edits.'
            : preview.isError ? ''
            : result ? (missingTotal === 0 ? 'Every merge field has a value for this lead.' : `${missingTotal} merge field${missingTotal === 1 ? '' : 's'} without a value for this lead: they print empty unless given a fallback.`)
            : 'Rendering…'}
        </p>
        {leadId && preview.isError && (
          <p role="alert" className="flex gap-1.5 text-[13px] text-red-700"><CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />Could not render the preview: {preview.error.message}</p>
        )}
        {result && (
          <ol aria-label="Rendered steps" className="flex flex-col gap-3">
            {result.steps.map((s) => (
              <li key={s.stepId} className="flex flex-col gap-1.5 rounded-md p-3 ring-1 ring-zinc-200">
                <p className="flex flex-wrap items-center gap-1.5 text-[12px] font-medium text-zinc-600">
                  <span>Step {s.index + 1} · {TYPE_LABELS[s.type]}</span>
                  {days[s.index] && <Badge>{dayLabel(days[s.index]!)}</Badge>}
                </p>
                {s.subject !== undefined && <p className="text-[13px] font-semibold text-zinc-900">{s.subject || <span className="text-zinc-500">(no subject)</span>}</p>}
                {s.title !== undefined && s.type !== 'email' && <p className="text-[13px] font-semibold text-zinc-900">{s.title}</p>}
                <RenderedBody step={s} />
                {s.instructions && <p className="text-[13px] whitespace-pre-wrap text-zinc-800">{s.instructions}</p>}
                {s.missing.length > 0 && (
                  <div className="flex flex-wrap items-center gap-1 text-[12px] text-amber-800">
                    Missing:
                    {s.missing.map((m) => <Badge key={m} tone="warning"><code>{m}</code></Badge>)}
                  </div>
                )}
                {s.error && <p className="text-[12px] text-red-700">Cannot be rendered for this lead: {s.error}</p>}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
