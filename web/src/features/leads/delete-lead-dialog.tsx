import { useEffect, useState } from 'react';
import type { LeadListItem } from '@contract/leads.ts';
import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useDeleteLead } from '@/data/leads/index.ts';
import { leadName } from '@/features/lead/lead-format.ts';

const LIVE = new Set(['pending', 'active', 'paused']);

/**
 * Asks before erasing a lead, saying what goes: the person's details, their cadences
 * (running ones stop), tasks, emails and timeline. An unsubscribed or bounced address
 * stays blocked, so adding the person again never emails them.
 */
export function DeleteLeadDialog({ lead, onClose }: { lead: LeadListItem | null; onClose: () => void }) {
  const remove = useDeleteLead();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setError(null), [lead]);
  if (!lead) return null;
  const name = leadName(lead);
  const running = lead.enrollments.filter((e) => LIVE.has(e.status)).length;
  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => { if (!open) onClose(); }}
      title={`Delete ${name}?`}
      tone="danger"
      confirmLabel="Delete for good"
      pending={remove.isPending}
      error={error}
      onConfirm={() => remove.mutate(lead.id, {
        onSuccess: () => {
          toast({ title: `${name} was deleted` });
          onClose();
        },
        onError: (e) => setError(e.message),
      })}
    >
      <p>This erases {name === lead.email ? 'this lead' : <>{name} ({lead.email})</>} from the workspace. It cannot be undone.</p>
      <ul className="list-disc space-y-1 pl-5">
        <li>Their details, custom fields, tasks, emails and timeline.</li>
        <li>
          {lead.enrollmentCount === 0
            ? 'They are in no cadence.'
            : `Their ${lead.enrollmentCount === 1 ? 'enrolment in a cadence' : `${lead.enrollmentCount} enrolments in cadences`}${running > 0 ? ` (${running} running: ${running === 1 ? 'it stops' : 'they stop'} now)` : ''}.`}
        </li>
      </ul>
      <p>
        {lead.unsubscribed || lead.bounced
          ? `Their address ${lead.unsubscribed ? 'unsubscribed' : 'bounced'}: it stays blocked, so adding them again will not email them.`
          : 'If they had unsubscribed or bounced, their address would stay blocked.'}
      </p>
    </ConfirmDialog>
  );
}
