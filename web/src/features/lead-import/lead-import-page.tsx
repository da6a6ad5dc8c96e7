import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { LEAD_IMPORT_LIMITS, type LeadImportReport } from '@contract/lead-import.ts';
import { ApiError } from '@/api/api-error.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { useImportLeads, type UploadProgress } from '@/data/lead-import/index.ts';
import { CadencePicker } from '@/features/enroll/cadence-picker.tsx';
import { usePageTitle } from '@/lib/use-page-title.ts';
import { FileDrop } from './file-drop.tsx';
import { ColumnMapping, PreviewRows, RejectedRows } from './import-details.tsx';
import { EnrolRehearsal } from './enrol-rehearsal.tsx';
import { ImportResult } from './import-result.tsx';
import { count, megabytes } from './import-format.ts';
import { UploadProgressView } from './upload-progress.tsx';

type Step =
  | { at: 'pick'; error?: string }
  | { at: 'checking' | 'importing'; file: File; progress: UploadProgress | null; preview?: LeadImportReport }
  | { at: 'preview'; file: File; preview: LeadImportReport; error?: string }
  | { at: 'done'; file: File; report: LeadImportReport };

/**
 * Importing leads from a CSV file: the file is first sent as a dry run, which answers
 * how its columns are read, its first rows as they would be stored and the rows that
 * would be left out; nothing is written until "Import N leads". The created leads may
 * be enrolled into a cadence on the way. Each step says where it is in a live region.
 */
export function LeadImportPage() {
  usePageTitle('Import leads');
  const upload = useImportLeads();
  const [step, setStep] = useState<Step>({ at: 'pick' });
  const [enrol, setEnrol] = useState(false);
  const [cadenceId, setCadenceId] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);

  // A new step's heading takes the focus: a keyboard or screen reader user lands on what changed.
  useEffect(() => { if (step.at === 'preview' || step.at === 'done') heading.current?.focus(); }, [step.at]);

  const failure = (e: unknown) => (e instanceof ApiError ? e.message : 'The file could not be sent. Try again.');

  const check = async (file: File) => {
    if (file.size > LEAD_IMPORT_LIMITS.bytes) {
      setStep({ at: 'pick', error: `${file.name} is ${megabytes(file.size)}: an import takes at most ${megabytes(LEAD_IMPORT_LIMITS.bytes)}. Split it into smaller files.` });
      return;
    }
    setStep({ at: 'checking', file, progress: null });
    try {
      const preview = await upload.mutateAsync({ file, dryRun: true, onProgress: (progress) => setStep((s) => (s.at === 'checking' ? { ...s, progress } : s)) });
      setStep({ at: 'preview', file, preview });
    } catch (e) {
      setStep({ at: 'pick', error: `${file.name}: ${failure(e)}` });
    }
  };

  const commit = async (file: File, preview: LeadImportReport) => {
    setStep({ at: 'importing', file, progress: null, preview });
    try {
      const report = await upload.mutateAsync({
        file, dryRun: false, cadenceId: enrol ? cadenceId : undefined,
        onProgress: (progress) => setStep((s) => (s.at === 'importing' ? { ...s, progress } : s)),
      });
      setStep({ at: 'done', file, report });
    } catch (e) {
      setStep({ at: 'preview', file, preview, error: failure(e) });
    }
  };

  const status = step.at === 'checking' ? `Checking ${step.file.name}`
    : step.at === 'importing' ? `Importing ${step.file.name}`
      : step.at === 'preview' ? `${step.file.name} checked: ${count(step.preview.created + step.preview.updated, 'lead')} to import, ${count(step.preview.rejected.length, 'row')} left out`
        : step.at === 'done' ? `Imported ${step.file.name}` : '';

  return (
    <div className="flex min-h-full flex-col">
      <PageHeader
        title="Import leads"
        description="From a CSV file: new emails become leads, known ones are updated"
        actions={<Button asChild variant="ghost" size="sm"><Link to="/leads">Back to the leads</Link></Button>}
      />
      <p aria-live="polite" className="sr-only">{status}</p>
      <div className="mx-auto flex w-full max-w-5xl flex-col gap-5 p-4 md:p-6">
        {step.at === 'pick' && (
          <>
            {step.error && <Alert title="This file cannot be imported">{step.error}</Alert>}
            <FileDrop onFile={(f) => void check(f)} />
          </>
        )}
        {(step.at === 'checking' || step.at === 'importing') && (
          <UploadProgressView fileName={step.file.name} progress={step.progress} what={step.at === 'checking' ? 'Checking' : 'Importing'} />
        )}
        {step.at === 'preview' && (
          <Preview
            file={step.file}
            report={step.preview}
            error={step.error}
            heading={heading}
            enrol={enrol}
            onEnrol={setEnrol}
            cadenceId={cadenceId}
            onCadence={setCadenceId}
            onImport={() => void commit(step.file, step.preview)}
            onAnother={() => setStep({ at: 'pick' })}
          />
        )}
        {step.at === 'done' && <ImportResult file={step.file} report={step.report} heading={heading} onAnother={() => setStep({ at: 'pick' })} />}
      </div>
    </div>
  );
}

