import { Link } from '@tanstack/react-router';
import type { RefObject } from 'react';
import type { LeadImportReport } from '@contract/lead-import.ts';
import { Button } from '@/components/ui/button.tsx';
import { RejectedRows } from './import-details.tsx';
import { count } from './import-format.ts';
import { Stat } from './lead-import-page.tsx';
import { SimpleTable, type SimpleColumnDef } from '@/components/ui/simple-table.tsx';

type Refusal = NonNullable<LeadImportReport['enrollment']>['refused'][number];

const REFUSAL: Partial<Record<Refusal['reason'], string>> = {
  not_found: 'not found',
  already_enrolled: 'already in this cadence',
  unsubscribed: 'unsubscribed',
  bounced: 'bounced before',
  not_allowed: 'the cadence does not enrol a lead again',
  wrong_module: 'the cadence is for contacts',
};

const REFUSED: Array<SimpleColumnDef<Refusal>> = [
  { id: 'line', header: 'Line', cell: ({ row: { original: r } }) => <span className="tabular-nums">{r.line}</span> },
  { id: 'email', header: 'Email', cell: ({ row: { original: r } }) => <span className="[overflow-wrap:anywhere]">{r.email}</span> },
  { id: 'reason', header: 'Not enrolled because', cell: ({ row: { original: r } }) => REFUSAL[r.reason] ?? r.reason.replace(/_/g, ' ') },
];

/** The file's leads the enrolment refused, by line, with why (the first 100). */
export function RefusedEnrolments({ refused }: { refused: Refusal[] }) {
  return <SimpleTable caption={`Leads not enrolled: ${refused.length}`} columns={REFUSED} data={refused.slice(0, 100)} rowId={(r) => String(r.line)} />;
}

/** What the import did: created, updated, left out, enrolled; on to the leads. */
export function ImportResult({ file, report, heading, onAnother }: { file: File; report: LeadImportReport; heading: RefObject<HTMLHeadingElement | null>; onAnother: () => void }) {
  const e = report.enrollment;
  return (
    <>
      <section aria-labelledby="done-title" className="flex flex-col gap-3">
        <h2 id="done-title" ref={heading} tabIndex={-1} className="text-[15px] font-semibold text-zinc-900 outline-none">{file.name} imported</h2>
        <ul className="flex flex-wrap gap-2 text-[13px]" aria-label="What the import did">
          <Stat label={report.created === 1 ? 'lead created' : 'leads created'} value={report.created} />
          <Stat label={report.updated === 1 ? 'lead updated' : 'leads updated'} value={report.updated} />
          <Stat label="rows left out" value={report.rejected.length} tone={report.rejected.length ? 'warn' : undefined} />
          {report.enrolled !== undefined && <Stat label="enrolled" value={report.enrolled} />}
        </ul>
        {e && e.pending > 0 && (
          <p className="text-[13px] text-zinc-700">
            {count(e.pending, 'enrolment')} wait to start: the cadence's daily limit per rep holds them back, or the cadence is not active yet.
          </p>
        )}
      </section>
      {e && e.refused.length > 0 && (
        <section aria-labelledby="refused-title" className="flex flex-col gap-2">
          <h2 id="refused-title" className="text-sm font-semibold text-zinc-900">{count(e.refused.length, 'lead')} not enrolled</h2>
          <RefusedEnrolments refused={e.refused} />
        </section>
      )}
      <RejectedRows rows={report.rejected} fileName={file.name} />
      <div className="flex flex-wrap gap-2">
        <Button asChild variant="primary"><Link to="/leads">See the leads</Link></Button>
        <Button variant="secondary" onClick={onAnother}>Import another file</Button>
      </div>
    </>
  );
}
