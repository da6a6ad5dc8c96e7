import { CircleCheck } from 'lucide-react';
import type { EnrollResult, PreflightResult } from '@contract/cadences.ts';
import { byCount, heldText, leads, refusalText } from './enroll-format.ts';
import { Names } from './preflight-summary.tsx';

/**
 * What the enrolment did: how many were enrolled, how many of them started and why the
 * others wait, and anyone refused after all (things change between the check and the
 * commit: a lead unsubscribes, another admin enrols them first), listed open when so.
 */
export function EnrollResultSummary({ result, preflight, cadenceName }: { result: EnrollResult; preflight: PreflightResult; cadenceName: string }) {
  const waiting: Record<string, number> = {};
  for (const e of result.enrolled) if (e.waitingFor) waiting[e.waitingFor] = (waiting[e.waitingFor] ?? 0) + 1;
  const started = result.enrolled.length - Object.values(waiting).reduce((a, b) => a + b, 0);
  const known = new Map([...preflight.enrolled, ...preflight.held, ...preflight.refused].map((l) => [l.recordId, l]));
  // Refused now but not by the check: things changed in between (an unsubscribe, another admin's enrolment).
  const refusedBefore = new Set(preflight.refused.map((l) => l.recordId));
  const surprises = preflight.truncated ? 0 : result.rejected.filter((r) => !refusedBefore.has(r.recordId)).length;
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
        <>
          <p>
            <strong className="font-semibold text-zinc-900">{leads(result.rejected.length)}</strong> not enrolled
            {surprises === 0 ? ', as the check said.' : `: ${surprises.toLocaleString('en')} of them since the check.`}
          </p>
          <Names
            title={`Not enrolled (${result.rejected.length.toLocaleString('en')})`}
            open={surprises > 0}
            rows={result.rejected.slice(0, 200).map((r) => ({ recordId: r.recordId, name: known.get(r.recordId)?.name ?? null, email: known.get(r.recordId)?.email ?? null, why: refusalText(r.reason) }))}
          />
        </>
      )}
    </div>
  );
}