function Preview({ file, report, error, heading, enrol, onEnrol, cadenceId, onCadence, onImport, onAnother }: {
  file: File;
  report: LeadImportReport;
  error?: string;
  heading: React.RefObject<HTMLHeadingElement | null>;
  enrol: boolean;
  onEnrol: (on: boolean) => void;
  cadenceId: string | undefined;
  onCadence: (id: string) => void;
  onImport: () => void;
  onAnother: () => void;
}) {
  const total = report.created + report.updated;
  return (
    <>
      <section aria-labelledby="preview-title" className="flex flex-col gap-3">
        <h2 id="preview-title" ref={heading} tabIndex={-1} className="text-[15px] font-semibold text-zinc-900 outline-none">
          {file.name}: {count(report.rows, 'row')} checked
        </h2>
        <ul className="flex flex-wrap gap-2 text-[13px]" aria-label="What the import would do">
          <Stat label="new leads" value={report.created} />
          <Stat label="updates of known leads" value={report.updated} />
          <Stat label="rows left out" value={report.rejected.length} tone={report.rejected.length ? 'warn' : undefined} />
        </ul>
        <p className="text-[13px] text-zinc-600">Nothing is imported yet. Empty cells leave a known lead's value as it is; columns that are not lead fields become custom fields.</p>
      </section>
      <div className="flex flex-col gap-5">
        <section aria-labelledby="mapping-title" className="flex flex-col gap-2">
          <h2 id="mapping-title" className="text-sm font-semibold text-zinc-900">Columns</h2>
          <ColumnMapping columns={report.columns} />
        </section>
        <section aria-labelledby="rows-title" className="flex min-w-0 flex-col gap-2">
          <h2 id="rows-title" className="text-sm font-semibold text-zinc-900">First rows</h2>
          {report.preview && report.preview.length > 0
            ? <PreviewRows rows={report.preview} />
            : <p className="text-[13px] text-zinc-600">No row can be imported.</p>}
        </section>
      </div>
      <RejectedRows rows={report.rejected} fileName={file.name} />
      <section aria-labelledby="enrol-title" className="flex flex-col gap-2 rounded-lg bg-white p-4 shadow-xs ring-1 ring-zinc-200">
        <h2 id="enrol-title" className="text-sm font-semibold text-zinc-900">Enrol</h2>
        <label className="flex items-center gap-2 text-[13px] text-zinc-800">
          <input type="checkbox" className="size-4 accent-accent-600" checked={enrol} onChange={(e) => onEnrol(e.target.checked)} />
          Enrol the file's leads in a cadence
        </label>
        {enrol && <CadencePicker value={cadenceId} onChange={onCadence} />}
        {enrol && cadenceId && <EnrolRehearsal file={file} cadenceId={cadenceId} />}
      </section>
      {error && <Alert title="The import did not go through">{error}</Alert>}
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="primary" disabled={total === 0 || (enrol && !cadenceId)} onClick={onImport}>
          Import {count(total, 'lead')}
        </Button>
        <Button variant="secondary" onClick={onAnother}>Choose another file</Button>
        {enrol && !cadenceId && <span className="text-[13px] text-zinc-600">Pick a cadence, or untick Enrol.</span>}
      </div>
    </>
  );
}

export function Stat({ label, value, tone }: { label: string; value: number; tone?: 'warn' }) {
  return (
    <li className={tone === 'warn' ? 'rounded-md bg-amber-50 px-3 py-1.5 text-amber-900 ring-1 ring-amber-200' : 'rounded-md bg-white px-3 py-1.5 text-zinc-800 ring-1 ring-zinc-200'}>
      <span className="font-semibold tabular-nums">{value.toLocaleString('en-US')}</span> {label}
    </li>
  );
}
