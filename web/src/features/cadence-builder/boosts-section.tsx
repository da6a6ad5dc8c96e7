import { Plus, Trash2, Zap } from 'lucide-react';
import { useFieldArray, useFormContext, useFormState, useWatch } from 'react-hook-form';
import type { Boost } from '@contract/cadences.ts';
import { STEP_TYPES, type StepType } from '@contract/enums.ts';
import { Button } from '@/components/ui/button.tsx';
import { Card } from '@/components/ui/card.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Select } from '@/components/ui/select.tsx';
import { sentence } from '@/lib/text.ts';
import { newStepId, type BuilderValues } from './builder-model.ts';
import { errorAt, TemplateField } from './template-field.tsx';

const ACTION_WORDS: Record<StepType, string> = { call: 'create a call task', task: 'create a to-do', email: 'send an email' };

function newAction(type: StepType): Boost['action'] {
  const base = { delayHours: 0, instructions: null, priority: 'high' as const };
  if (type === 'email') return { ...base, type, mode: 'auto', title: null, subject: '', body: '', threadWithPrevious: true };
  return { ...base, type, title: type === 'call' ? null : '' };
}

function BoostEditor({ index, onRemove }: { index: number; onRemove: () => void }) {
  const { control, register, setValue, getValues } = useFormContext<BuilderValues>();
  const steps = useWatch({ control, name: 'steps' });
  const type = useWatch({ control, name: `boosts.${index}.action.type` });
  const { errors } = useFormState({ control, name: `boosts.${index}` });
  const emailSteps = steps.map((s, i) => ({ s, i })).filter(({ s }) => s.type === 'email');
  const own = errorAt(errors, `boosts.${index}`);
  return (
    <li className="flex flex-col gap-3 rounded-md p-3 ring-1 ring-zinc-200" aria-label={`Boost ${index + 1}`}>
      <div className="flex flex-wrap items-center gap-1.5 text-[13px] text-zinc-800">
        <Zap className="size-4 text-amber-600" aria-hidden="true" />
        When
        <Select aria-label="Which email" {...register(`boosts.${index}.stepId`, { setValueAs: (v: unknown) => (v === '' || v === null ? null : v) })}>
          <option value="">any email</option>
          {emailSteps.map(({ s, i }) => <option key={s.id} value={s.id}>step {i + 1}’s email</option>)}
        </Select>
        is
        <Select aria-label="Opened or clicked" {...register(`boosts.${index}.on`)}>
          <option value="opened">opened</option>
          <option value="clicked">clicked</option>
        </Select>
        at least
        <Input aria-label="How many times" type="number" min={1} max={1000} {...register(`boosts.${index}.minCount`, { valueAsNumber: true })} className="w-16" />
        times,
        <Select
          aria-label="What it does"
          value={type}
          onChange={(e) => {
            const delayHours = getValues(`boosts.${index}.action.delayHours`);
            setValue(`boosts.${index}.action`, { ...newAction(e.target.value as StepType), delayHours }, { shouldDirty: true });
          }}
        >
          {STEP_TYPES.map((t) => <option key={t} value={t}>{ACTION_WORDS[t]}</option>)}
        </Select>
        after
        <Input aria-label="Hours later" type="number" min={0} max={8760} step="any" {...register(`boosts.${index}.action.delayHours`, { valueAsNumber: true })} className="w-16" />
        hours
        <Button variant="ghost" size="icon" className="ml-auto size-7" aria-label={`Delete boost ${index + 1}`} onClick={onRemove}><Trash2 aria-hidden="true" /></Button>
      </div>
      {own && <p className="text-[13px] text-red-700">{sentence(own)}</p>}
      {type === 'email' ? (
        <>
          <TemplateField name={`boosts.${index}.action.subject` as 'boosts.0.action.subject'} label="Subject" placeholder="Empty: “Re:” and the previous subject" />
          <TemplateField name={`boosts.${index}.action.body` as 'boosts.0.action.body'} label="Body" multiline rows={4} />
        </>
      ) : (
        <>
          <TemplateField name={`boosts.${index}.action.title`} label="Task title" placeholder={type === 'call' ? 'Call {{lead.fullName}}: they opened your email' : 'Follow up with {{lead.firstName}}'} />
          <TemplateField name={`boosts.${index}.action.instructions`} label={type === 'call' ? 'Call script' : 'Instructions'} multiline rows={3} />
        </>
      )}
    </li>
  );
}

/** Extra outreach on an intent signal; each fires at most once per enrolment and does not move the steps. */
export function BoostsSection() {
  const { control } = useFormContext<BuilderValues>();
  const { fields, append, remove } = useFieldArray({ control, name: 'boosts', keyName: 'key' });
  return (
    <Card title="Boosts" description="Strike while a lead is interested: when they open or click, create a call or send an email. Each boost fires at most once per lead, within the schedule, and does not move the steps.">
      <div className="flex flex-col gap-3">
        {fields.length > 0 && <ul className="flex flex-col gap-3">{fields.map((f, i) => <BoostEditor key={f.key} index={i} onRemove={() => remove(i)} />)}</ul>}
        <Button
          size="sm"
          variant="ghost"
          className="self-start"
          disabled={fields.length >= 50}
          onClick={() => append({ id: newStepId(fields.map((f) => f.id)).replace('step', 'boost'), on: 'opened', stepId: null, minCount: 2, action: newAction('call') })}
        >
          <Plus aria-hidden="true" />Add a boost
        </Button>
      </div>
    </Card>
  );
}
