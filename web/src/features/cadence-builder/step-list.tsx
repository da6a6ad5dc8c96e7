import { ArrowDown, ArrowUp, ChevronDown, CircleAlert, GitBranch, GripVertical, ListTodo, Mail, MoreHorizontal, Phone, Plus, Trash2 } from 'lucide-react';
import { useState, type DragEvent, type KeyboardEvent } from 'react';
import { useFieldArray, useFormContext, useFormState, useWatch } from 'react-hook-form';
import type { Step } from '@contract/cadences.ts';
import type { StepType } from '@contract/enums.ts';
import { useShortcut } from '@/app/shortcuts/shortcuts.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { DropdownMenu, MenuItem, MenuSeparator } from '@/components/ui/dropdown-menu.tsx';
import { Tooltip } from '@/components/ui/tooltip.tsx';
import { cn } from '@/lib/cn.ts';
import { CONDITION_WORDS, newStep, newStepId, stepSummary, TYPE_LABELS, type BuilderValues } from './builder-model.ts';
import { dayLabel, delayPhrase, stepDays, type StepDay } from './step-days.ts';
import { StepEditor, weekdaysText } from './step-editor.tsx';

const TYPE_ICONS: Record<StepType, typeof Mail> = { email: Mail, call: Phone, task: ListTodo };

/** "Only if step 2 not replied", or a warning when the step it names is not earlier. */
function conditionText(steps: readonly Step[], index: number): { text: string; wrong: boolean } | null {
  const c = steps[index]?.condition;
  if (!c) return null;
  const target = steps.findIndex((s) => s.id === c.stepId);
  if (target < 0 || target >= index) return { text: 'Condition on a step that is not earlier', wrong: true };
  return { text: `Only if step ${target + 1} ${CONDITION_WORDS[c.is]}`, wrong: false };
}

export interface StepListProps {
  workingDays: readonly number[];
  /** Steps whose editor is open, by step id. */
  open: ReadonlySet<string>;
  onToggle: (stepId: string, open?: boolean) => void;
  /** What a screen reader hears after a move or a delete. */
  announce: (message: string) => void;
}

/**
 * The cadence's steps in order, each with its computed Day N, its type, its summary and
 * its condition; a row opens its editor. Reorder by dragging the handle, with Alt+↑/↓ on
 * the handle, or from the row's menu; conditions and boosts on a deleted step are removed.
 */
