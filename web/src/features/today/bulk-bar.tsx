import { CalendarClock, SkipForward, X } from 'lucide-react';
import { useState } from 'react';
import type { TaskBulkResult } from '@contract/task-bulk.ts';
import { Button } from '@/components/ui/button.tsx';
import { Dialog, DialogFooter } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Kbd } from '@/components/ui/kbd.tsx';
import { Textarea } from '@/components/ui/input.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useBulkTasks } from '@/data/tasks/index.ts';
import { cn } from '@/lib/cn.ts';
import { dateTime, plural } from './format.ts';
import { WhenFields, type WhenValue } from './when-fields.tsx';
import { fromDateTimeInputs, snoozePresets, toDateTimeInputs } from './zoned-time.ts';

/**
 * Acting on the selected overdue tasks at once: skip them (a note optional) or
 * reschedule them to a time. The result says how many changed and why the others did not.
 */
export function BulkBar({ ids, zone, now, onDone, onClear }: { ids: string[]; zone: string; now: Date; onDone: () => void; onClear: () => void }) {
  const [dialog, setDialog] = useState<'skip' | 'snooze' | null>(null);
  return (
    <div role="region" aria-label="Bulk actions" className="sticky top-0 z-20 flex items-center gap-2 border-b border-accent-100 bg-accent-50 px-6 py-2">
      <p className="text-[13px] font-medium text-accent-700" aria-live="polite">{plural(ids.length, 'task')} selected</p>
      <Button size="sm" className="ml-2" onClick={() => setDialog('skip')}><SkipForward aria-hidden="true" />Skip…</Button>
      <Button size="sm" onClick={() => setDialog('snooze')}><CalendarClock aria-hidden="true" />Reschedule to…</Button>
      <Button size="sm" variant="ghost" className="ml-auto" onClick={onClear}><X aria-hidden="true" />Clear<Kbd className="ml-1">Esc</Kbd></Button>
      <BulkSkipDialog open={dialog === 'skip'} onOpenChange={(o) => setDialog(o ? 'skip' : null)} ids={ids} onDone={onDone} />
      <BulkSnoozeDialog open={dialog === 'snooze'} onOpenChange={(o) => setDialog(o ? 'snooze' : null)} ids={ids} zone={zone} now={now} onDone={onDone} />
    </div>
  );
}

/** "Skipped 4 tasks" and, when some failed, how many for each reason. */
export function bulkOutcome(result: TaskBulkResult, did: string, suffix = ''): { title: string; description?: string; tone?: 'error' } {
  const reasons = new Map<string, number>();
  for (const f of result.failed) reasons.set(f.reason, (reasons.get(f.reason) ?? 0) + 1);
  const failures = [...reasons].map(([reason, n]) => `${n} ${reason}`).join(', ');
  const title = result.updated.length > 0 ? `${did} ${plural(result.updated.length, 'task')}${suffix}` : `No task ${did.toLowerCase()}`;
  return {
    title,
    ...(failures ? { description: `${plural(result.failed.length, 'task')} not changed: ${failures}.` } : {}),
    ...(result.updated.length === 0 ? { tone: 'error' as const } : {}),
  };
}

function BulkSkipDialog({ open, onOpenChange, ids, onDone }: { open: boolean; onOpenChange: (o: boolean) => void; ids: string[]; onDone: () => void }) {
  const bulk = useBulkTasks();
  const [note, setNote] = useState('');
  const submit = async () => {
    try {
      const result = await bulk.mutateAsync({ action: 'skip', ids, ...(note.trim() ? { note: note.trim() } : {}) });
      toast(bulkOutcome(result, 'Skipped'));
      setNote('');
      onOpenChange(false);
      onDone();
    } catch { /* toast shown by the query client */ }
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`Skip ${plural(ids.length, 'task')}`} description="Each skipped step counts as not done; each cadence goes on to its next step.">
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }} className="flex flex-col gap-3">
        <Field label="Note (optional)" hint="Saved on each task.">
          {(p) => <Textarea {...p} value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={10_000} />}
        </Field>
        <DialogFooter>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="primary" loading={bulk.isPending}>Skip {plural(ids.length, 'task')}</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

function BulkSnoozeDialog({ open, onOpenChange, ids, zone, now, onDone }: { open: boolean; onOpenChange: (o: boolean) => void; ids: string[]; zone: string; now: Date; onDone: () => void }) {
  const bulk = useBulkTasks();
  const presets = snoozePresets(now, zone).filter((p) => p.id !== 'hour');
  const [when, setWhen] = useState<WhenValue>(() => toDateTimeInputs(presets[0]!.until, zone));
  const [error, setError] = useState<string>();
  const until = fromDateTimeInputs(when.date, when.time, zone);
  const submit = async () => {
    if (!until) return setError('pick a date and a time');
    if (until <= new Date()) return setError('pick a time in the future');
    setError(undefined);
    try {
      const result = await bulk.mutateAsync({ action: 'snooze', ids, until: until.toISOString() });
      toast(bulkOutcome(result, 'Rescheduled', ` to ${dateTime(until, zone)}`));
      onOpenChange(false);
      onDone();
    } catch { /* toast shown by the query client */ }
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`Reschedule ${plural(ids.length, 'task')}`} description="Each task becomes due at this time; its cadence waits for it as before.">
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }} className="flex flex-col gap-3">
        <div className="flex flex-wrap gap-2" role="group" aria-label="Quick picks">
          {presets.map((p) => {
            const value = toDateTimeInputs(p.until, zone);
            const on = value.date === when.date && value.time === when.time;
            return (
              <button
                key={p.id}
                type="button"
                aria-pressed={on}
                onClick={() => setWhen(value)}
                className={cn('rounded-md px-2.5 py-1 text-[13px] ring-1 ring-inset', on ? 'bg-accent-50 text-accent-700 ring-accent-500/50' : 'bg-white text-zinc-800 ring-zinc-300 hover:bg-zinc-50')}
              >
                {p.label}
              </button>
            );
          })}
        </div>
        <WhenFields legend="Due again at" value={when} onChange={setWhen} zone={zone} error={error} minDate={toDateTimeInputs(now, zone).date} />
        <DialogFooter>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="primary" loading={bulk.isPending}>
            Reschedule{until ? ` to ${dateTime(until, zone, now)}` : ''}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
