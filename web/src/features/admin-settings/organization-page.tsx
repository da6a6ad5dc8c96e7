import { zodResolver } from '@hookform/resolvers/zod';
import { CalendarX2, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { isoDate, organizationPatch, type Organization, type OrganizationPatch } from '@contract/organization.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Card } from '@/components/ui/card.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useAddHolidays, useOrganization, useRemoveHoliday, useUpdateOrganization } from '@/data/organization/index.ts';
import { isApiError } from '@/api/api-error.ts';
import { cn } from '@/lib/cn.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';
import { SettingsFrame } from './settings-nav.tsx';

const ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
const WEEKDAYS = [[1, 'Mon', 'Monday'], [2, 'Tue', 'Tuesday'], [3, 'Wed', 'Wednesday'], [4, 'Thu', 'Thursday'], [5, 'Fri', 'Friday'], [6, 'Sat', 'Saturday'], [7, 'Sun', 'Sunday']] as const;
const HOLIDAY = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The organisation's name, zone, working days and holidays: what schedules and business days count on. */
export function OrganizationPage() {
  const org = useOrganization();
  return (
    <SettingsFrame title="Organisation" description="The defaults schedules and business days count on">
      {org.isPending ? (
        <div className="grid place-items-center py-16"><Spinner label="Loading the organisation" /></div>
      ) : org.data ? (
        <div className="grid max-w-4xl gap-4 lg:grid-cols-[3fr_2fr]">
          <OrganizationForm org={org.data} />
          <Holidays holidays={org.data.holidays} />
        </div>
      ) : (
        <Alert>Could not load the organisation's settings. Reload the page to try again.</Alert>
      )}
    </SettingsFrame>
  );
}

function OrganizationForm({ org }: { org: Organization }) {
  const update = useUpdateOrganization();
  const { register, control, handleSubmit, setError, reset, formState: { errors, isSubmitting, isDirty } } = useForm<OrganizationPatch>({
    resolver: zodResolver(organizationPatch.refine((o) => !o.workingDays || o.workingDays.length > 0, { message: 'pick at least one working day', path: ['workingDays'] }), formErrorMessages),
    values: { name: org.name, timezone: org.timezone, workingDays: org.workingDays },
  });
  const onSubmit = handleSubmit(async (values) => {
    try {
      const saved = await update.mutateAsync(values);
      reset({ name: saved.name, timezone: saved.timezone, workingDays: saved.workingDays });
      toast({ title: 'Organisation saved' });
    } catch (error) {
      showServerErrors(error, setError, ['name', 'timezone', 'workingDays']);
    }
  });
  return (
    <Card title="Workspace" description="A lead without a zone, whose owner has none, is scheduled in this zone.">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Workspace settings">
        {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
        <Field label="Name" error={errors.name?.message}>{(p) => <Input {...p} {...register('name')} />}</Field>
        <Field label="Time zone" error={errors.timezone?.message} hint="An IANA zone, such as Europe/Paris or America/New_York.">
          {(p) => <Input {...p} {...register('timezone')} list="organization-zones" autoComplete="off" spellCheck={false} />}
        </Field>
        <datalist id="organization-zones">{ZONES.map((z) => <option key={z} value={z} />)}</datalist>
        <Controller
          control={control}
          name="workingDays"
          render={({ field }) => {
            const days = field.value ?? [];
            return (
              <fieldset aria-describedby="working-days-hint">
                <legend className="mb-1.5 text-[13px] font-medium text-zinc-800">Working days</legend>
                <div className="flex flex-wrap gap-1.5">
                  {WEEKDAYS.map(([n, short, long]) => {
                    const on = days.includes(n);
                    return (
                      <label key={n} className={cn('inline-flex h-8 cursor-pointer items-center rounded-md px-2.5 text-[13px] font-medium ring-1 ring-inset has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent-600',
                        on ? 'bg-accent-600 text-white ring-accent-600' : 'bg-white text-zinc-700 ring-zinc-300 hover:bg-zinc-50')}>
                        <input type="checkbox" className="sr-only" checked={on} aria-label={long}
                          onChange={() => field.onChange(on ? days.filter((d) => d !== n) : [...days, n].sort((a, b) => a - b))} />
                        {short}
                      </label>
                    );
                  })}
                </div>
                <p id="working-days-hint" className={cn('mt-1.5 text-[13px]', errors.workingDays ? 'text-red-700' : 'text-zinc-500')}>
                  {errors.workingDays?.message ?? 'Business-day delays skip the other days and the holidays.'}
                </p>
              </fieldset>
            );
          }}
        />
        <div><Button type="submit" variant="primary" loading={isSubmitting} disabled={!isDirty}>Save</Button></div>
      </form>
    </Card>
  );
}

function Holidays({ holidays }: { holidays: string[] }) {
  const add = useAddHolidays();
  const remove = useRemoveHoliday();
  const [date, setDate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const today = new Date().toISOString().slice(0, 10);
  const upcoming = holidays.filter((d) => d >= today);
  const past = holidays.length - upcoming.length;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = isoDate.safeParse(date);
    if (!parsed.success) return setError('Pick a date.');
    setError(null);
    try {
      await add.mutateAsync([parsed.data]);
      setDate('');
    } catch (err) {
      setError(isApiError(err) ? err.message : 'Could not add the holiday. Try again.');
    }
  };
  return (
    <Card title="Holidays" description="No business-day step falls due on these dates.">
      <form onSubmit={(e) => void submit(e)} noValidate className="flex items-end gap-2" aria-label="Add a holiday">
        <Field label="Add a date" error={error ?? undefined} className="flex-1">
          {(p) => <Input {...p} type="date" value={date} onChange={(e) => setDate(e.target.value)} />}
        </Field>
        <Button type="submit" loading={add.isPending} className={error ? 'mb-6' : undefined}>Add</Button>
      </form>
      {upcoming.length === 0 ? (
        <p className="mt-4 flex items-center gap-2 text-[13px] text-zinc-600"><CalendarX2 className="size-4" aria-hidden="true" />No upcoming holidays.</p>
      ) : (
        <ul className="mt-4 divide-y divide-zinc-100" aria-label="Upcoming holidays">
          {upcoming.map((d) => (
            <li key={d} className="flex items-center justify-between py-1.5 text-sm text-zinc-900">
              <time dateTime={d}>{HOLIDAY.format(new Date(`${d}T00:00:00Z`))}</time>
              <Button size="icon" variant="ghost" aria-label={`Remove the holiday on ${d}`} loading={remove.isPending && remove.variables === d} onClick={() => remove.mutate(d)}>
                <Trash2 className="size-4" aria-hidden="true" />
              </Button>
            </li>
          ))}
        </ul>
      )}
      {past > 0 && <p className="mt-2 text-[13px] text-zinc-500">And {past} past {past === 1 ? 'date' : 'dates'}.</p>}
    </Card>
  );
}
