import { CircleCheck } from 'lucide-react';
import type { EnrollResult, PreflightResult } from '@contract/cadences.ts';
import { byCount, heldText, leads, refusalText, who } from './enroll-format.ts';

/**
 * What the enrolment did: how many were enrolled, how many of them started and why the
 * others wait, and anyone refused after all (things change between the check and the
 * commit: a lead unsubscribes, another admin enrols them first).
 */
export function EnrollResultSummary({ result, preflight, cadenceName }: { result: EnrollResult; preflight: PreflightResult; cadenceName: string }) {
  const waiting: Record<string, number> = {};
  for (const e of result.enrolled) if (e.waitingFor) waiting[e.waitingFor] = (waiting[e.waitingFor] ?? 0) + 1;
  const started = result.enrolled.length - Object.values(waiting).reduce((a, b) => a + b, 0);
  const refusedBy: Record<string, number> = {};
  for (const r of result.rejected) refusedBy[r.reason] = (refusedBy[r.reason] ?? 0) + 1;
  const known = new Map([...preflight.enrolled, ...preflight.held, ...preflight.refused].map((l) => [l.recordId, l]));
  return (
    <div className="flex flex-col gap-3 text-[13px] text-zinc-700">
      <p className="flex items-start gap-2">
        <CircleCheck className="mt-0.5 size-4 shrink-0 text-emerald-700" aria-hidden="true" />
        <span>
          <strong className="font-semibold text-zinc-900">{leads(result.enrolled.length)}</strong> enrolled in {cadenceName}
          {result.enrolled.length > 0 && <>: {started.toLocaleString('en')} started now</>}.
        </span>
      </p>
      {byCount(waiting).length > 0 && (
        <ul className="flex flex-col gap-0.5 pl-6 text-[12px] text-zinc-600" aria-label="Enrolled and waiting">
          {byCount(waiting).map(([reason, n]) => <li key={reason}>{leads(n)} waiting: {heldText(reason)}</li>)}
        </ul>
      )}
      {result.rejected.length > 0 && (
        <div className="flex flex-col gap-1">
          <p><strong className="font-semibold text-zinc-900">{leads(result.rejected.length)}</strong> not enrolled:</p>
          <ul className="max-h-40 overflow-y-auto pl-6 text-[12px] text-zinc-700" aria-label="Not enrolled">
            {result.rejected.slice(0, 200).map((r) => {
              const lead = known.get(r.recordId);
              return <li key={r.recordId}>{lead ? who(lead) : r.recordId}: {refusalText(r.reason)}</li>;
            })}
          </ul>
          {byCount(refusedBy).length > 1 && (
            <p className="text-[12px] text-zinc-600">{byCount(refusedBy).map(([reason, n]) => `${refusalText(reason)}: ${n}`).join(' · ')}</p>
          )}
        </div>
      )}
    </div>
  );
}
