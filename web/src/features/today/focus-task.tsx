import { Link } from '@tanstack/react-router';
import { Check, Phone } from 'lucide-react';
import type { RefObject } from 'react';
import type { CallOutcome } from '@contract/enums.ts';
import type { TaskItem } from '@contract/tasks.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Textarea } from '@/components/ui/input.tsx';
import { Kbd } from '@/components/ui/kbd.tsx';
import { CallOutcomes, OUTCOME_LABELS, outcomeEndsCadence, type OutcomeExitRules } from './call-outcomes.tsx';
import { DueLabel } from './due-label.tsx';
import { HotBadge } from './hot-badge.tsx';
import { LeadClock } from './lead-clock.tsx';
import { ManualEmailForm } from './manual-email-form.tsx';
import { stepLabel, TaskKindIcon, taskKindLabel } from './task-kind.tsx';

interface ExitRulesQuery {
  data?: OutcomeExitRules & { name: string };
  isError: boolean;
  isPending: boolean;
}

/** The task itself in focus mode: who, why, and what to do for its kind. */
export function FocusTask({ task, now, zone, orgZone, note, onNoteChange, noteRef, rules, onOutcome, pendingOutcome, onDone, busy, onSent, bodyRef }: {
  task: TaskItem;
  now: Date;
  zone: string;
  orgZone: string;
  note: string;
  onNoteChange: (note: string) => void;
  noteRef: RefObject<HTMLTextAreaElement | null>;
  rules: ExitRulesQuery;
  onOutcome: (outcome: CallOutcome) => void;
  pendingOutcome?: CallOutcome;
  onDone: () => void;
  busy: boolean;
  onSent: (from: string) => void;
  bodyRef: RefObject<HTMLTextAreaElement | null>;
}) {
  const step = stepLabel(task);
  const noteField = (
    <Field
      label="Note"
      hint={task.type === 'call' ? 'Saved with the outcome you pick, or with a skip.' : task.type === 'task' ? 'Saved when you mark it done or skip it.' : 'Saved if you skip this email.'}
    >
      {(p) => (
        <Textarea
          {...p}
          ref={noteRef}
          value={note}
          onChange={(e) => onNoteChange(e.target.value)}
          rows={task.type === 'email' ? 2 : 3}
          placeholder={task.type === 'call' ? 'What was said, what comes next…' : undefined}
          onKeyDown={(e) => {
            // Esc leaves the field (a second Esc leaves focus mode); Ctrl/⌘+Enter marks a to-do done.
            if (e.key === 'Escape') { e.preventDefault(); e.currentTarget.blur(); }
            if (e.key === 'Enter' && (e.metaKey || e.ctrlKey) && task.type === 'task') { e.preventDefault(); onDone(); }
          }}
        />
      )}
    </Field>
  );
  return (
    <>
      <header className="flex flex-col gap-2">
        <div className="flex flex-wrap items-center gap-2 text-[13px] text-zinc-600">
          <span className="inline-flex items-center gap-1.5 font-medium text-zinc-700">
            <TaskKindIcon type={task.type} className="size-4" />{taskKindLabel(task.type)}
          </span>
          {task.hotReason && <HotBadge reason={task.hotReason} at={task.hotAt} now={now} zone={zone} spelled />}
          {task.priority === 'high' && <Badge tone="danger">High priority</Badge>}
          <span aria-hidden="true">·</span>
          <DueLabel dueAt={task.dueAt} now={now} zone={zone} />
        </div>
        <h2 id="focus-task-title" className="text-xl font-semibold tracking-tight text-zinc-950">{task.title}</h2>
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-zinc-700">
          <Link to="/leads/$leadId" params={{ leadId: task.lead.id }} className="font-medium text-zinc-900 hover:underline">{task.lead.name ?? task.lead.email}</Link>
          {task.lead.company && <><span aria-hidden="true">·</span><span>{task.lead.company}</span></>}
          <span aria-hidden="true">·</span>
          <span className="inline-flex items-center gap-1">Their time <LeadClock zone={task.lead.timezone} fallbackZone={orgZone} now={now} /></span>
        </p>
        {(task.cadence || step) && (
          <p className="text-[13px] text-zinc-600">
            {task.cadence?.name}{task.cadence && step ? ' · ' : ''}{step}
          </p>
        )}
      </header>

      {task.type === 'call' && (
        <>
          <div className="flex flex-col gap-3 rounded-lg bg-white p-4 shadow-xs ring-1 ring-zinc-200">
            {task.lead.phone
              ? (
                <a href={`tel:${task.lead.phone.replace(/[^\d+]/g, '')}`} className="inline-flex items-center gap-2 self-start rounded-md text-2xl font-semibold tracking-tight text-accent-700 tabular-nums hover:underline">
                  <Phone className="size-5" aria-hidden="true" />{task.lead.phone}
                </a>
              )
              : <p className="text-sm text-zinc-700">No phone number on this lead: add one in the lead’s fields beside, or skip the call.</p>}
            <Script text={task.body} />
          </div>
          {noteField}
          <div className="flex flex-col gap-2">
            <h3 className="text-[13px] font-semibold text-zinc-900">How did it go?</h3>
            <CallOutcomes
              rules={rules.data}
              rulesUnknown={!task.cadence ? 'This call is in no cadence: no outcome ends one.' : rules.isError ? 'The cadence’s exit rules could not be read: an outcome may end it.' : undefined}
              onOutcome={onOutcome}
              pending={pendingOutcome}
              disabled={busy}
            />
            {rules.data && <ExitRulesLine rules={rules.data} />}
          </div>
        </>
      )}

      {task.type === 'task' && (
        <>
          <Script text={task.body} title="Instructions" />
          {noteField}
          <div>
            <Button variant="primary" onClick={onDone} disabled={busy} aria-keyshortcuts="Control+Enter Meta+Enter">
              <Check aria-hidden="true" />Mark done<Kbd className="ml-1 border-white/40 bg-accent-700 text-white">{isMac() ? '⌘' : 'Ctrl'}</Kbd><Kbd className="border-white/40 bg-accent-700 text-white">Enter</Kbd>
            </Button>
          </div>
        </>
      )}

      {task.type === 'email' && (
        <>
          <div className="rounded-lg bg-white p-4 shadow-xs ring-1 ring-zinc-200">
            <ManualEmailForm task={task} onSent={onSent} bodyRef={bodyRef} />
          </div>
          {noteField}
        </>
      )}
    </>
  );
}

function Script({ text, title = 'Script' }: { text?: string; title?: string }) {
  if (!text?.trim()) return null;
  return (
    <div className="flex flex-col gap-1">
      <h3 className="text-[12px] font-medium tracking-wide text-zinc-600 uppercase">{title}</h3>
      <p className="text-[15px] leading-relaxed whitespace-pre-wrap text-zinc-900">{text}</p>
    </div>
  );
}

/** Why some buttons say they end the cadence: its exit rules, in words. */
function ExitRulesLine({ rules }: { rules: OutcomeExitRules & { name: string } }) {
  const ending = (Object.keys(OUTCOME_LABELS) as CallOutcome[]).filter((o) => outcomeEndsCadence(o, rules));
  return (
    <p className="text-[12px] text-zinc-600">
      {ending.length === 0
        ? <>“{rules.name}” ends on no call outcome: it goes on to its next step after any of these.</>
        : <>“{rules.name}” exits on {list(ending.map((o) => OUTCOME_LABELS[o]))}; any other outcome moves it on to its next step.</>}
    </p>
  );
}

const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
