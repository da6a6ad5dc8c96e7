import { ArrowLeft, ChevronDown, ChevronUp, SkipForward } from 'lucide-react';
import { useRef, useState } from 'react';
import { CALL_OUTCOMES, type CallOutcome } from '@contract/enums.ts';
import type { TaskItem } from '@contract/tasks.ts';
import { useShortcut } from '@/app/shortcuts/shortcuts.tsx';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Kbd } from '@/components/ui/kbd.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { Tooltip } from '@/components/ui/tooltip.tsx';
import { useCompleteTask, useSkipTask, useSnoozeTask, useTaskExitRules } from '@/data/tasks/index.ts';
import { LeadPanel } from '@/features/lead/lead-panel.tsx';
import { OUTCOME_LABELS, outcomeEndsCadence } from './call-outcomes.tsx';
import { dateTime } from './format.ts';
import { FocusTask } from './focus-task.tsx';
import { SnoozeMenu } from './snooze-menu.tsx';
import { useNow } from './use-now.ts';

export interface FocusModeProps {
  /** The tab's tasks in queue order: n/j and k move through them. */
  tasks: TaskItem[];
  taskId: string;
  /** The tab, for "3 of 12 in Today". */
  tabLabel: string;
  /** The rep's zone (snooze presets, due times). */
  zone: string;
  /** The workspace's zone (a lead's clock when the lead has none). */
  orgZone: string;
  /** The queue is still loading: an unknown task may yet appear. */
  loading: boolean;
  onOpen: (taskId: string) => void;
  onClose: () => void;
}

/**
 * One task at a time, big, with the lead beside it. Acting on the task (an outcome, done,
 * sent, skipped, snoozed) moves to the next one in the queue's order; n/j and k move
 * without acting; Esc goes back to the list. Keys are ignored while the rep types.
 */
export function FocusMode(props: FocusModeProps) {
  const { tasks, taskId, loading, onOpen, onClose } = props;
  const index = tasks.findIndex((t) => t.id === taskId);
  const task = index >= 0 ? tasks[index] : undefined;
  useShortcut('Escape', 'Leave focus mode', onClose, { group: 'Focus mode' });
  if (!task) {
    if (loading) return <div className="grid flex-1 place-items-center py-24"><Spinner label="Loading the task" /></div>;
    return (
      <EmptyState
        title="This task is no longer in this tab"
        action={
          <div className="flex gap-2">
            <Button onClick={onClose}>Back to the queue</Button>
            {tasks[0] && <Button variant="primary" onClick={() => onOpen(tasks[0]!.id)}>Open the first task</Button>}
          </div>
        }
      >
        It was done, skipped or rescheduled (here or in another window), or it belongs to another tab.
      </EmptyState>
    );
  }
  // Keyed by task: the note and the email draft start afresh for each task.
  return <FocusedTask key={task.id} {...props} task={task} index={index} />;
}

