import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { MailboxOverview } from '@contract/mailbox-health.ts';
import { z } from 'zod';
import { mailboxInput, OAUTH_PROVIDERS, type MailboxInput } from '@contract/users.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog, DialogFooter } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useSaveMailbox } from '@/data/mailboxes/index.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';

const FIELDS = [
  'fromEmail', 'fromName', 'smtpUrl', 'imapUrl', 'dailyLimit', 'hourlyLimit', 'minIntervalSeconds',
  'dkim.domain', 'dkim.selector', 'dkim.privateKey', 'oauth.provider', 'oauth.clientId', 'oauth.clientSecret', 'oauth.refreshToken',
] as const;
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

/**
 * The form holds DKIM and OAuth as text fields (empty: none); the server checks them.
 * Secrets are write-only: their fields start empty, and left empty they keep what is stored.
 */
const mailboxForm = mailboxInput.omit({ dkim: true, oauth: true }).extend({
  dkim: z.object({ domain: z.string().trim(), selector: z.string().trim(), privateKey: z.string().trim() }),
  oauth: z.object({ provider: z.enum(['', ...OAUTH_PROVIDERS]), clientId: z.string().trim(), clientSecret: z.string().trim(), refreshToken: z.string().trim() }),
});
type MailboxForm = z.infer<typeof mailboxForm>;

/** What PUT takes: an identity left blank is removed if one was set, and left out otherwise. */
export function mailboxPayload(values: MailboxForm, shown: { dkim: unknown; oauth: unknown }): MailboxInput {
  const { dkim, oauth, ...rest } = values;
  const blank = (...xs: string[]) => xs.every((x) => x === '');
  const opt = (x: string) => (x === '' ? undefined : x);
  return {
    ...rest,
    dkim: blank(dkim.domain, dkim.selector, dkim.privateKey)
      ? (shown.dkim ? null : undefined)
      : { domain: dkim.domain, selector: dkim.selector, privateKey: opt(dkim.privateKey) },
    oauth: oauth.provider === ''
      ? (shown.oauth ? null : undefined)
      : { provider: oauth.provider, clientId: oauth.clientId, clientSecret: opt(oauth.clientSecret), refreshToken: opt(oauth.refreshToken) },
  };
}

