import { Plus, X } from 'lucide-react';
import { Controller, useFieldArray, useFormContext, useFormState, useWatch } from 'react-hook-form';
import { CALL_OUTCOMES, REENROLLMENT } from '@contract/enums.ts';
import { Card } from '@/components/ui/card.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Checkbox, Select } from '@/components/ui/select.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { ToggleChip } from '@/components/ui/toggle-chip.tsx';
import { useAutoEnrollMatches } from '@/data/cadences/index.ts';
import { sentence } from '@/lib/text.ts';
import type { BuilderValues } from './builder-model.ts';
import { CriteriaEditor } from './criteria-editor.tsx';
import { errorAt } from './template-field.tsx';
import { useDebounced } from './use-debounced.ts';

const ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const OUTCOME_WORDS: Record<(typeof CALL_OUTCOMES)[number], string> = {
  connected: 'Connected', voicemail: 'Voicemail', no_answer: 'No answer', busy: 'Busy', wrong_number: 'Wrong number',
  not_interested: 'Not interested', meeting_booked: 'Meeting booked',
};
const REENROLLMENT_WORDS: Record<(typeof REENROLLMENT)[number], string> = {
  never: 'Never: once per lead',
  after_exit: 'After an exit (a reply, a manual exit…)',
  always: 'After any end, completed too',
};

function ErrorText({ message }: { message?: string }) {
  return message ? <p className="text-[13px] text-red-700">{sentence(message)}</p> : null;
}

/** Which days and hours steps fall due, and in whose zone. */
export function ScheduleSection() {
  const { control, register } = useFormContext<BuilderValues>();
  const { fields, append, remove } = useFieldArray({ control, name: 'schedule.windows' });
  const { errors } = useFormState({ control, name: 'schedule' });
  return (
    <Card title="Schedule" description="Steps fall due only on these days and hours; a step due outside them waits for the next opening, and later steps move with it.">
      <div className="flex flex-col gap-4">
        <Controller
          control={control}
          name="schedule.days"
          render={({ field }) => (
            <div role="group" aria-label="Days" className="flex flex-col gap-1.5">
              <span className="text-[13px] font-medium text-zinc-800">Days</span>
              <div className="flex flex-wrap gap-1.5">
                {DAY_NAMES.map((name, i) => (
                  <ToggleChip
                    key={name}
                    pressed={field.value.includes(i + 1)}
                    onPressedChange={(on) => field.onChange(on ? [...field.value, i + 1].sort((a, b) => a - b) : field.value.filter((d) => d !== i + 1))}
                  >
                    {name}
                  </ToggleChip>
                ))}
              </div>
              <ErrorText message={errorAt(errors, 'schedule.days')} />
            </div>
          )}
        />
        <div className="flex flex-col gap-1.5">
          <span className="text-[13px] font-medium text-zinc-800">Hours</span>
          <ul className="flex flex-col gap-2">
            {fields.map((f, i) => (
              <li key={f.id} className="flex flex-col gap-1">
                <div className="flex flex-wrap items-center gap-1.5">
                  <Input type="time" aria-label={`Window ${i + 1} starts`} {...register(`schedule.windows.${i}.start`)} className="w-32" />
                  <span className="text-[13px] text-zinc-600">to</span>
                  <Input type="time" aria-label={`Window ${i + 1} ends`} {...register(`schedule.windows.${i}.end`)} className="w-32" />
                  {fields.length > 1 && (
                    <Button variant="ghost" size="icon" className="size-7" aria-label={`Remove window ${i + 1}`} onClick={() => remove(i)}><X aria-hidden="true" /></Button>
                  )}
                </div>
                <ErrorText message={errorAt(errors, `schedule.windows.${i}`) ?? errorAt(errors, `schedule.windows.${i}.start`) ?? errorAt(errors, `schedule.windows.${i}.end`)} />
              </li>
            ))}
          </ul>
          <Button size="sm" variant="ghost" className="self-start" disabled={fields.length >= 12} onClick={() => append({ start: '13:00', end: '17:00' })}>
            <Plus aria-hidden="true" />Add hours (e.g. a lunch break)
          </Button>
          <ErrorText message={errorAt(errors, 'schedule')} />
        </div>
        <Controller
          control={control}
          name="schedule.timezone"
          render={({ field, fieldState }) => (
            <Field label="Time zone" error={fieldState.error?.message} hint="Empty: each lead’s own zone (then its owner’s, then the organisation’s), so 09:00 is 09:00 where the lead is.">
              {(p) => (
                <Input {...p} list="schedule-zones" value={field.value ?? ''} onChange={(e) => field.onChange(e.target.value.trim() === '' ? null : e.target.value)} onBlur={field.onBlur} ref={field.ref} placeholder="The lead’s zone" className="sm:w-72" autoComplete="off" />
              )}
            </Field>
          )}
        />
        <datalist id="schedule-zones">{ZONES.map((z) => <option key={z} value={z} />)}</datalist>
      </div>
    </Card>
  );
}

