import { zodResolver } from '@hookform/resolvers/zod';
import { CalendarCheck } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import type { IntegrationProvider } from '@contract/enums.ts';
import { integrationInput, type integration } from '@contract/webhooks.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useDisconnectIntegration, useIntegrations, useSaveIntegration } from '@/data/integrations/index.ts';
import { formatWhen } from '@/features/admin-settings/settings-format.ts';
import { SettingsFrame } from '@/features/admin-settings/settings-nav.tsx';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';
import { CopyField } from './copy-field.tsx';

type Integration = z.infer<typeof integration>;
type SecretInput = z.infer<typeof integrationInput>;

/** Where each provider keeps its webhooks, and what to subscribe to. */
const PROVIDERS: Record<IntegrationProvider, { name: string; where: string; events: string[]; secret: string }> = {
  calcom: {
    name: 'Cal.com',
    where: 'In Cal.com: Settings → Developer → Webhooks → New. Paste it as the Subscriber URL and type a secret; enter the same secret here.',
    events: ['BOOKING_CREATED', 'BOOKING_RESCHEDULED'],
    secret: 'The secret you typed in Cal.com (sent as x-cal-signature-256).',
  },
  calendly: {
    name: 'Calendly',
    where: 'Calendly makes webhooks through its API (paid plans): POST /webhook_subscriptions with this URL as url and a signing_key you choose; enter the same key here.',
    events: ['invitee.created'],
    secret: 'The signing key of the subscription (sent as Calendly-Webhook-Signature).',
  },
};

/** Booking tools: a meeting booked by a lead's email becomes a `meeting_booked` signal (it ends their cadences). */
export function BookingsPage() {
  const integrations = useIntegrations();
  return (
    <SettingsFrame title="Bookings" description="Meetings booked in Cal.com or Calendly end the lead's cadences">
      <p className="max-w-3xl text-[13px] text-zinc-700">
        When someone books a meeting with the email of a lead, Cadenza records a <span className="font-medium">meeting booked</span> signal:
        the lead's enrolments end as cadences say (exit on meeting), and the lead's timeline shows it. Bookings by unknown emails are ignored.
      </p>
      {integrations.isPending ? (
        <div className="grid place-items-center py-16"><Spinner label="Loading integrations" /></div>
      ) : integrations.isError ? (
        <Alert title="The integrations cannot be shown">{integrations.error.message}</Alert>
      ) : (
        <ul className="grid gap-3 lg:grid-cols-2" aria-label="Booking tools">
          {integrations.data.map((i) => <ProviderCard key={i.provider} item={i} />)}
        </ul>
      )}
    </SettingsFrame>
  );
}

function ProviderCard({ item }: { item: Integration }) {
  const p = PROVIDERS[item.provider];
  const save = useSaveIntegration();
  const disconnect = useDisconnectIntegration();
  const [confirming, setConfirming] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const { register, handleSubmit, setError, reset, formState: { errors, isSubmitting } } = useForm<SecretInput>({
    resolver: zodResolver(integrationInput, formErrorMessages),
    defaultValues: { secret: '' },
  });
  const onSubmit = handleSubmit(async ({ secret }) => {
    try {
      await save.mutateAsync({ provider: item.provider, secret });
      // The secret is never shown again, not even in this field.
      reset({ secret: '' });
      setReplacing(false);
      toast({ title: `${p.name} connected`, description: 'Its signed booking calls are accepted from now on.' });
    } catch (error) {
      showServerErrors(error, setError, ['secret']);
    }
  });
  const showForm = !item.configured || replacing;
  return (
    <li className="flex flex-col gap-3 rounded-lg bg-white p-4 shadow-xs ring-1 ring-zinc-200" aria-labelledby={`provider-${item.provider}`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="flex items-center gap-2">
          <CalendarCheck className="size-5 text-accent-600" aria-hidden="true" />
          <h2 id={`provider-${item.provider}`} className="text-sm font-semibold text-zinc-900">{p.name}</h2>
        </div>
        <Badge tone={item.configured ? 'success' : 'neutral'}>{item.configured ? 'Connected' : 'Not connected'}</Badge>
      </div>
      <div className="flex flex-col gap-1.5">
        <p className="text-[13px] font-medium text-zinc-800">Webhook URL</p>
        <CopyField label={`${p.name} webhook URL`} value={item.webhookUrl} />
        <p className="text-[13px] text-zinc-600">{p.where} Subscribe to {p.events.map((e, n) => <span key={e}>{n > 0 && ' and '}<code className="text-zinc-800">{e}</code></span>)}.</p>
      </div>
      {item.configured && (
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-[13px]">
          <dt className="text-zinc-600">Secret saved</dt>
          <dd className="text-zinc-900">{item.updatedAt ? formatWhen(item.updatedAt) : 'Yes'}</dd>
          <dt className="text-zinc-600">Last booking call</dt>
          <dd className="text-zinc-900">{item.lastReceivedAt ? formatWhen(item.lastReceivedAt) : 'None yet'}</dd>
          {item.lastError && (
            <>
              <dt className="text-zinc-600">Last error</dt>
              <dd className="break-words text-red-700">{item.lastError}</dd>
            </>
          )}
        </dl>
      )}
      {showForm ? (
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2" aria-label={`${p.name} signing secret`}>
          {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
          <Field label="Signing secret" error={errors.secret?.message} hint={`${p.secret} It is stored, never shown again.`}>
            {(f) => <Input {...f} {...register('secret')} type="password" autoComplete="off" spellCheck={false} maxLength={500} />}
          </Field>
          <div className="flex gap-2">
            <Button type="submit" variant="primary" size="sm" loading={isSubmitting}>{item.configured ? 'Save new secret' : 'Connect'}</Button>
            {replacing && <Button size="sm" onClick={() => { reset({ secret: '' }); setReplacing(false); }}>Cancel</Button>}
          </div>
        </form>
      ) : (
        <div className="flex flex-wrap gap-2">
          <Button size="sm" onClick={() => setReplacing(true)}>Replace secret</Button>
          <Button size="sm" variant="ghost" className="text-red-700 hover:text-red-800" onClick={() => { disconnect.reset(); setConfirming(true); }}>Disconnect…</Button>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Disconnect ${p.name}?`}
        confirmLabel="Disconnect"
        tone="danger"
        pending={disconnect.isPending}
        error={disconnect.error?.message}
        onConfirm={() => disconnect.mutate(item.provider, {
          onSuccess: () => {
            setConfirming(false);
            toast({ title: `${p.name} disconnected` });
          },
        })}
      >
        <p>The secret is forgotten: {p.name}'s booking calls are refused (401) from now on, and bookings no longer end cadences.</p>
        <p>Remove the webhook in {p.name} too, or it keeps calling.</p>
      </ConfirmDialog>
    </li>
  );
}
