import { zodResolver } from '@hookform/resolvers/zod';
import { CheckCircle2 } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { testEmailInput, type MailboxOverview, type TestEmailInput } from '@contract/mailbox-health.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog, DialogFooter } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useSendTestEmail } from '@/data/mailboxes/index.ts';
import { useMe } from '@/data/session/index.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';
import { deliveryLabel } from './mailbox-health.tsx';

/** Sends a real message through the mailbox's SMTP server and says what the server answered. */
export function TestEmailDialog({ item, onClose }: { item: MailboxOverview; onClose: () => void }) {
  const me = useMe();
  const send = useSendTestEmail(item.user.id);
  const { register, handleSubmit, setError, formState: { errors, isSubmitting } } = useForm<TestEmailInput>({
    resolver: zodResolver(testEmailInput, formErrorMessages),
    defaultValues: { to: me.email },
  });
  const onSubmit = handleSubmit(async (values) => {
    try {
      await send.mutateAsync(values);
    } catch (error) {
      showServerErrors(error, setError, ['to']);
    }
  });
  const result = send.data;
  return (
    <Dialog open onOpenChange={(o) => { if (!o) onClose(); }} title="Send a test email" description={`From ${item.mailbox.fromEmail}, through ${deliveryLabel(item.delivery).toLowerCase()}.`}>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Send a test email">
        {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
        <Field label="Send to" error={errors.to?.message} hint="A real message goes out; it may take up to 20 seconds to hear back.">
          {(p) => <Input {...p} {...register('to')} type="email" />}
        </Field>
        <div aria-live="polite">
          {isSubmitting && <p className="text-[13px] text-zinc-600">Talking to the SMTP server…</p>}
          {result && !isSubmitting && (result.ok ? (
            <div role="status" className="flex gap-2 rounded-md bg-emerald-50 p-3 text-[13px] text-emerald-900 ring-1 ring-emerald-200">
              <CheckCircle2 className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
              <p><span className="font-medium">Sent.</span> {result.message}</p>
            </div>
          ) : (
            <Alert title={result.delivery === 'outbox' ? 'No SMTP server for this mailbox' : 'The test email did not go out'}>{result.message}</Alert>
          ))}
        </div>
        <DialogFooter>
          <Button type="button" onClick={onClose}>Close</Button>
          <Button type="submit" variant="primary" loading={isSubmitting}>{result ? 'Send again' : 'Send test email'}</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
