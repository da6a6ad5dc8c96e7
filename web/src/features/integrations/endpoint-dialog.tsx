import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, useForm } from 'react-hook-form';
import { WEBHOOK_EVENTS, type WebhookEvent } from '@contract/enums.ts';
import { webhookInput, type WebhookCreated, type WebhookEndpoint, type WebhookInput } from '@contract/webhooks.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog, DialogFooter } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useCreateWebhook, useUpdateWebhook } from '@/data/webhooks/index.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';
import { sentence } from '@/lib/text.ts';
import { EVENT_GROUPS, eventLabel } from './webhook-format.ts';

const FIELDS = ['url', 'events', 'description'] as const;

/**
 * Add an endpoint (`POST /api/webhooks`: its secret comes back once) or change one
 * (`PATCH`: only what changed is sent). Checked with the contract's `webhookInput` first.
 */
export function EndpointDialog({ endpoint, onClose, onCreated }: {
  /** The endpoint to edit; none to add one. */
  endpoint?: WebhookEndpoint;
  onClose: () => void;
  onCreated?: (created: WebhookCreated) => void;
}) {
  const create = useCreateWebhook();
  const update = useUpdateWebhook();
  const { register, control, handleSubmit, setError, formState: { errors, isSubmitting } } = useForm<WebhookInput>({
    resolver: zodResolver(webhookInput, formErrorMessages),
    defaultValues: endpoint
      ? { url: endpoint.url, events: endpoint.events, description: endpoint.description ?? '' }
      : { url: '', events: [...WEBHOOK_EVENTS], description: '' },
  });
  const onSubmit = handleSubmit(async (values) => {
    try {
      if (endpoint) {
        const description = values.description ? values.description : null;
        const patch = {
          ...(values.url !== endpoint.url ? { url: values.url } : {}),
          ...(!sameEvents(values.events, endpoint.events) ? { events: values.events } : {}),
          ...(description !== endpoint.description ? { description } : {}),
        };
        // Nothing changed: nothing to send (the API wants at least one field).
        if (Object.keys(patch).length > 0) {
          await update.mutateAsync({ id: endpoint.id, patch });
          toast({ title: 'Endpoint saved' });
        }
        onClose();
      } else {
        const created = await create.mutateAsync({ ...values, description: values.description || undefined });
        onCreated?.(created);
        onClose();
      }
    } catch (error) {
      showServerErrors(error, setError, FIELDS);
    }
  });
  const title = endpoint ? 'Edit endpoint' : 'Add an endpoint';
  return (
    <Dialog open onOpenChange={(o) => { if (!o) onClose(); }} title={title} description="Cadenza sends each chosen event to this address, signed, as a POST with a JSON body.">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label={title}>
        {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
        <Field label="URL" error={errors.url?.message} hint="https:// recommended. Point it only at a server you trust.">
          {(p) => <Input {...p} {...register('url')} type="url" inputMode="url" autoComplete="off" placeholder="https://example.com/webhooks/cadenza" maxLength={2000} />}
        </Field>
        <Field label="Description (optional)" error={errors.description?.message}>
          {(p) => <Input {...p} {...register('description')} autoComplete="off" maxLength={200} placeholder="CRM sync" />}
        </Field>
        <Controller
          control={control}
          name="events"
          render={({ field }) => <EventPicker value={field.value} onChange={field.onChange} error={errors.events?.message ?? errors.events?.root?.message} />}
        />
        <DialogFooter>
          <Button type="button" onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={isSubmitting}>{endpoint ? 'Save' : 'Add endpoint'}</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

const sameEvents = (a: readonly WebhookEvent[], b: readonly WebhookEvent[]) => a.length === b.length && a.every((e) => b.includes(e));

/** The events in their groups, each group with a "select all", and one for every event. */
function EventPicker({ value, onChange, error }: { value: WebhookEvent[]; onChange: (events: WebhookEvent[]) => void; error?: string }) {
  const chosen = new Set(value);
  const set = (events: readonly WebhookEvent[], on: boolean) => {
    const next = new Set(chosen);
    for (const e of events) {
      if (on) next.add(e);
      else next.delete(e);
    }
    onChange(WEBHOOK_EVENTS.filter((e) => next.has(e)));
  };
  const all = WEBHOOK_EVENTS.every((e) => chosen.has(e));
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby={error ? 'events-error' : undefined} aria-invalid={error ? true : undefined}>
      <legend className="mb-1 text-[13px] font-medium text-zinc-800">Events</legend>
      <GroupBox label="All events" checked={all} mixed={!all && chosen.size > 0} onChange={(on) => set(WEBHOOK_EVENTS, on)} />
      <div className="grid gap-3 sm:grid-cols-2">
        {EVENT_GROUPS.map((group) => {
          const on = group.events.filter((e) => chosen.has(e)).length;
          return (
            <div key={group.label} role="group" aria-label={group.label} className="rounded-md p-2.5 ring-1 ring-zinc-200">
              <GroupBox label={group.label} checked={on === group.events.length} mixed={on > 0 && on < group.events.length} onChange={(next) => set(group.events, next)} bold />
              <div className="mt-1.5 flex flex-col gap-1 pl-6">
                {group.events.map((e) => (
                  <label key={e} className="flex items-center gap-2 text-[13px] text-zinc-800">
                    <input type="checkbox" checked={chosen.has(e)} onChange={(ev) => set([e], ev.target.checked)} className="size-4 accent-accent-600" />
                    <span>{eventLabel(e)} <code className="text-[12px] text-zinc-600">{e}</code></span>
                  </label>
                ))}
              </div>
            </div>
          );
        })}
      </div>
      {error && <p id="events-error" className="text-[13px] text-red-700">{sentence(error)}</p>}
    </fieldset>
  );
}

function GroupBox({ label, checked, mixed, onChange, bold = false }: { label: string; checked: boolean; mixed: boolean; onChange: (on: boolean) => void; bold?: boolean }) {
  return (
    <label className={`flex items-center gap-2 text-[13px] text-zinc-900 ${bold ? 'font-medium' : ''}`}>
      <input
        type="checkbox"
        checked={checked}
        ref={(el) => { if (el) el.indeterminate = mixed; }}
        aria-checked={mixed ? 'mixed' : checked}
        aria-label={bold ? `All ${label}` : undefined}
        onChange={(ev) => onChange(ev.target.checked)}
        className="size-4 accent-accent-600"
      />
      {label}
    </label>
  );
}
