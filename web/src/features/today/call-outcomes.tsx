import { CALL_OUTCOMES, type CallOutcome } from '@contract/enums.ts';
import { Kbd } from '@/components/ui/kbd.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { cn } from '@/lib/cn.ts';

export const OUTCOME_LABELS: Record<CallOutcome, string> = {
  connected: 'Connected',
  voicemail: 'Left voicemail',
  no_answer: 'No answer',
  busy: 'Busy',
  wrong_number: 'Wrong number',
  not_interested: 'Not interested',
  meeting_booked: 'Meeting booked',
};

/** What the cadence exits on, as far as a call's outcome goes (its `exitOn`). */
export interface OutcomeExitRules {
  onMeeting: boolean;
  callOutcomes: readonly string[];
}

/** Why this outcome ends the cadence, or null when the cadence goes on after it. */
export function outcomeEndsCadence(outcome: CallOutcome, rules: OutcomeExitRules): string | null {
  if (outcome === 'meeting_booked' && rules.onMeeting) return 'Ends the cadence';
  if (rules.callOutcomes.includes(outcome)) return 'Ends the cadence';
  return null;
}

/**
 * The fixed set of call outcomes as one-click buttons, 1–7 on the keyboard, each saying
 * whether it ends the cadence. `rules` undefined: still being read (nothing claimed);
 * null: the call is in no cadence, or its rules could not be read.
 */
export function CallOutcomes({ rules, rulesUnknown, onOutcome, pending, disabled }: {
  rules: OutcomeExitRules | undefined;
  /** Why nothing is said about ending the cadence, when the rules are not known. */
  rulesUnknown?: string;
  onOutcome: (outcome: CallOutcome) => void;
  /** The outcome being saved. */
  pending?: CallOutcome;
  disabled?: boolean;
}) {
  return (
    <div className="flex flex-col gap-2">
      <div role="group" aria-label="Call outcome" className="grid grid-cols-2 gap-2 sm:grid-cols-3 xl:grid-cols-4">
        {CALL_OUTCOMES.map((outcome, i) => {
          const ends = rules ? outcomeEndsCadence(outcome, rules) : null;
          const id = `outcome-${outcome}-effect`;
          return (
            <button
              key={outcome}
              type="button"
              onClick={() => onOutcome(outcome)}
              disabled={disabled}
              aria-describedby={rules ? id : undefined}
              aria-keyshortcuts={String(i + 1)}
              className={cn(
                'flex min-h-14 flex-col items-start justify-center gap-0.5 rounded-md px-3 py-2 text-left shadow-xs ring-1 ring-inset transition-colors',
                'disabled:cursor-not-allowed disabled:opacity-60',
                ends ? 'bg-white ring-amber-300 hover:bg-amber-50' : 'bg-white ring-zinc-300 hover:bg-zinc-50',
                pending === outcome && 'bg-zinc-100',
              )}
            >
              <span className="flex w-full items-center gap-2 text-sm font-medium text-zinc-900">
                <Kbd>{i + 1}</Kbd>
                <span className="flex-1">{OUTCOME_LABELS[outcome]}</span>
                {pending === outcome && <Spinner label="Saving" />}
              </span>
              {rules && (
                <span id={id} className={cn('text-[12px]', ends ? 'font-medium text-amber-800' : 'text-zinc-600')}>
                  {ends ?? 'The cadence goes on'}
                </span>
              )}
            </button>
          );
        })}
      </div>
      {!rules && rulesUnknown && <p className="text-[12px] text-zinc-600">{rulesUnknown}</p>}
    </div>
  );
}