/** `PUT /api/users/:id/mailbox`: credentials show masked and are kept when sent back unchanged. */
export function MailboxDialog({ item, onClose }: { item: MailboxOverview; onClose: () => void }) {
  const save = useSaveMailbox(item.user.id);
  const { mailbox } = item;
  const { register, handleSubmit, setError, formState: { errors, isSubmitting } } = useForm<MailboxForm>({
    resolver: zodResolver(mailboxForm, formErrorMessages),
    defaultValues: {
      fromEmail: mailbox.fromEmail, fromName: mailbox.fromName ?? '', smtpUrl: mailbox.smtpUrl ?? '', imapUrl: mailbox.imapUrl ?? '',
      dailyLimit: mailbox.dailyLimit, hourlyLimit: mailbox.hourlyLimit, minIntervalSeconds: mailbox.minIntervalSeconds,
      dkim: { domain: mailbox.dkim?.domain ?? '', selector: mailbox.dkim?.selector ?? '', privateKey: '' },
      oauth: { provider: mailbox.oauth?.provider ?? '', clientId: mailbox.oauth?.clientId ?? '', clientSecret: '', refreshToken: '' },
    },
  });
  const onSubmit = handleSubmit(async (values) => {
    try {
      await save.mutateAsync(mailboxPayload(values, mailbox));
      toast({ title: `${item.user.name}'s mailbox saved` });
      onClose();
    } catch (error) {
      showServerErrors(error, setError, FIELDS);
    }
  });
  const num = { valueAsNumber: true } as const;
  return (
    <Dialog open onOpenChange={(o) => { if (!o) onClose(); }} title={`${item.user.name}'s mailbox`} description="Where their cadence emails go out from, and how fast." className="w-[min(36rem,calc(100vw-2rem))]">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label={`${item.user.name}'s mailbox`}>
        {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="From address" error={errors.fromEmail?.message}>{(p) => <Input {...p} {...register('fromEmail')} type="email" />}</Field>
          <Field label="From name" error={errors.fromName?.message} hint="Optional">{(p) => <Input {...p} {...register('fromName', { setValueAs: orNull })} />}</Field>
        </div>
        <Field label="SMTP server" error={errors.smtpUrl?.message} hint="smtp://user:password@host:587 or smtps://…:465. Empty: the server's SMTP_URL.">
          {(p) => <Input {...p} {...register('smtpUrl', { setValueAs: orNull })} className="font-mono text-[13px]" autoComplete="off" spellCheck={false} />}
        </Field>
        <Field label="IMAP server (replies)" error={errors.imapUrl?.message} hint="imaps://user:password@host:993. Empty: replies are not polled.">
          {(p) => <Input {...p} {...register('imapUrl', { setValueAs: orNull })} className="font-mono text-[13px]" autoComplete="off" spellCheck={false} />}
        </Field>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label="Per day" error={errors.dailyLimit?.message}>{(p) => <Input {...p} {...register('dailyLimit', num)} type="number" min={1} inputMode="numeric" />}</Field>
          <Field label="Per hour" error={errors.hourlyLimit?.message}>{(p) => <Input {...p} {...register('hourlyLimit', num)} type="number" min={1} inputMode="numeric" />}</Field>
          <Field label="Seconds between" error={errors.minIntervalSeconds?.message}>{(p) => <Input {...p} {...register('minIntervalSeconds', num)} type="number" min={0} inputMode="numeric" />}</Field>
        </div>
        <fieldset className="flex flex-col gap-3 border-t border-zinc-200 pt-3">
          <legend className="text-[13px] font-semibold text-zinc-900">DKIM signing</legend>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="DKIM domain" error={errors.dkim?.domain?.message} hint="d=, e.g. example.com">{(p) => <Input {...p} {...register('dkim.domain')} autoComplete="off" spellCheck={false} />}</Field>
            <Field label="DKIM selector" error={errors.dkim?.selector?.message} hint="s=, published at selector._domainkey.domain">{(p) => <Input {...p} {...register('dkim.selector')} autoComplete="off" spellCheck={false} />}</Field>
          </div>
          <Field label="DKIM private key" error={errors.dkim?.privateKey?.message} hint={mailbox.dkim ? 'A key is stored. Paste a new PEM key to replace it; clear domain and selector to stop signing.' : 'PEM, RSA of 2048 bits recommended.'}>
            {(p) => <textarea {...p} {...register('dkim.privateKey')} rows={3} placeholder={mailbox.dkim ? 'Stored (not shown)' : '-----BEGIN PRIVATE KEY-----'} className="rounded-md bg-white px-2 py-1.5 font-mono text-[12px] text-zinc-900 ring-1 ring-zinc-300 ring-inset" autoComplete="off" spellCheck={false} />}
          </Field>
        </fieldset>
        <fieldset className="flex flex-col gap-3 border-t border-zinc-200 pt-3">
          <legend className="text-[13px] font-semibold text-zinc-900">OAuth sign-in (Google Workspace, Microsoft 365)</legend>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="OAuth provider" error={errors.oauth?.provider?.message} hint="None: the URLs' passwords">
              {(p) => (
                <select {...p} {...register('oauth.provider')} className="h-9 rounded-md bg-white px-2 text-sm text-zinc-900 ring-1 ring-zinc-300 ring-inset">
                  <option value="">None</option>
                  <option value="google">Google</option>
                  <option value="microsoft">Microsoft</option>
                </select>
              )}
            </Field>
            <Field label="OAuth client ID" error={errors.oauth?.clientId?.message}>{(p) => <Input {...p} {...register('oauth.clientId')} autoComplete="off" spellCheck={false} />}</Field>
            <Field label="OAuth client secret" error={errors.oauth?.clientSecret?.message}>{(p) => <Input {...p} {...register('oauth.clientSecret')} type="password" placeholder={mailbox.oauth ? 'Stored (not shown)' : ''} autoComplete="off" />}</Field>
            <Field label="OAuth refresh token" error={errors.oauth?.refreshToken?.message}>{(p) => <Input {...p} {...register('oauth.refreshToken')} type="password" placeholder={mailbox.oauth ? 'Stored (not shown)' : ''} autoComplete="off" />}</Field>
          </div>
        </fieldset>
        <p className="text-[13px] text-zinc-600">Passwords in the URLs show as *** and are kept unless you type new ones; stored keys, secrets and tokens are never shown and are kept unless you type new ones.</p>
        <DialogFooter>
          <Button type="button" onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={isSubmitting}>Save mailbox</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