export function StepList({ workingDays, open, onToggle, announce }: StepListProps) {
  const { control, getValues, setValue } = useFormContext<BuilderValues>();
  const { fields, append, remove, move } = useFieldArray({ control, name: 'steps', keyName: 'key' });
  const steps = useWatch({ control, name: 'steps' });
  const { errors } = useFormState({ control, name: 'steps' });
  const days = stepDays(steps.map((s) => s.delay), workingDays);
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dragOver, setDragOver] = useState<number | null>(null);

  const moveStep = (from: number, to: number) => {
    if (to < 0 || to >= fields.length || from === to) return;
    const key = fields[from]!.key;
    move(from, to);
    announce(`Step moved to position ${to + 1} of ${fields.length}.`);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-step-handle="${key}"]`)?.focus());
  };

  const deleteStep = (index: number) => {
    const gone = getValues(`steps.${index}`);
    const all = getValues('steps');
    const cleared: string[] = [];
    all.forEach((s, j) => {
      if (s.condition?.stepId === gone.id) {
        setValue(`steps.${j}.condition`, null, { shouldDirty: true });
        cleared.push(`step ${j < index ? j + 1 : j}'s condition`);
      }
    });
    getValues('boosts').forEach((b, j) => {
      if (b.stepId === gone.id) {
        setValue(`boosts.${j}.stepId`, null, { shouldDirty: true });
        cleared.push(`boost ${j + 1} (now on any email)`);
      }
    });
    remove(index);
    announce(`Step ${index + 1} deleted.${cleared.length ? ` Removed what referred to it: ${cleared.join(', ')}.` : ''} Nothing is saved until you save.`);
  };

  const add = (type: StepType) => {
    const id = newStepId(getValues('steps').map((s) => s.id));
    append(newStep(type, id, fields.length === 0), { shouldFocus: false });
    onToggle(id, true);
    announce(`${TYPE_LABELS[type]} step added as step ${fields.length + 1}.`);
  };

  const onHandleKey = (e: KeyboardEvent, index: number) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    moveStep(index, e.key === 'ArrowUp' ? index - 1 : index + 1);
  };

  // Listed under `?`; they move the step that focus is in (its handle moves it by itself, above).
  const moveFocused = (by: number) => (e: globalThis.KeyboardEvent) => {
    const row = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-step-index]') : null;
    if (row) moveStep(Number(row.dataset.stepIndex), Number(row.dataset.stepIndex) + by);
  };
  useShortcut('alt+ArrowUp', 'Move the focused step up', moveFocused(-1), { group: 'Cadence builder' });
  useShortcut('alt+ArrowDown', 'Move the focused step down', moveFocused(1), { group: 'Cadence builder' });

  const onDrop = (e: DragEvent, index: number) => {
    e.preventDefault();
    if (dragFrom !== null) moveStep(dragFrom, index);
    setDragFrom(null);
    setDragOver(null);
  };

  return (
    <section aria-labelledby="steps-heading" className="rounded-lg bg-white shadow-xs ring-1 ring-zinc-200">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 px-3 py-2.5 sm:px-4">
        <div>
          <h2 id="steps-heading" className="text-sm font-semibold text-zinc-900">Steps</h2>
          <p className="text-[13px] text-zinc-600">
            Day 1 is the day a lead is enrolled. Business-day delays count {weekdaysText(workingDays)} only, so a range shows the earliest and latest day; holidays and the schedule can move a step later.
          </p>
        </div>
      </header>
      {errors.steps?.root?.message || errors.steps?.message ? (
        <p role="alert" className="px-4 pt-3 text-[13px] text-red-700">{errors.steps?.root?.message ?? errors.steps?.message}</p>
      ) : null}
      <ol aria-label="Steps" className="divide-y divide-zinc-200">
        {fields.map((f, i) => {
          const step = steps[i] ?? (f as unknown as Step);
          const isOpen = open.has(step.id);
          const Icon = TYPE_ICONS[step.type];
          const cond = conditionText(steps, i);
          const hasError = Boolean(errors.steps?.[i]);
          const editorId = `step-editor-${f.key}`;
          return (
            <li
              key={f.key}
              aria-label={`Step ${i + 1}`}
              data-step-index={i}
              onDragOver={(e) => { if (dragFrom !== null) { e.preventDefault(); setDragOver(i); } }}
              onDragLeave={() => setDragOver((o) => (o === i ? null : o))}
              onDrop={(e) => onDrop(e, i)}
              className={cn('relative', dragOver === i && dragFrom !== i && 'bg-accent-50', dragFrom === i && 'opacity-60')}
            >
              <div className="flex items-start gap-1 px-1.5 py-2 sm:gap-2 sm:px-2">
                <Tooltip content="Drag, or Alt+↑/↓, to reorder" keys={['Alt', '↑', '↓']}>
                  <button
                    type="button"
                    draggable
                    data-step-handle={f.key}
                    aria-label={`Reorder step ${i + 1} (Alt+Up or Alt+Down)`}
                    aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown"
                    onKeyDown={(e) => onHandleKey(e, i)}
                    onDragStart={(e) => {
                      setDragFrom(i);
                      e.dataTransfer.effectAllowed = 'move';
                      e.dataTransfer.setData('text/plain', String(i));
                      const row = (e.currentTarget as HTMLElement).closest('li');
                      if (row) e.dataTransfer.setDragImage(row, 24, 20);
                    }}
                    onDragEnd={() => { setDragFrom(null); setDragOver(null); }}
                    className="mt-1 grid size-7 shrink-0 cursor-grab place-items-center rounded text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800 active:cursor-grabbing"
                  >
                    <GripVertical className="size-4" aria-hidden="true" />
                  </button>
                </Tooltip>
                {days[i] ? <DayCell day={days[i]} /> : <span className="w-[4.75rem] shrink-0 sm:w-[5.5rem]" />}
                <button
                  type="button"
                  aria-expanded={isOpen}
                  aria-controls={editorId}
                  onClick={() => onToggle(step.id)}
                  className="flex min-w-0 flex-1 flex-col items-start gap-0.5 rounded px-1 py-1 text-left hover:bg-zinc-50"
                >
                  <span className="flex w-full min-w-0 items-center gap-1.5">
                    <Icon className="size-4 shrink-0 text-zinc-500" aria-hidden="true" />
                    <span className="shrink-0 text-[13px] font-medium text-zinc-900">
                      {i + 1}. {TYPE_LABELS[step.type]}{step.type === 'email' ? (step.mode === 'manual' ? ' · manual' : ' · automatic') : ''}
                    </span>
                    <span className="min-w-0 truncate text-[13px] text-zinc-700">— {stepSummary(step)}</span>
                  </span>
                  <span className="flex flex-wrap items-center gap-1.5 text-[12px] text-zinc-600">
                    {delayPhrase(step.delay, i)}
                    {cond && (
                      <Badge tone={cond.wrong ? 'danger' : 'accent'}><GitBranch className="size-3" aria-hidden="true" />{cond.text}</Badge>
                    )}
                    {step.type === 'email' && step.threadWithPrevious && i > 0 && <Badge>threaded</Badge>}
                    {hasError && <Badge tone="danger"><CircleAlert className="size-3" aria-hidden="true" />needs a fix</Badge>}
                  </span>
                </button>
                <ChevronDown className={cn('mt-2.5 size-4 shrink-0 text-zinc-500 transition-transform', isOpen && 'rotate-180')} aria-hidden="true" />
                <DropdownMenu
                  label={`Step ${i + 1} actions`}
                  trigger={<Button variant="ghost" size="icon" aria-label={`Step ${i + 1} actions`} className="size-7"><MoreHorizontal aria-hidden="true" /></Button>}
                >
                  <MenuItem disabled={i === 0} onSelect={() => moveStep(i, i - 1)}><ArrowUp aria-hidden="true" />Move up</MenuItem>
                  <MenuItem disabled={i === fields.length - 1} onSelect={() => moveStep(i, i + 1)}><ArrowDown aria-hidden="true" />Move down</MenuItem>
                  <MenuSeparator />
                  <MenuItem disabled={fields.length === 1} onSelect={() => deleteStep(i)} className="text-red-700 data-highlighted:text-red-800">
                    <Trash2 aria-hidden="true" />Delete step
                  </MenuItem>
                </DropdownMenu>
              </div>
              <div id={editorId} hidden={!isOpen}>
                {isOpen && <StepEditor index={i} workingDays={workingDays} />}
              </div>
            </li>
          );
        })}
      </ol>
      <div className="flex flex-wrap items-center gap-2 border-t border-zinc-200 px-3 py-2.5 sm:px-4">
        <span className="text-[13px] text-zinc-700">Add a step:</span>
        {(['email', 'call', 'task'] as const).map((t) => {
          const Icon = TYPE_ICONS[t];
          return <Button key={t} size="sm" onClick={() => add(t)} disabled={fields.length >= 100}><Plus aria-hidden="true" /><Icon aria-hidden="true" />{TYPE_LABELS[t]}</Button>;
        })}
      </div>
    </section>
  );
}

function DayCell({ day }: { day: StepDay }) {
  const label = dayLabel(day);
  return (
    <span
      className="mt-1 inline-flex h-7 w-[4.75rem] shrink-0 items-center justify-center rounded-md bg-zinc-100 text-[12px] font-semibold text-zinc-800 tabular-nums sm:w-[5.5rem]"
      title={day.first === day.last ? undefined : 'Depends on the weekday the lead is enrolled (business days)'}
    >
      {label}
    </span>
  );
}
