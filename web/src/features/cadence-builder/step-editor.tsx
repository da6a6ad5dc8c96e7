import { Controller, useFormContext, useFormState, useWatch } from 'react-hook-form';
import { DELAY_UNITS, PRIORITIES } from '@contract/enums.ts';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Checkbox, Select } from '@/components/ui/select.tsx';
import { ToggleGroup } from '@/components/ui/toggle-group.tsx';
import type { BuilderValues } from './builder-model.ts';
import { ConditionChip } from './condition-chip.tsx';
import { errorAt, TemplateField } from './template-field.tsx';

export const UNIT_LABELS: Record<(typeof DELAY_UNITS)[number], string> = {
  minutes: 'minutes', hours: 'hours', days: 'days', business_days: 'business days',
};
const PRIORITY_LABELS: Record<(typeof PRIORITIES)[number], string> = { low: 'Low', normal: 'Normal', high: 'High' };
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "Mon–Fri", "Mon, Wed, Fri": the working days a business-day delay counts. */
export function weekdaysText(days: readonly number[]): string {
  const sorted = [...days].sort((a, b) => a - b);
  const run = sorted.length > 2 && sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  return run ? `${WEEKDAYS[sorted[0]! - 1]}–${WEEKDAYS[sorted[sorted.length - 1]! - 1]}` : sorted.map((d) => WEEKDAYS[d - 1]).join(', ');
}

/** How long after the previous step (or the enrolment, for the first) this one falls due. */
function DelayFields({ index, workingDays }: { index: number; workingDays: readonly number[] }) {
  const { register, control } = useFormContext<BuilderValues>();
  const { errors } = useFormState({ control, name: `steps.${index}.delay` });
  const unit = useWatch({ control, name: `steps.${index}.delay.unit` });
  const error = errorAt(errors, `steps.${index}.delay.amount`) ?? errorAt(errors, `steps.${index}.delay`);
  return (
    <Field
      label={index === 0 ? 'Wait after enrolment' : 'Wait after the previous step'}
      error={error}
      hint={unit === 'business_days'
        ? `Business days count only working days (${weekdaysText(workingDays)}) and skip the organisation's holidays.`
        : index === 0 ? undefined : 'From the moment the previous step is done (sent, or its task completed).'}
    >
      {(p) => (
        <div className="flex gap-2">
          <Input {...p} {...register(`steps.${index}.delay.amount`, { valueAsNumber: true })} type="number" min={0} max={3650} step="any" inputMode="decimal" className="w-24" />
          <Select aria-label="Unit" {...register(`steps.${index}.delay.unit`)}>
            {DELAY_UNITS.map((u) => <option key={u} value={u}>{UNIT_LABELS[u]}</option>)}
          </Select>
        </div>
      )}
    </Field>
  );
}

function PriorityField({ index }: { index: number }) {
  const { register } = useFormContext<BuilderValues>();
  return (
    <Field label="Priority">
      {(p) => (
        <Select {...p} {...register(`steps.${index}.priority`)} className="w-32">
          {PRIORITIES.map((v) => <option key={v} value={v}>{PRIORITY_LABELS[v]}</option>)}
        </Select>
      )}
    </Field>
  );
}

function EmailFields({ index }: { index: number }) {
  const { control, register } = useFormContext<BuilderValues>();
  const mode = useWatch({ control, name: `steps.${index}.mode` as `steps.0.mode` });
  const threaded = useWatch({ control, name: `steps.${index}.threadWithPrevious` as `steps.0.threadWithPrevious` });
  return (
    <>
      <div className="flex flex-col gap-1.5">
        <span className="text-[13px] font-medium text-zinc-800" id={`mode-${index}`}>Sending</span>
        <Controller
          control={control}
          name={`steps.${index}.mode` as `steps.0.mode`}
          render={({ field }) => (
            <ToggleGroup
              label="Sending"
              value={field.value ?? 'auto'}
              onChange={field.onChange}
              options={[
                { value: 'auto', label: 'Automatic', title: 'The engine sends it from the lead owner’s mailbox' },
                { value: 'manual', label: 'Manual', title: 'A task for the rep to review, edit and send' },
              ]}
              className="self-start"
            />
          )}
        />
        <p className="text-[13px] text-zinc-600">
          {mode === 'manual' ? 'The rep gets a task to review, edit and send it from Today.' : 'Sent by the engine from the lead owner’s mailbox, within the schedule.'}
        </p>
      </div>
      {index > 0 && (
        <Checkbox
          label="Reply in the thread of the previous email"
          hint="Sent as “Re: …” with In-Reply-To and References, so it lands under the earlier message."
          {...register(`steps.${index}.threadWithPrevious` as `steps.0.threadWithPrevious`)}
        />
      )}
      <TemplateField
        name={`steps.${index}.subject` as `steps.0.subject`}
        label="Subject"
        placeholder={threaded ? 'Empty: “Re:” and the previous subject' : 'Quick question, {{lead.firstName | fallback: "there"}}'}
      />
      <TemplateField name={`steps.${index}.body` as `steps.0.body`} label="Body" multiline rows={8} placeholder={'Hi {{lead.firstName | fallback: "there"}},\n\n…'} hint="Plain text, or HTML. Merge fields print the lead’s values; a fallback prints when a lead has none." />
      {mode === 'manual' && <TemplateField name={`steps.${index}.title`} label="Task title" placeholder="Email {{lead.fullName}}" />}
    </>
  );
}

/** The editor of one step: its delay, its condition and its type's content. */
export function StepEditor({ index, workingDays }: { index: number; workingDays: readonly number[] }) {
  const { control } = useFormContext<BuilderValues>();
  const type = useWatch({ control, name: `steps.${index}.type` });
  const mode = useWatch({ control, name: `steps.${index}.mode` as `steps.0.mode` });
  return (
    <div className="flex flex-col gap-4 border-t border-zinc-200 bg-zinc-50/60 px-3 py-4 sm:px-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <DelayFields index={index} workingDays={workingDays} />
        {(type !== 'email' || mode === 'manual') && <PriorityField index={index} />}
      </div>
      {index > 0 && (
        <div className="flex flex-col gap-1.5">
          <span className="text-[13px] font-medium text-zinc-800">Condition</span>
          <ConditionChip index={index} />
        </div>
      )}
      {type === 'email' && <EmailFields index={index} />}
      {type === 'call' && (
        <>
          <TemplateField name={`steps.${index}.title`} label="Task title" placeholder="Call {{lead.fullName}}" hint="Empty: “Call” and the lead’s name." />
          <TemplateField name={`steps.${index}.instructions`} label="Call script" multiline placeholder="Who to ask for, what to say, what to leave on a voicemail…" />
        </>
      )}
      {type === 'task' && (
        <>
          <TemplateField name={`steps.${index}.title`} label="Task title" placeholder="Connect with {{lead.firstName}} on LinkedIn" />
          <TemplateField name={`steps.${index}.instructions`} label="Instructions" multiline rows={4} />
        </>
      )}
    </div>
  );
}
