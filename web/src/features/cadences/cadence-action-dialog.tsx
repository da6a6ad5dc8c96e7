import type { ReactNode } from 'react';
import type { CadenceSummary } from '@contract/cadences.ts';
import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';
import { useCadenceAction, useDeleteCadence } from '@/data/cadences/index.ts';
import { toast } from '@/components/ui/toast.tsx';
import { number } from './cadence-format.ts';

export type ConfirmedCommand = 'activate' | 'pause' | 'archive' | 'delete';

const leads = (n: number) => (n === 1 ? '1 lead' : `${number(n)} leads`);

/** What each action does, said before it is done (counts from the list's row). */
function consequence(command: ConfirmedCommand, c: CadenceSummary): { title: string; confirm: string; danger?: boolean; body: ReactNode; done: string } {
  const { pending, active, paused } = c.enrollments;
  const running = pending + active + paused;
  switch (command) {
    case 'activate':
      if (c.status === 'paused') {
        return {
          title: `Resume “${c.name}”?`,
          confirm: 'Resume',
          done: `${c.name} is running again`,
          body: (
            <p>
              {running > 0 ? <>Its {leads(running)} in progress go on from the step they were waiting at; steps that fell due while it was paused run now, within the cadence’s schedule.</> : <>Nobody is enrolled yet.</>}{' '}
              Leads enrolled from now on start at once.
            </p>
          ),
        };
      }
      return {
        title: `Activate “${c.name}”?`,
        confirm: 'Activate',
        done: `${c.name} is active`,
        body: (
          <p>
            Its first steps go out to real leads, within the cadence’s schedule.{' '}
            {pending > 0 ? <>The {leads(pending)} already enrolled start now.</> : <>Nobody is enrolled yet: enrol leads after activating it.</>}{' '}
            A cadence that enrols by a filter also enrols the leads matching it.
          </p>
        ),
      };
    case 'pause':
      return {
        title: `Pause “${c.name}”?`,
        confirm: 'Pause',
        done: `${c.name} is paused`,
        body: (
          <p>
            No email, call or task of this cadence is made while it is paused.{' '}
            {running > 0 ? <>Its {leads(running)} in progress wait at their next step</> : <>Leads enrolled meanwhile wait</>} and go on when you resume it.
          </p>
        ),
      };
    case 'archive':
      return {
        title: `Archive “${c.name}”?`,
        confirm: 'Archive',
        danger: true,
        done: `${c.name} is archived`,
        body: (
          <ul className="flex list-disc flex-col gap-1.5 pl-5">
            <li>{running > 0 ? <>Its {leads(running)} in progress stop for good: no further step runs for them.</> : <>Nobody is in progress in it.</>}</li>
            <li>An archived cadence cannot be activated again or take new leads; clone it to reuse its steps.</li>
            <li>Its history and analytics stay.</li>
          </ul>
        ),
      };
    case 'delete':
      return {
        title: `Delete the draft “${c.name}”?`,
        confirm: 'Delete draft',
        danger: true,
        done: `${c.name} was deleted`,
        body: (
          <p>
            Its steps and settings are deleted{pending > 0 ? <>, and the {leads(pending)} enrolled in it (who never started) leave it</> : null}. This cannot be undone.
          </p>
        ),
      };
  }
}

/** Asks before activating, pausing, archiving or deleting a cadence, and shows a refusal in place. */
export function CadenceActionDialog({ command, cadence, onClose }: {
  command: ConfirmedCommand;
  cadence: CadenceSummary;
  onClose: () => void;
}) {
  const action = useCadenceAction();
  const remove = useDeleteCadence();
  const mutation = command === 'delete' ? remove : action;
  const text = consequence(command, cadence);
  const run = async () => {
    try {
      if (command === 'delete') await remove.mutateAsync(cadence.id);
      else await action.mutateAsync({ id: cadence.id, action: command });
      toast({ title: text.done });
      onClose();
    } catch {
      // Shown in the dialog (mutation.error), which stays open.
    }
  };
  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => { if (!open) onClose(); }}
      title={text.title}
      confirmLabel={text.confirm}
      tone={text.danger ? 'danger' : 'primary'}
      onConfirm={() => void run()}
      pending={mutation.isPending}
      error={mutation.error?.message}
    >
      {text.body}
    </ConfirmDialog>
  );
}