/** An instant as the value of a datetime-local input (the browser's zone), and back. */
const toLocalInput = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : null);

/** When a lead leaves the cadence early. */
export function ExitSection() {
  const { control, register } = useFormContext<BuilderValues>();
  const { errors } = useFormState({ control, name: 'exitOn' });
  const onReply = useWatch({ control, name: 'exitOn.onReply' });
  return (
    <Card title="Exit rules" description="A lead leaves the cadence at once when one of these happens: no further step runs and its open tasks are cancelled.">
      <div className="flex flex-col gap-4">
        <div className="grid gap-2 sm:grid-cols-2">
          <Checkbox label="Replies" hint="Out-of-office replies pause instead." {...register('exitOn.onReply')} />
          <Checkbox label="Books a meeting" {...register('exitOn.onMeeting')} />
          <Checkbox label="Is converted" {...register('exitOn.onConversion')} />
          <Checkbox label="Bounces or unsubscribes" hint="Always: never written to again." checked disabled readOnly />
        </div>
        <Controller
          control={control}
          name="exitOn.replyFrom"
          render={({ field }) => (
            <Checkbox
              label="Replies from anyone at the lead’s company count"
              hint="Same email domain as the lead; never a free-mail domain such as gmail.com. Otherwise only the lead’s own address counts, and others’ replies are shown on the lead’s timeline."
              checked={field.value === 'domain'}
              onChange={(e) => field.onChange(e.target.checked ? 'domain' : 'address')}
              onBlur={field.onBlur}
              ref={field.ref}
              disabled={!onReply}
            />
          )}
        />
        <Controller
          control={control}
          name="exitOn.callOutcomes"
          render={({ field }) => (
            <div role="group" aria-label="Call outcomes that end the cadence" className="flex flex-col gap-1.5">
              <span className="text-[13px] font-medium text-zinc-800">A call is logged as</span>
              <div className="flex flex-wrap gap-1.5">
                {CALL_OUTCOMES.map((o) => (
                  <ToggleChip key={o} pressed={field.value.includes(o)} onPressedChange={(on) => field.onChange(on ? [...field.value, o] : field.value.filter((x) => x !== o))}>
                    {OUTCOME_WORDS[o]}
                  </ToggleChip>
                ))}
              </div>
            </div>
          )}
        />
        <Controller
          control={control}
          name="exitOn.fieldCriteria"
          render={({ field }) => (
            <div className="flex flex-col gap-1.5">
              <span className="text-[13px] font-medium text-zinc-800">A field changes to</span>
              <CriteriaEditor
                noun="Exit criterion"
                addLabel="Add a field rule (e.g. status is Qualified)"
                value={field.value}
                onChange={field.onChange}
                errors={field.value.map((_, i) => errorAt(errors, `exitOn.fieldCriteria.${i}`) ?? errorAt(errors, `exitOn.fieldCriteria.${i}.field`))}
              />
            </div>
          )}
        />
        <Controller
          control={control}
          name="exitOn.endDate"
          render={({ field, fieldState }) => (
            <Field label="End date" error={fieldState.error?.message} hint="Every lead still in the cadence leaves then (reason: ended). Your browser’s time zone.">
              {(p) => <Input {...p} type="datetime-local" value={toLocalInput(field.value)} onChange={(e) => field.onChange(fromLocalInput(e.target.value))} ref={field.ref} className="sm:w-64" />}
            </Field>
          )}
        />
      </div>
    </Card>
  );
}

