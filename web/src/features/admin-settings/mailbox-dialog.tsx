import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { MailboxOverview } from '@contract/mailbox-health.ts';
import { mailboxInput, type MailboxInput } from '@contract/users.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog, DialogFooter } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useSaveMailbox } from '@/data/mailboxes/index.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';

const FIELDS = ['fromEmail', 'fromName', 'smtpUrl', 'imapUrl', 'dailyLimit', 'hourlyLimit', 'minIntervalSeconds'] as const;
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

/** `PUT /api/users/:id/mailbox`: credentials show masked and are kept when sent back unchanged. */
export function MailboxDialog({ item, onClose }: { item: MailboxOverview; onClose: () => void }) {
  const save = useSaveMailbox(item.user.id);
  const { mailbox } = item;
  const { register, handleSubmit, setError, formState: { errors, isSubmitting } } = useForm<MailboxInput>({
    resolver: zodResolver(mailboxInput, formErrorMessages),
    defaultValues: {
      fromEmail: mailbox.fromEmail, fromName: mailbox.fromName ?? '', smtpUrl: mailbox.smtpUrl ?? '', imapUrl: mailbox.imapUrl ?? '',
      dailyLimit: mailbox.dailyLimit, hourlyLimit: mailbox.hourlyLimit, minIntervalSeconds: mailbox.minIntervalSeconds,
    },
  });
  const onSubmit = handleSubmit(async (values) => {
    try {
      await save.mutateAsync(values);
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
        <p className="text-[13px] text-zinc-600">Passwords in the URLs show as *** and are kept unless you type new ones.</p>
        <DialogFooter>
          <Button type="button" onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={isSubmitting}>Save mailbox</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
