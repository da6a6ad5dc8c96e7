import type { CadenceSummary } from '@contract/cadences.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { useCadences } from '@/data/cadences/index.ts';
import { cn } from '@/lib/cn.ts';
import { CADENCE_STATUS, STATUS_ORDER } from '@/features/cadences/cadence-format.ts';

/**
 * Which cadence to enrol into, as radio buttons (arrow keys move, Space picks): running
 * cadences first; an archived one is not offered (it takes nobody), a draft or a paused
 * one is, and the preflight then says its leads wait.
 */
export function CadencePicker({ value, onChange }: { value: string | undefined; onChange: (id: string) => void }) {
  const list = useCadences();
  if (list.isPending) return <p className="flex items-center gap-2 text-[13px] text-zinc-600"><Spinner label="Loading cadences" />Loading cadences…</p>;
  if (list.isError) return <Alert title="The cadences could not be loaded">{list.error.message}</Alert>;
  const offered = list.data.items
    .filter((c) => c.status !== 'archived')
    .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.name.localeCompare(b.name));
  if (offered.length === 0) return <Alert tone="info" title="No cadence to enrol into">Create a cadence first (Admin → Cadences).</Alert>;
  return (
    <fieldset className="flex flex-col gap-1.5">
      <legend className="mb-1.5 text-[13px] font-medium text-zinc-800">Cadence</legend>
      <div className="flex max-h-56 flex-col overflow-y-auto rounded-md ring-1 ring-zinc-200">
        {offered.map((c) => <Option key={c.id} cadence={c} checked={c.id === value} onChange={onChange} />)}
      </div>
    </fieldset>
  );
}

function Option({ cadence: c, checked, onChange }: { cadence: CadenceSummary; checked: boolean; onChange: (id: string) => void }) {
  const running = c.enrollments.pending + c.enrollments.active + c.enrollments.paused;
  return (
    <label className={cn('flex cursor-pointer items-center gap-2.5 border-b border-zinc-100 px-3 py-2 text-[13px] last:border-b-0 hover:bg-zinc-50', checked && 'bg-accent-50/60 hover:bg-accent-50')}>
      <input type="radio" name="enrol-cadence" value={c.id} checked={checked} onChange={() => onChange(c.id)} className="size-4 accent-accent-600" />
      <span className="min-w-0 flex-1">
        <span className="block truncate font-medium text-zinc-900">{c.name}</span>
        <span className="block text-[12px] text-zinc-600">{c.stepCount === 1 ? '1 step' : `${c.stepCount} steps`} · {running.toLocaleString('en')} in progress</span>
      </span>
      <Badge tone={CADENCE_STATUS[c.status].tone}>{CADENCE_STATUS[c.status].label}</Badge>
    </label>
  );
}
