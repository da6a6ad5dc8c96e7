import { Plus, Webhook } from 'lucide-react';
import { useState } from 'react';
import type { WebhookEndpoint } from '@contract/webhooks.ts';
import { Button } from '@/components/ui/button.tsx';
import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useDeleteWebhook, useRotateWebhookSecret, useUpdateWebhook, useWebhooks } from '@/data/webhooks/index.ts';
import { SettingsFrame } from '@/features/admin-settings/settings-nav.tsx';
import { EndpointCard, type EndpointAction } from './endpoint-card.tsx';
import { EndpointDialog } from './endpoint-dialog.tsx';
import { SecretBox } from './secret-box.tsx';

interface ShownSecret { url: string; secret: string; previousUntil: string | null }

/** Outbound webhooks: the endpoints, their health, and adding, changing, rotating and deleting them. */
export function WebhooksPage() {
  const webhooks = useWebhooks();
  const update = useUpdateWebhook();
  const rotate = useRotateWebhookSecret();
  const remove = useDeleteWebhook();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<WebhookEndpoint | null>(null);
  const [confirming, setConfirming] = useState<{ action: 'rotate' | 'delete'; endpoint: WebhookEndpoint } | null>(null);
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const items = webhooks.data ?? [];

  const act = (endpoint: WebhookEndpoint, action: EndpointAction) => {
    if (action === 'edit') setEditing(endpoint);
    else if (action === 'rotate' || action === 'delete') {
      rotate.reset();
      remove.reset();
      setConfirming({ action, endpoint });
    } else {
      const enabled = action === 'enable';
      update.mutate({ id: endpoint.id, patch: { enabled } }, {
        onSuccess: (saved) => toast({
          title: enabled ? 'Endpoint enabled' : 'Endpoint disabled',
          description: enabled
            ? (saved.pending > 0 ? `Its ${saved.pending} pending ${saved.pending === 1 ? 'delivery goes' : 'deliveries go'} out now.` : 'New events are sent to it again.')
            : 'Nothing is sent to it until you enable it again.',
        }),
        onError: (error) => toast({ title: 'That did not work', description: error.message, tone: 'error' }),
      });
    }
  };

  const confirm = () => {
    if (!confirming) return;
    const { action, endpoint } = confirming;
    if (action === 'rotate') {
      rotate.mutate(endpoint.id, {
        onSuccess: (created) => {
          setSecret({ url: created.url, secret: created.secret, previousUntil: created.previousSecretUntil });
          setConfirming(null);
        },
      });
    } else {
      remove.mutate(endpoint.id, {
        onSuccess: () => {
          toast({ title: 'Endpoint deleted', description: endpoint.url });
          // Its secret, if shown, signs nothing any more.
          setSecret((shown) => (shown?.url === endpoint.url ? null : shown));
          setConfirming(null);
        },
      });
    }
  };

  return (
    <SettingsFrame
      title="Webhooks"
      description="Events sent to your own systems as they happen, signed"
      actions={<Button variant="primary" onClick={() => setAdding(true)}><Plus className="size-4" aria-hidden="true" />Add endpoint</Button>}
    >
      {/* Always there (a live region must exist before what it announces); no gap while empty. */}
      <div aria-live="polite" className={secret ? undefined : '-mb-4'}>
        {secret && <SecretBox url={secret.url} secret={secret.secret} previousUntil={secret.previousUntil} onDismiss={() => setSecret(null)} />}
      </div>
      {webhooks.isPending ? (
        <div className="grid place-items-center py-16"><Spinner label="Loading webhooks" /></div>
      ) : items.length === 0 ? (
        <EmptyState
          icon={Webhook}
          title="No endpoints yet"
          action={<Button variant="primary" onClick={() => setAdding(true)}><Plus className="size-4" aria-hidden="true" />Add endpoint</Button>}
        >
          Add an address of yours (a CRM sync, Zapier, your own server) and Cadenza posts enrolments, emails, replies, bounces, unsubscribes and tasks to it as they happen.
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-3" aria-label="Endpoints">
          {items.map((e) => (
            <EndpointCard key={e.id} endpoint={e} onAction={(a) => act(e, a)} busy={update.isPending && update.variables?.id === e.id} />
          ))}
        </ul>
      )}
      <p className="text-[13px] text-zinc-600">
        Each delivery is retried with growing waits for about 27 hours (8 attempts) until the endpoint answers 2xx; an endpoint that answers
        {' '}<code>410 Gone</code> is disabled. Requests are signed as Standard Webhooks describe; the same <code>webhook-id</code> on a retry is the same event.
      </p>
      {adding && <EndpointDialog onClose={() => setAdding(false)} onCreated={(c) => setSecret({ url: c.url, secret: c.secret, previousUntil: null })} />}
      {editing && <EndpointDialog endpoint={editing} onClose={() => setEditing(null)} />}
      <ConfirmDialog
        open={confirming?.action === 'rotate'}
        onOpenChange={(o) => { if (!o) setConfirming(null); }}
        title="Rotate the signing secret?"
        confirmLabel="Rotate secret"
        onConfirm={confirm}
        pending={rotate.isPending}
        error={rotate.error?.message}
      >
        <p>A new secret signs every request from now on; it is shown once, to copy.</p>
        <p>The old secret keeps signing too for 24 hours (each request then carries both signatures), so you have a day to put the new one into <span className="font-mono break-all">{confirming?.endpoint.url}</span>.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirming?.action === 'delete'}
        onOpenChange={(o) => { if (!o) setConfirming(null); }}
        title="Delete this endpoint?"
        confirmLabel="Delete endpoint"
        tone="danger"
        onConfirm={confirm}
        pending={remove.isPending}
        error={remove.error?.message}
      >
        <p><span className="font-mono break-all">{confirming?.endpoint.url}</span> gets no more events.</p>
        <p>
          {confirming && confirming.endpoint.pending > 0
            ? `Its ${confirming.endpoint.pending} pending ${confirming.endpoint.pending === 1 ? 'delivery is' : 'deliveries are'} dropped, and its delivery log goes with it.`
            : 'Its pending deliveries, if any, are dropped, and its delivery log goes with it.'}
        </p>
      </ConfirmDialog>
    </SettingsFrame>
  );
}
