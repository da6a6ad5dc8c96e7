import { GitBranch, Plus, X } from 'lucide-react';
import { useState } from 'react';
import { useFormContext, useFormState, useWatch } from 'react-hook-form';
import type { ConditionIs } from '@contract/enums.ts';
import { Button } from '@/components/ui/button.tsx';
import { Popover } from '@/components/ui/popover.tsx';
import { Select } from '@/components/ui/select.tsx';
import { cn } from '@/lib/cn.ts';
import { sentence } from '@/lib/text.ts';
import { conditionChoices, CONDITION_WORDS, TYPE_LABELS, type BuilderValues } from './builder-model.ts';
import { errorAt } from './template-field.tsx';

/**
 * A step's condition as a chip: "Only if step 2 not replied", with × to remove it; or
 * "Add a condition" when it has none. A condition on a step that is not earlier (after a
 * reorder) shows as a warning: the server refuses it.
 */
export function ConditionChip({ index }: { index: number }) {
  const { control, setValue } = useFormContext<BuilderValues>();
  const steps = useWatch({ control, name: 'steps' });
  const { errors } = useFormState({ control, name: `steps.${index}.condition` });
  const condition = steps[index]?.condition ?? null;
  const earlier = steps.slice(0, index);
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<{ stepId: string; is: ConditionIs } | null>(null);
  if (index === 0) return null;

  const target = condition ? steps.findIndex((s) => s.id === condition.stepId) : -1;
  const wrong = condition !== null && (target < 0 || target >= index);
  const serverError = errorAt(errors, `steps.${index}.condition`) ?? errorAt(errors, `steps.${index}.condition.is`) ?? errorAt(errors, `steps.${index}.condition.stepId`);
  const set = (c: { stepId: string; is: ConditionIs } | null) => setValue(`steps.${index}.condition`, c, { shouldDirty: true });

  const startDraft = () => {
    const last = earlier[earlier.length - 1]!;
    setDraft(condition ?? { stepId: last.id, is: conditionChoices(last.type)[0]! });
  };
  const draftTarget = draft ? steps.find((s) => s.id === draft.stepId) : undefined;

  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap items-center gap-1.5">
        {condition ? (
          <span
            className={cn(
              'inline-flex h-6 items-center gap-1 rounded-full pr-0.5 pl-2 text-[12px] font-medium ring-1 ring-inset',
              wrong ? 'bg-red-50 text-red-800 ring-red-200' : 'bg-accent-50 text-accent-700 ring-accent-100',
            )}
          >
            <GitBranch className="size-3.5" aria-hidden="true" />
            {wrong ? 'Only if an earlier step… (this one is not earlier: pick another)' : `Only if step ${target + 1} ${CONDITION_WORDS[condition.is]}`}
            <button type="button" aria-label="Remove the condition" onClick={() => set(null)} className="grid size-5 place-items-center rounded-full hover:bg-white/70">
              <X className="size-3" aria-hidden="true" />
            </button>
          </span>
        ) : (
          <span className="text-[12px] text-zinc-600">Runs for every lead</span>
        )}
        <Popover
          open={open}
          onOpenChange={(o) => { setOpen(o); if (o) startDraft(); }}
          label="Condition"
          trigger={
            <Button size="sm" variant="ghost" className="h-6 px-1.5 text-[12px]">
              {condition ? 'Change' : <><Plus aria-hidden="true" />Add a condition</>}
            </Button>
          }
        >
          {draft && (
            <div className="flex flex-col gap-3">
              <p className="text-[13px] text-zinc-700">Skip this step unless an earlier step had this outcome; the cadence then goes on.</p>
              <label className="flex flex-col gap-1 text-[13px] font-medium text-zinc-800">
                Only if step
                <Select
                  value={draft.stepId}
                  onChange={(e) => {
                    const s = steps.find((x) => x.id === e.target.value)!;
                    const choices = conditionChoices(s.type);
                    setDraft({ stepId: s.id, is: choices.includes(draft.is) ? draft.is : choices[0]! });
                  }}
                >
                  {earlier.map((s, i) => <option key={s.id} value={s.id}>Step {i + 1} ({TYPE_LABELS[s.type].toLowerCase()})</option>)}
                </Select>
              </label>
              <label className="flex flex-col gap-1 text-[13px] font-medium text-zinc-800">
                was
                <Select value={draft.is} onChange={(e) => setDraft({ ...draft, is: e.target.value as ConditionIs })}>
                  {conditionChoices(draftTarget?.type ?? 'task').map((c) => <option key={c} value={c}>{CONDITION_WORDS[c]}</option>)}
                </Select>
              </label>
              <div className="flex justify-end gap-2">
                <Button size="sm" variant="ghost" onClick={() => setOpen(false)}>Cancel</Button>
                <Button size="sm" variant="primary" onClick={() => { set(draft); setOpen(false); }}>Set condition</Button>
              </div>
            </div>
          )}
        </Popover>
      </div>
      {serverError && <p className="text-[13px] text-red-700">{sentence(serverError)}</p>}
    </div>
  );
}
