import type { UploadProgress } from '@/data/lead-import/index.ts';
import { Spinner } from '@/components/ui/spinner.tsx';
import { megabytes } from './import-format.ts';

/**
 * How far a file has gone: bytes sent as a progress bar, then, once all is sent, the
 * server reading and checking it (no measure of that: a spinner and words).
 */
export function UploadProgressView({ fileName, progress, what }: { fileName: string; progress: UploadProgress | null; what: string }) {
  const percent = progress && progress.total > 0 ? Math.min(100, Math.round((progress.loaded / progress.total) * 100)) : 0;
  const sent = progress?.sent ?? false;
  return (
    <div className="flex flex-col gap-2 rounded-lg bg-white p-4 shadow-xs ring-1 ring-zinc-200">
      <p className="flex items-center gap-2 text-sm font-medium text-zinc-900">
        <Spinner label={what} />
        {sent ? `${what}: reading and checking every row of ${fileName}…` : `${what}: sending ${fileName}…`}
      </p>
      <div
        role="progressbar"
        aria-label={`Sending ${fileName}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-2 overflow-hidden rounded-full bg-zinc-100"
      >
        <div className="h-full bg-accent-600 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-[12px] text-zinc-600">
        {progress ? `${megabytes(progress.loaded)} of ${megabytes(progress.total)} sent (${percent}%)` : 'Starting…'}
        {sent && ' · a large file takes a few seconds more'}
      </p>
    </div>
  );
}
