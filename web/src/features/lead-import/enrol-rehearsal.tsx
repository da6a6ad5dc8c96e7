import { ApiError } from '@/api/api-error.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { useImportRehearsal } from '@/data/lead-import/index.ts';
import { count } from './import-format.ts';
import { RefusedEnrolments } from './import-result.tsx';

/**
 * Before the import: who the cadence would take, who would wait (its daily limit per
 * rep, or a cadence not active yet) and who it would refuse, and why — the server
 * rehearses the whole import with the enrolment and rolls it back.
 */
export function EnrolRehearsal({ file, cadenceId }: { file: File; cadenceId: string }) {
  const rehearsal = useImportRehearsal(file, cadenceId);
  if (rehearsal.isPending) return <p role="status" className="text-[13px] text-zinc-600">Checking who this cadence would take…</p>;
  if (rehearsal.isError) {
    const why = rehearsal.error instanceof ApiError ? rehearsal.error.message : 'the check did not go through';
    return <Alert title="Who would be enrolled cannot be checked">{why}. The import itself reports it.</Alert>;
  }
  const e = rehearsal.data.enrollment;
  const enrolled = rehearsal.data.enrolled ?? 0;
  if (!e) return null;
  return (
    <div className="flex flex-col gap-2" aria-label="Who would be enrolled">
      <p role="status" className="text-[13px] text-zinc-800">
        {count(enrolled, 'lead')} would be enrolled
        {e.pending > 0 && <>, of which {e.pending.toLocaleString('en-US')} wait to start (the cadence's daily limit per rep, or it is not active yet)</>}
        {e.refused.length > 0 ? <>; {count(e.refused.length, 'lead')} would not be:</> : '.'}
      </p>
      {e.refused.length > 0 && <RefusedEnrolments refused={e.refused} />}
    </div>
  );
}