function FocusedTask({ tasks, task, index, tabLabel, zone, orgZone, onOpen, onClose }: FocusModeProps & { task: TaskItem; index: number }) {
  const now = useNow();
  const [note, setNote] = useState('');
  const [snoozeOpen, setSnoozeOpen] = useState(false);
  const [pendingOutcome, setPendingOutcome] = useState<CallOutcome>();
  const bodyRef = useRef<HTMLTextAreaElement | null>(null);
  const noteRef = useRef<HTMLTextAreaElement | null>(null);
  const complete = useCompleteTask();
  const skip = useSkipTask();
  const snooze = useSnoozeTask();
  const rules = useTaskExitRules(task);
  const busy = complete.isPending || skip.isPending || snooze.isPending;

  const previous = tasks[index - 1];
  const next = tasks[index + 1];
  /** After acting: the next task, else the one before (the list shrank), else back to the list. */
  const moveOn = () => {
    const to = next ?? previous;
    if (to) onOpen(to.id);
    else {
      toast({ title: `Nothing left in ${tabLabel}`, description: 'That was the last task of this tab.' });
      onClose();
    }
  };
  const goNext = () => {
    if (next) onOpen(next.id);
    else toast({ title: 'This is the last task', description: `Nothing after it in ${tabLabel}.` });
  };
  const goPrevious = () => {
    if (previous) onOpen(previous.id);
  };

  const ref = { id: task.id, recordId: task.recordId };
  const onOutcome = async (outcome: CallOutcome) => {
    if (busy || task.type !== 'call') return;
    setPendingOutcome(outcome);
    try {
      await complete.mutateAsync({ ...ref, outcome, note });
      const ends = rules.data ? outcomeEndsCadence(outcome, rules.data) : null;
      toast({ title: `${OUTCOME_LABELS[outcome]}: ${task.title}`, description: ends ? `${rules.data!.name} ended for this lead.` : undefined });
      moveOn();
    } catch {
      // The failure is shown as a toast by the query client; the task stays.
    } finally {
      setPendingOutcome(undefined);
    }
  };
  const onDone = async () => {
    if (busy || task.type !== 'task') return;
    try {
      await complete.mutateAsync({ ...ref, note });
      toast({ title: `Done: ${task.title}` });
      moveOn();
    } catch { /* toast shown */ }
  };
  const onSkip = async () => {
    if (busy) return;
    try {
      await skip.mutateAsync({ ...ref, note });
      toast({ title: `Skipped: ${task.title}`, description: 'The cadence goes on to its next step.' });
      moveOn();
    } catch { /* toast shown */ }
  };
  const onSnooze = async (until: Date) => {
    if (busy) return;
    try {
      await snooze.mutateAsync({ ...ref, until: until.toISOString() });
      setSnoozeOpen(false);
      toast({ title: `Snoozed until ${dateTime(until, zone, now)}`, description: task.title });
      moveOn();
    } catch { /* toast shown */ }
  };
  const onSent = (from: string) => {
    toast({ title: `Sent from ${from}`, description: task.title });
    moveOn();
  };

  useShortcut('n', 'Next task (without acting)', goNext, { group: 'Focus mode' });
  useShortcut('j', 'Next task', goNext, { group: 'Focus mode' });
  useShortcut('k', 'Previous task', goPrevious, { group: 'Focus mode' });
  useShortcut('s', 'Skip the task (with the note)', () => void onSkip(), { group: 'Focus mode' });
  useShortcut('z', 'Snooze…', () => setSnoozeOpen(true), { group: 'Focus mode' });
  useShortcut('e', 'Edit the email', () => bodyRef.current?.focus(), { group: 'Focus mode', enabled: task.type === 'email' });
  useShortcut('mod+Enter', task.type === 'email' ? 'Send the email' : 'Mark the to-do done', () => {
    if (task.type === 'email') (document.getElementById('manual-email-form') as HTMLFormElement | null)?.requestSubmit();
    else void onDone();
  }, { group: 'Focus mode', enabled: task.type !== 'call' });

  return (
    <div className="flex min-h-0 flex-1 flex-col lg:flex-row">
      <section aria-labelledby="focus-task-title" className="flex min-w-0 flex-1 flex-col">
        <div className="flex h-11 items-center gap-2 border-b border-zinc-200 bg-white px-6">
          <Tooltip content="Back to the list" keys={['Esc']}>
            <Button variant="ghost" size="sm" onClick={onClose}><ArrowLeft aria-hidden="true" />Back to the queue</Button>
          </Tooltip>
          <p className="ml-auto text-[13px] text-zinc-600 tabular-nums" aria-live="polite">
            Task {index + 1} of {tasks.length} in {tabLabel}
          </p>
          <Tooltip content="Previous task" keys={['K']}>
            <Button variant="ghost" size="icon" aria-label="Previous task" aria-keyshortcuts="k" disabled={!previous} onClick={goPrevious}><ChevronUp aria-hidden="true" /></Button>
          </Tooltip>
          <Tooltip content="Next task" keys={['N']}>
            <Button variant="ghost" size="icon" aria-label="Next task" aria-keyshortcuts="n" disabled={!next} onClick={goNext}><ChevronDown aria-hidden="true" /></Button>
          </Tooltip>
        </div>
        <div className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-6 py-6">
          <FocusTask
            task={task}
            now={now}
            zone={zone}
            orgZone={orgZone}
            note={note}
            onNoteChange={setNote}
            noteRef={noteRef}
            rules={rules}
            onOutcome={(o) => void onOutcome(o)}
            pendingOutcome={pendingOutcome}
            onDone={() => void onDone()}
            busy={busy}
            onSent={onSent}
            bodyRef={bodyRef}
          />
          <div className="flex flex-wrap items-center gap-2 border-t border-zinc-200 pt-4">
            <Button onClick={() => void onSkip()} loading={skip.isPending} disabled={busy} aria-keyshortcuts="s">
              <SkipForward aria-hidden="true" />Skip<Kbd className="ml-1">S</Kbd>
            </Button>
            <SnoozeMenu open={snoozeOpen} onOpenChange={setSnoozeOpen} zone={zone} now={now} onSnooze={(u) => void onSnooze(u)} busy={snooze.isPending} />
            <Button variant="ghost" onClick={goNext} disabled={!next} aria-keyshortcuts="n" className="ml-auto">
              Next without acting<Kbd className="ml-1">N</Kbd>
            </Button>
          </div>
        </div>
      </section>
      <aside aria-label="Lead" className="w-full shrink-0 border-t border-zinc-200 bg-white px-5 py-5 lg:w-[26rem] lg:overflow-y-auto lg:border-t-0 lg:border-l">
        <LeadPanel leadId={task.recordId} />
      </aside>
      {task.type === 'call' && CALL_OUTCOMES.map((outcome, i) => (
        <OutcomeKey key={outcome} keys={String(i + 1)} outcome={outcome} onOutcome={(o) => void onOutcome(o)} />
      ))}
    </div>
  );
}

/** 1–7: one shortcut per outcome, in the fixed order of the buttons. */
function OutcomeKey({ keys, outcome, onOutcome }: { keys: string; outcome: CallOutcome; onOutcome: (o: CallOutcome) => void }) {
  useShortcut(keys, `Call outcome: ${OUTCOME_LABELS[outcome]}`, () => onOutcome(outcome), { group: 'Focus mode' });
  return null;
}
