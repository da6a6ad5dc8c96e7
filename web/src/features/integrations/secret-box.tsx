import { X } from 'lucide-react';
import { formatWhen } from '@/features/admin-settings/settings-format.ts';
import { CopyField } from './copy-field.tsx';

/**
 * An endpoint's signing secret, shown once (after creating the endpoint or rotating its
 * secret), with how a receiver checks a request with it (Standard Webhooks).
 */
export function SecretBox({ url, secret, previousUntil, onDismiss }: { url: string; secret: string; previousUntil?: string | null; onDismiss: () => void }) {
  return (
    <section aria-label="Signing secret" className="rounded-lg bg-accent-50 p-4 ring-1 ring-accent-100">
      <div className="flex items-start justify-between gap-4">
        <div className="min-w-0">
          <h2 className="text-sm font-semibold text-zinc-900">Signing secret for <span className="font-mono break-all">{url}</span></h2>
          <p className="mt-0.5 text-[13px] text-zinc-700">
            Copy it now: it is shown only this once. {previousUntil && `The previous secret also signs every request until ${formatWhen(previousUntil)}; update your endpoint before then.`}
          </p>
        </div>
        <button type="button" onClick={onDismiss} aria-label="Dismiss the signing secret" className="rounded p-1 text-zinc-600 hover:bg-accent-100 hover:text-zinc-900">
          <X className="size-4" aria-hidden="true" />
        </button>
      </div>
      <div className="mt-3"><CopyField label="Signing secret" value={secret} /></div>
      <details className="mt-3 text-[13px] text-zinc-700">
        <summary className="cursor-pointer font-medium text-zinc-800">How your endpoint verifies a request</summary>
        <p className="mt-1.5">
          Requests follow <a className="underline" href="https://www.standardwebhooks.com/" target="_blank" rel="noreferrer">Standard Webhooks</a>:
          the headers <code>webhook-id</code>, <code>webhook-timestamp</code> and <code>webhook-signature</code> carry
          {' '}<code>v1,</code> and a base64 HMAC-SHA256 of <code>id.timestamp.body</code>, keyed by the part of the secret after <code>whsec_</code>.
          The <code>standardwebhooks</code> library (npm, PyPI, Go, Ruby…) checks it in one call: <code>new Webhook(secret).verify(body, headers)</code>.
          The same <code>webhook-id</code> on a retry means the same event: ignore repeats.
        </p>
      </details>
    </section>
  );
}
