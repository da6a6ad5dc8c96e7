import { Check, Copy, X } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button.tsx';
import { Input } from '@/components/ui/input.tsx';
import { formatWhen } from './settings-format.ts';

/** An invitation link, shown once: copy it and send it to the person yourself. */
export function InvitationLinkBox({ name, url, expiresAt, onDismiss }: { name: string; url: string; expiresAt: string; onDismiss?: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section aria-label={`Invitation link for ${name}`} className="rounded-lg bg-accent-50 p-4 ring-1 ring-accent-100">
      <div className="flex items-start justify-between gap-4">
        <div>
          <h2 className="text-sm font-semibold text-zinc-900">Invitation link for {name}</h2>
          <p className="mt-0.5 text-[13px] text-zinc-700">
            Send it to them yourself: it is shown only now. It works once, until {formatWhen(expiresAt)}; a new link replaces it.
          </p>
        </div>
        {onDismiss && (
          <button type="button" onClick={onDismiss} aria-label="Dismiss the invitation link" className="rounded p-1 text-zinc-600 hover:bg-accent-100 hover:text-zinc-900">
            <X className="size-4" aria-hidden="true" />
          </button>
        )}
      </div>
      <div className="mt-3 flex gap-2">
        <Input readOnly value={url} aria-label="Invitation link" onFocus={(e) => e.currentTarget.select()} className="font-mono text-[13px]" />
        <Button onClick={() => void copy()}>
          {copied ? <Check className="size-4" aria-hidden="true" /> : <Copy className="size-4" aria-hidden="true" />}
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <p aria-live="polite" className="sr-only">{copied ? 'Link copied to the clipboard' : ''}</p>
    </section>
  );
}
