import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import { timeOffInput } from '@contract/users.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog, DialogFooter } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useAddTimeOff, useEndTimeOff, useTimeOff } from '@/data/time-off/index.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';
import { dateTime } from './format.ts';
import { useNow } from './use-now.ts';
import { WhenFields } from './when-fields.tsx';
import { fromDateTimeInputs, snoozePresets, toDateTimeInputs } from './zoned-time.ts';

const when = z.object({ date: z.string().min(1), time: z.string().min(1) });
/** The dialog's fields: wall-clock dates and times in the rep's zone; sent as the contract's `timeOffInput`. */
const timeOffForm = z.object({ from: when, to: when, note: timeOffInput.shape.note });
type TimeOffForm = z.infer<typeof timeOffForm>;

/**
 * "Pause my cadences until…": time off for the signed-in rep. Nothing of theirs runs
 * while it lasts (emails wait, tasks are not due); it can be ended early, which starts
 * their cadences again at once.
 */
export function TimeOffDialog({ open, onOpenChange, userId, zone }: { open: boolean; onOpenChange: (open: boolean) => void; userId: string; zone: string }) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Pause my cadences"
      description="While you are away nothing of yours runs: emails wait, calls and to-dos are not due. Everything starts again when you are back."
      className="w-[min(34rem,calc(100vw-2rem))]"
    >
      {open && <TimeOffBody userId={userId} zone={zone} onDone={() => onOpenChange(false)} />}
    </Dialog>
  );
}

function TimeOffBody({ userId, zone, onDone }: { userId: string; zone: string; onDone: () => void }) {
  const now = useNow();
  const list = useTimeOff(userId);
  const add = useAddTimeOff(userId);
  const end = useEndTimeOff(userId);
  const monday = snoozePresets(now, zone)[2]!.until;
  const { control, register, handleSubmit, setError, formState: { errors, isSubmitting } } = useForm<TimeOffForm>({
    resolver: zodResolver(timeOffForm, formErrorMessages),
    defaultValues: { from: toDateTimeInputs(now, zone), to: toDateTimeInputs(monday, zone), note: '' },
  });
  const onSubmit = handleSubmit(async (values) => {
    const from = fromDateTimeInputs(values.from.date, values.from.time, zone);
    const to = fromDateTimeInputs(values.to.date, values.to.time, zone);
    if (!from) return setError('from', { message: 'pick a date and a time' });
    if (!to) return setError('to', { message: 'pick a date and a time' });
    if (to <= from) return setError('to', { message: 'the end must be after the start' });
    if (to <= new Date()) return setError('to', { message: 'the end must be in the future' });
    try {
      const input = timeOffInput.parse({ from: from.toISOString(), to: to.toISOString(), note: values.note?.trim() || undefined });
      const created = await add.mutateAsync(input);
      toast({ title: `Cadences paused until ${dateTime(new Date(created.to), zone)}`, description: 'End it early from Today’s banner or this dialog.' });
      onDone();
    } catch (error) {
      showServerErrors(error, setError, ['from', 'to', 'note']);
    }
  });
  const items = list.data ?? [];
  return (
    <div className="flex flex-col gap-4">
      <section aria-labelledby="time-off-current" className="flex flex-col gap-2">
        <h3 id="time-off-current" className="text-[13px] font-semibold text-zinc-900">Current and planned</h3>
        {list.isPending && <Spinner label="Loading your time off" />}
        {list.isError && <Alert>{list.error.message}</Alert>}
        {list.isSuccess && items.length === 0 && <p className="text-[13px] text-zinc-600">None: your cadences run as scheduled.</p>}
        {items.length > 0 && (
          <ul className="divide-y divide-zinc-100 rounded-md ring-1 ring-zinc-200">
            {items.map((t) => {
              const running = new Date(t.from) <= now;
              return (
                <li key={t.id} className="flex items-center gap-3 px-3 py-2 text-[13px]">
                  <div className="flex min-w-0 flex-1 flex-col">
                    <span className="text-zinc-900 tabular-nums">{dateTime(new Date(t.from), zone, now)} → {dateTime(new Date(t.to), zone, now)}</span>
                    {t.note && <span className="truncate text-zinc-600">{t.note}</span>}
                  </div>
                  {running && <Badge tone="warning">Now</Badge>}
                  <Button
                    size="sm"
                    variant="secondary"
                    loading={end.isPending && end.variables === t.id}
                    onClick={() => end.mutate(t.id, { onSuccess: () => toast({ title: running ? 'Welcome back: your cadences run again' : 'Planned time off cancelled' }) })}
                  >
                    {running ? 'End now' : 'Cancel it'}
                  </Button>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <form onSubmit={onSubmit} noValidate aria-labelledby="time-off-new" className="flex flex-col gap-3 border-t border-zinc-200 pt-4">
        <h3 id="time-off-new" className="text-[13px] font-semibold text-zinc-900">New time off</h3>
        {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
        <div className="flex flex-col gap-3">
          <Controller control={control} name="from" render={({ field }) => (
            <WhenFields legend="From" value={field.value} onChange={field.onChange} zone={zone} error={errors.from?.message ?? errors.from?.date?.message} />
          )} />
          <Controller control={control} name="to" render={({ field }) => (
            <WhenFields legend="Until" value={field.value} onChange={field.onChange} zone={zone} error={errors.to?.message ?? errors.to?.date?.message} />
          )} />
        </div>
        <Field label="Note (optional)" error={errors.note?.message} hint="E.g. “Holiday” or “Conference”.">
          {(p) => <Input {...p} {...register('note')} maxLength={500} />}
        </Field>
        <DialogFooter>
          <Button onClick={onDone}>Close</Button>
          <Button type="submit" variant="primary" loading={isSubmitting}>Pause my cadences</Button>
        </DialogFooter>
      </form>
    </div>
  );
}
