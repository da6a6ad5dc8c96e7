import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button.tsx';
import { Input } from '@/components/ui/input.tsx';

/** A read-only value with a Copy button; the copy is announced. */
export function CopyField({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="flex gap-2">
      <Input readOnly value={value} aria-label={label} onFocus={(e) => e.currentTarget.select()} className="min-w-0 font-mono text-[13px]" />
      <Button onClick={() => void copy()} aria-label={`${copied ? 'Copied' : 'Copy'} ${label.toLowerCase()}`}>
        {copied ? <Check className="size-4" aria-hidden="true" /> : <Copy className="size-4" aria-hidden="true" />}
        {copied ? 'Copied' : 'Copy'}
      </Button>
      <p aria-live="polite" className="sr-only">{copied ? `${label} copied to the clipboard` : ''}</p>
    </div>
  );
}