/** "matches 1,234 leads now", live as the filter changes. */
function MatchCount() {
  const { control } = useFormContext<BuilderValues>();
  const filter = useDebounced(useWatch({ control, name: 'autoEnroll.filter' }) ?? [], 500);
  const module = useWatch({ control, name: 'module' });
  const usable = filter.filter((c) => c.field.trim() !== '');
  const matches = useAutoEnrollMatches(usable, module, usable.length > 0);
  const noun = module === 'contact' ? 'contacts' : 'leads';
  return (
    <p role="status" aria-live="polite" className="flex items-center gap-2 text-[13px] text-zinc-700">
      {usable.length === 0 ? 'Add a rule to see how many match.'
        : matches.isError ? <span className="text-red-700">Could not count the matches: {matches.error.message}</span>
        : matches.data ? <>
            <strong className="font-semibold text-zinc-900">Matches {matches.data.count.toLocaleString()}{matches.data.atLeast ? '+' : ''} {noun} now</strong>
            {matches.isFetching && <Spinner label="Counting" />}
          </>
        : <><Spinner label="Counting" />Counting…</>}
    </p>
  );
}

/** Who gets in, how fast, and how the sequence waits for the reps. */
export function EnrolmentSection() {
  const { control, register, setValue } = useFormContext<BuilderValues>();
  const { errors } = useFormState({ control });
  const autoEnroll = useWatch({ control, name: 'autoEnroll' });
  const throttle = useWatch({ control, name: 'throttle' });
  const waitForTasks = useWatch({ control, name: 'waitForTasks' });
  return (
    <Card title="Enrolment" description="Leads are enrolled by hand (a selection, a filter or a CSV import), or automatically when they come to match a filter.">
      <div className="flex flex-col gap-5">
        <div className="flex flex-col gap-2">
          <Checkbox
            label="Enrol automatically by a filter"
            checked={autoEnroll !== null}
            onChange={(e) => setValue('autoEnroll', e.target.checked ? { filter: [{ field: 'status', in: ['New'] }], existingRecords: false } : null, { shouldDirty: true })}
          />
          {autoEnroll && (
            <div className="ml-6 flex flex-col gap-2">
              <Controller
                control={control}
                name="autoEnroll.filter"
                render={({ field }) => (
                  <CriteriaEditor
                    noun="Filter"
                    addLabel="Add a rule"
                    value={field.value ?? []}
                    onChange={field.onChange}
                    errors={(field.value ?? []).map((_, i) => errorAt(errors, `autoEnroll.filter.${i}`))}
                  />
                )}
              />
              <ErrorText message={errorAt(errors, 'autoEnroll.filter')} />
              <MatchCount />
              <Checkbox label="Also enrol the records that match now" hint="Otherwise only records that come to match from now on." {...register('autoEnroll.existingRecords')} />
            </div>
          )}
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Enrol the same lead again" error={errorAt(errors, 'reenrollment')}>
            {(p) => (
              <Select {...p} {...register('reenrollment')}>
                {REENROLLMENT.map((r) => <option key={r} value={r}>{REENROLLMENT_WORDS[r]}</option>)}
              </Select>
            )}
          </Field>
          <div className="flex flex-col gap-2">
            <Checkbox
              label="Limit new enrolments per rep per day"
              checked={throttle !== null}
              onChange={(e) => setValue('throttle', e.target.checked ? { perRepPerDay: 50 } : null, { shouldDirty: true })}
            />
            {throttle && (
              <Field label="At most, per rep per day" error={errorAt(errors, 'throttle.perRepPerDay')} hint="The rest wait as pending and start in order." className="ml-6">
                {(p) => <Input {...p} type="number" min={1} max={100000} {...register('throttle.perRepPerDay', { valueAsNumber: true })} className="w-28" />}
              </Field>
            )}
          </div>
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Checkbox
            label="Wait for reps to finish tasks"
            hint={waitForTasks ? 'The next step’s delay starts when the call, to-do or manual email is done.' : 'The next step’s delay starts when the task is created; the sequence goes on without waiting.'}
            {...register('waitForTasks')}
          />
          <Field label="Give up on an open task after (days)" error={errorAt(errors, 'taskTimeoutDays')} hint="It then counts as not completed and the sequence goes on, so no lead stalls.">
            {(p) => <Input {...p} type="number" min={0} max={365} step="any" {...register('taskTimeoutDays', { valueAsNumber: true })} className="w-28" />}
          </Field>
        </div>
      </div>
    </Card>
  );
}
