import { Button } from '@/components/ui/button.tsx';
import { Dialog, DialogClose, DialogFooter } from '@/components/ui/dialog.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { useEnrollmentOpenWork, type EnrollmentView } from '@/data/enrollments/index.ts';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Asks before exiting an enrolment, saying what stops: its queued emails are cancelled and
 * its open tasks closed (counted when the server answers), while history stays.
 */
export function ExitEnrollmentDialog({ enrollment, leadName, open, onOpenChange, onConfirm }: {
  enrollment: EnrollmentView;
  leadName: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: () => void;
}) {
  const work = useEnrollmentOpenWork(enrollment.id, open);
  const cadence = enrollment.cadenceName ?? 'this cadence';
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Exit ${leadName} from ${cadence}?`}
      description="No further steps of this cadence will run for this lead."
    >
      <ul className="flex list-disc flex-col gap-1.5 pl-5 text-[13px] text-zinc-700" aria-live="polite">
        <li>
          Queued emails are cancelled
          {work.data && <span className="text-zinc-900"> ({work.data.queuedEmails === 0 ? 'none queued now' : `${count(work.data.queuedEmails, 'email', 'emails')} queued`})</span>}
          .
        </li>
        <li>
          Open tasks from this cadence are closed
          {work.data && <span className="text-zinc-900"> ({work.data.openTasks === 0 ? 'none open now' : `${count(work.data.openTasks, 'task', 'tasks')} open`})</span>}
          .
        </li>
        <li>Emails already sent and the lead's history stay as they are.</li>
      </ul>
      {work.isPending && open && <p className="mt-2 flex items-center gap-2 text-[12px] text-zinc-500"><Spinner label="Counting queued emails and open tasks" /> Counting what is queued…</p>}
      <DialogFooter>
        <DialogClose asChild><Button variant="secondary">Cancel</Button></DialogClose>
        <Button variant="danger" onClick={onConfirm}>Exit cadence</Button>
      </DialogFooter>
    </Dialog>
  );
}
