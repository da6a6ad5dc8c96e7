import { useState } from 'react';
import { isCalendarDate, MAX_RANGE_DAYS } from '@contract/analytics.ts';
import { Button } from '@/components/ui/button.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Select } from '@/components/ui/select.tsx';
import { useRepChoices } from '@/data/analytics/index.ts';
import { addDays, DEFAULT_PRESET, PRESET_LABEL, RANGE_PRESETS, type RangePreset } from './analytics-range.ts';
import type { AnalyticsSearch } from './analytics.route.ts';

type Patch = Partial<Pick<AnalyticsSearch, 'range' | 'from' | 'to' | 'rep'>>;

/** Why a custom range cannot be asked for, or null. */
export function customRangeError(from: string, to: string): string | null {
  if (!isCalendarDate(from) || !isCalendarDate(to)) return 'Pick both dates.';
  if (to < from) return 'The end comes before the start.';
  if (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`) >= MAX_RANGE_DAYS * 86_400_000) {
    return `A range covers at most ${MAX_RANGE_DAYS} days.`;
  }
  return null;
}

/** The range (presets, or two dates) and the rep, all kept in the URL. */
export function RangeBar({ search, today, onChange }: { search: AnalyticsSearch; today: string; onChange: (patch: Patch) => void }) {
  const preset = search.range ?? DEFAULT_PRESET;
  const reps = useRepChoices();
  const [from, setFrom] = useState(search.from ?? addDays(today, -29));
  const [to, setTo] = useState(search.to ?? today);
  const [custom, setCustom] = useState(preset === 'custom');
  const error = custom ? customRangeError(from, to) : null;
  return (
    <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
      <fieldset className="flex flex-col gap-1.5">
        <legend className="mb-1.5 text-[13px] font-medium text-zinc-800">Range</legend>
        <div className="flex flex-wrap gap-1" role="group" aria-label="Range presets">
          {RANGE_PRESETS.map((p: RangePreset) => (
            <Button
              key={p}
              size="sm"
              variant={preset === p && !custom ? 'primary' : 'secondary'}
              aria-pressed={preset === p && !custom}
              onClick={() => { setCustom(false); onChange({ range: p, from: undefined, to: undefined }); }}
            >
              {PRESET_LABEL[p]}
            </Button>
          ))}
          <Button size="sm" variant={custom ? 'primary' : 'secondary'} aria-pressed={custom} onClick={() => setCustom(true)}>Custom</Button>
        </div>
      </fieldset>
      {custom && (
        <form
          className="flex flex-wrap items-end gap-2"
          aria-label="Custom range"
          onSubmit={(e) => { e.preventDefault(); if (!error) onChange({ range: 'custom', from, to }); }}
        >
          <label className="flex flex-col gap-1 text-[13px] font-medium text-zinc-800">
            From
            <Input type="date" value={from} max={today} onChange={(e) => setFrom(e.target.value)} className="w-40" aria-invalid={Boolean(error)} />
          </label>
          <label className="flex flex-col gap-1 text-[13px] font-medium text-zinc-800">
            To
            <Input type="date" value={to} max={today} onChange={(e) => setTo(e.target.value)} className="w-40" aria-invalid={Boolean(error)} />
          </label>
          <Button type="submit" size="md" variant="secondary" disabled={Boolean(error)}>Apply</Button>
          {error && <p role="alert" className="basis-full text-[13px] text-red-700">{error}</p>}
        </form>
      )}
      <label className="flex flex-col gap-1.5 text-[13px] font-medium text-zinc-800">
        Rep
        <Select value={search.rep ?? ''} onChange={(e) => onChange({ rep: e.target.value || undefined })} className="min-w-44">
          <option value="">Every rep</option>
          {(reps.data ?? []).map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
        </Select>
      </label>
    </div>
  );
}
