import { LogOut, Pause, Play } from 'lucide-react';
import { useState } from 'react';
import type { TimelineItem } from '@contract/timeline.ts';
import { useShortcut } from '@/app/shortcuts/shortcuts.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Kbd } from '@/components/ui/kbd.tsx';
import { Tooltip } from '@/components/ui/tooltip.tsx';
import { isLive, useEnrollmentAction, type EnrollmentView } from '@/data/enrollments/index.ts';
import { cn } from '@/lib/cn.ts';
import { dueText, endedBecause, ENROLLMENT_STATUS, shortDate } from './lead-format.ts';
import { ExitEnrollmentDialog } from './exit-enrollment-dialog.tsx';

const STEP_KIND = { email: 'email', call: 'call', task: 'to-do' } as const;

/** When a pause ends by itself (a rep's time off, an out-of-office reply): the latest pause on the timeline says. */
function pausedUntil(e: EnrollmentView, timeline: TimelineItem[]): string | null {
  const pause = timeline.find((i) => i.enrollmentId === e.id && (i.type === 'paused' || i.type === 'auto_reply'));
  const iso = pause?.detail && /\d{4}-\d{2}-\d{2}T[\d:.]+Z/.exec(pause.detail)?.[0];
  return iso && Date.parse(iso) > Date.now() ? iso : null;
}

/** "Step 3 of 7 next: call, due tomorrow 09:00" — or, once it ended, why. */
function whereItIs(e: EnrollmentView, timeline: TimelineItem[]): string {
  const ended = endedBecause(e, timeline);
  if (ended) return ended;
  const step = e.nextStepIndex !== null && e.stepCount !== null ? `Step ${e.nextStepIndex + 1} of ${e.stepCount}` : null;
  const kind = e.nextStepType ? STEP_KIND[e.nextStepType] : null;
  if (e.status === 'paused') {
    const until = pausedUntil(e, timeline);
    return until
      ? `Paused until ${shortDate(until)}, then ${step ? step.toLowerCase() : 'its next step'} runs (or resume it now)`
      : `${step ? `${step} waits` : 'Waits'} until resumed`;
  }
  if (!step) return e.nextDueAt ? `Next step due ${dueText(e.nextDueAt)}` : 'Waiting for its next step';
  if (!e.nextDueAt) return `${step} next${kind ? ` (${kind})` : ''}, after the open task is done`;
  return `${step} next${kind ? ` (${kind})` : ''}, due ${dueText(e.nextDueAt)}`;
}

/**
 * A lead's enrolments: cadence, state, where it is or why it ended, and pause / resume /
 * exit (exit asks first). `shortcuts` registers `p` for the selected enrolment.
 */
export function EnrollmentList({ leadId, leadName, items, timeline = [], selectedId, onSelect, shortcuts = false, compact = false }: {
  leadId: string;
  leadName: string;
  items: EnrollmentView[];
  timeline?: TimelineItem[];
  selectedId?: string;
  onSelect?: (id: string) => void;
  shortcuts?: boolean;
  compact?: boolean;
}) {
  const action = useEnrollmentAction(leadId);
  const [exiting, setExiting] = useState<EnrollmentView | null>(null);
  const busyId = action.isPending ? action.variables?.id : undefined;
  const selected = items.find((e) => e.id === selectedId) ?? items.find(isLive);

  const togglePause = (e: EnrollmentView) => action.mutate({ id: e.id, action: e.status === 'paused' ? 'resume' : 'pause' });
  useShortcut('p', 'Pause or resume the selected enrolment', () => {
    if (selected && isLive(selected) && busyId !== selected.id) togglePause(selected);
  }, { group: 'Lead', enabled: shortcuts });

  if (items.length === 0) return <p className="py-2 text-[13px] text-zinc-500">Not in any cadence.</p>;
  return (
    <>
      <ul className="@container -my-1.5 flex flex-col divide-y divide-zinc-100" aria-label="Enrolments">
        {items.map((e) => {
          const live = isLive(e);
          const status = ENROLLMENT_STATUS[e.status];
          const isSelected = shortcuts && selected?.id === e.id;
          const busy = busyId === e.id;
          return (
            <li
              key={e.id}
              onClick={() => onSelect?.(e.id)}
              onFocus={() => onSelect?.(e.id)}
              data-selected={isSelected || undefined}
              aria-current={isSelected || undefined}
              aria-busy={busy || undefined}
              className={cn('flex flex-wrap items-center gap-x-3 gap-y-1.5 py-2.5', isSelected && '-mx-2 rounded-md bg-accent-50/60 px-2', !compact && '@lg:flex-nowrap')}
            >
              <div className="flex min-w-0 flex-1 basis-60 flex-col gap-0.5">
                <div className="flex items-center gap-2">
                  <span className="truncate text-[13px] font-medium text-zinc-900">{e.cadenceName ?? 'Cadence'}</span>
                  <Badge tone={status.tone}>{busy ? `${status.label}…` : status.label}</Badge>
                </div>
                <p className={cn('text-[12px]', live ? 'text-zinc-600' : 'text-zinc-700')}>{whereItIs(e, timeline)}</p>
                {!compact && <p className="text-[12px] text-zinc-500">Enrolled {shortDate(e.enrolledAt)}</p>}
              </div>
              {live && (
                <div className="flex shrink-0 items-center gap-1.5">
                  <Tooltip content={e.status === 'paused' ? 'Resume: its steps run again' : 'Pause: no steps run until resumed'} keys={isSelected ? ['P'] : undefined}>
                    <Button size="sm" variant="secondary" disabled={busy} onClick={() => togglePause(e)}>
                      {e.status === 'paused' ? <Play aria-hidden="true" /> : <Pause aria-hidden="true" />}
                      {e.status === 'paused' ? 'Resume' : 'Pause'}
                    </Button>
                  </Tooltip>
                  <Button size="sm" variant="ghost" disabled={busy} onClick={() => setExiting(e)} className="text-red-700 hover:bg-red-50 hover:text-red-800">
                    <LogOut aria-hidden="true" />Exit
                  </Button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {shortcuts && items.filter(isLive).length > 1 && (
        <p className="mt-3 text-[12px] text-zinc-500">
          Click an enrolment to select it; <Kbd>P</Kbd> pauses or resumes the selected one.
        </p>
      )}
      {exiting && (
        <ExitEnrollmentDialog
          enrollment={exiting}
          leadName={leadName}
          open
          onOpenChange={(open) => !open && setExiting(null)}
          onConfirm={() => {
            action.mutate({ id: exiting.id, action: 'exit' });
            setExiting(null);
          }}
        />
      )}
    </>
  );
}
