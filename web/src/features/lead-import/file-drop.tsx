import { FileUp } from 'lucide-react';
import { useState, type DragEvent } from 'react';
import { LEAD_IMPORT_LIMITS } from '@contract/lead-import.ts';
import { cn } from '@/lib/cn.ts';
import { megabytes } from './import-format.ts';

/**
 * Where the file is picked: a real file input (keyboard and screen readers use it as
 * is) inside a zone that also takes a file dropped on it.
 */
export function FileDrop({ onFile, disabled }: { onFile: (file: File) => void; disabled?: boolean }) {
  const [over, setOver] = useState(false);
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file && !disabled) onFile(file);
  };
  return (
    <label
      onDragOver={(e) => { e.preventDefault(); setOver(true); }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      data-testid="file-drop"
      className={cn(
        'flex cursor-pointer flex-col items-center gap-2 rounded-lg border-2 border-dashed border-zinc-300 bg-white px-6 py-10 text-center',
        'focus-within:border-accent-600 focus-within:ring-2 focus-within:ring-accent-600/30 hover:border-zinc-400',
        over && 'border-accent-600 bg-accent-50',
        disabled && 'cursor-not-allowed opacity-60',
      )}
    >
      <FileUp className="size-8 text-zinc-500" aria-hidden="true" />
      <span className="text-sm font-medium text-zinc-900">Choose a CSV file, or drop it here</span>
      <span className="max-w-md text-[13px] text-zinc-600">
        UTF-8 text with a header row naming the columns, one of them the email (Email, E-mail, Email Address…).
        Up to {megabytes(LEAD_IMPORT_LIMITS.bytes)} and {LEAD_IMPORT_LIMITS.rows.toLocaleString('en-US')} rows.
        Nothing is imported before you confirm.
      </span>
      <input
        type="file"
        accept=".csv,text/csv"
        className="sr-only"
        disabled={disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = ''; // the same file may be picked again
          if (file) onFile(file);
        }}
      />
    </label>
  );
}
