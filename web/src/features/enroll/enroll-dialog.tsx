import { useState } from 'react';
import type { EnrollBody, EnrollResult, EnrollLeadFilter, PreflightResult } from '@contract/cadences.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog, DialogClose, DialogFooter } from '@/components/ui/dialog.tsx';
import { Kbd } from '@/components/ui/kbd.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { useShortcut } from '@/app/shortcuts/shortcuts.tsx';
import { useCadences, useEnroll, usePreflight } from '@/data/cadences/index.ts';
import { CADENCE_STATUS } from '@/features/cadences/cadence-format.ts';
import { CadencePicker } from './cadence-picker.tsx';
import { leads } from './enroll-format.ts';
import { EnrollResultSummary } from './enroll-result.tsx';
import { LeadFilterForm } from './lead-filter-form.tsx';
import { PreflightSummary } from './preflight-summary.tsx';

export interface EnrollDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The leads picked by hand (a selection, an import). */
  recordIds?: string[];
  /** Or the leads a filter matches (the leads list's filters). */
  filter?: EnrollLeadFilter;
  /** The cadence, when the place that opens the dialog knows it; otherwise the admin picks one. */
  cadenceId?: string;
}

/**
 * Enrolling leads into a cadence, checked first: the admin picks the cadence (unless
 * given) and, when the dialog got no leads, which leads; the preflight then says who
 * would start now, who would wait and who would be refused, with names and reasons.
 * Only "Enrol N leads" writes anything; the dialog then says what happened.
 */
export function EnrollDialog({ open, onOpenChange, recordIds, filter, cadenceId }: EnrollDialogProps) {
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => { if (!busy) onOpenChange(next); }}
      title={recordIds ? `Enrol ${leads(recordIds.length)}` : 'Enrol leads'}
      description={targetText(recordIds, filter)}
      className="w-[min(40rem,calc(100vw-1.5rem))]"
    >
      {open && <EnrollFlow recordIds={recordIds} filter={filter} cadenceId={cadenceId} onBusy={setBusy} />}
    </Dialog>
  );
}

function EnrollFlow({ recordIds, filter, cadenceId: givenCadence, onBusy }: {
  recordIds?: string[];
  filter?: EnrollLeadFilter;
  cadenceId?: string;
  onBusy: (busy: boolean) => void;
}) {
  const [picked, setPicked] = useState(givenCadence);
  const [ownFilter, setOwnFilter] = useState<EnrollLeadFilter>();
  // What was enrolled, with the check it was enrolled on (names for the refused).
  const [done, setDone] = useState<{ result: EnrollResult; check: PreflightResult }>();
  const cadenceId = givenCadence ?? picked;
  const askForLeads = !recordIds && !filter;
  const target: EnrollBody | undefined = recordIds ? { recordIds } : filter ? { filter } : ownFilter ? { filter: ownFilter } : undefined;
  const preflight = usePreflight(done ? undefined : cadenceId, target);
  const enroll = useEnroll();
  // The given cadence's name, said from the start (the list is usually cached; the check also names it).
  const cadences = useCadences();
  const givenName = givenCadence ? (cadences.data?.items.find((c) => c.id === givenCadence)?.name ?? preflight.data?.cadence.name) : undefined;
  const check = preflight.data && preflight.data.cadence.id === cadenceId && !preflight.isPlaceholderData ? preflight.data : undefined;
  const willEnrol = check ? check.counts.enrolled + check.counts.held : 0;
  const canCommit = Boolean(check && target && willEnrol > 0 && !preflight.isFetching && !enroll.isPending);

  const commit = async () => {
    if (!canCommit || !cadenceId || !target) return;
    onBusy(true);
    try {
      const answer = await enroll.mutateAsync({ cadenceId, target });
      setDone({ result: answer, check: check! });
    } catch {
      // Shown below (enroll.error); the preflight is still on screen.
    } finally {
      onBusy(false);
    }
  };
  useShortcut('mod+Enter', 'Enrol the leads checked', () => void commit(), { group: 'Enrol leads', inDialog: true, enabled: canCommit });

  if (done) {
    return (
      <div aria-live="polite">
        <EnrollResultSummary result={done.result} preflight={done.check} cadenceName={done.check.cadence.name} />
        <DialogFooter>
          <DialogClose asChild><Button variant="primary">Done</Button></DialogClose>
        </DialogFooter>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-4">
      {givenName && <p className="text-[13px] text-zinc-700">Into <strong className="font-semibold text-zinc-900">{givenName}</strong></p>}
      {!givenCadence && <CadencePicker value={picked} onChange={setPicked} />}
      {askForLeads && <LeadFilterForm initial={ownFilter} onSubmit={setOwnFilter} />}
      <section aria-live="polite" aria-busy={preflight.isFetching} className="flex flex-col gap-3">
        {!cadenceId ? (
          <p className="text-[13px] text-zinc-600">Pick a cadence to see who would be enrolled.</p>
        ) : !target ? null : preflight.isError ? (
          <Alert title="These leads could not be checked">{preflight.error.message}</Alert>
        ) : !check ? (
          <p className="flex items-center gap-2 text-[13px] text-zinc-600"><Spinner label="Checking the leads" />Checking who can be enrolled…</p>
        ) : (
          <>
            {check.cadence.status !== 'active' && (
              <Alert tone="info" title={`“${check.cadence.name}” is ${CADENCE_STATUS[check.cadence.status].label.toLowerCase()}`}>
                {check.cadence.status === 'archived'
                  ? 'An archived cadence takes no one: clone it, or pick another.'
                  : check.cadence.status === 'draft'
                    ? 'Leads enrolled now wait, and start when it is activated.'
                    : 'Leads enrolled now wait, and start when it is resumed.'}
              </Alert>
            )}
            <PreflightSummary result={check} />
          </>
        )}
        {enroll.isError && <Alert title="Nobody was enrolled">{enroll.error.message}</Alert>}
      </section>
      <DialogFooter>
        <DialogClose asChild><Button variant="secondary" disabled={enroll.isPending}>Cancel</Button></DialogClose>
        <Button variant="primary" onClick={() => void commit()} disabled={!canCommit} loading={enroll.isPending} aria-keyshortcuts="Control+Enter Meta+Enter">
          {!check ? 'Enrol leads' : willEnrol === 0 ? 'Nobody to enrol' : `Enrol ${leads(willEnrol)}`}
          {canCommit && <Kbd className="ml-1 hidden border-accent-400 bg-accent-500 text-white md:inline-flex">⌘↵</Kbd>}
        </Button>
      </DialogFooter>
    </div>
  );
}

/** The dialog's description: which leads. */
function targetText(recordIds: string[] | undefined, filter: EnrollLeadFilter | undefined): string {
  if (recordIds) return `${leads(recordIds.length)} picked. You see who would be refused or held back before anyone is enrolled.`;
  if (filter) {
    const parts = [
      filter.q && `matching “${filter.q}”`,
      filter.status && `with status ${filter.status}`,
      filter.ownerId && 'of the chosen owner',
      filter.cadenceId && 'in the chosen cadence',
    ].filter(Boolean);
    return `Every lead ${parts.join(', ')}. You see who would be refused or held back before anyone is enrolled.`;
  }
  return 'Pick the leads; you see who would be refused or held back before anyone is enrolled.';
}
