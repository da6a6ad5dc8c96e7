import { Link } from '@tanstack/react-router';
import { KeyRound, List, MoreHorizontal, Pencil, Power, PowerOff, Trash2 } from 'lucide-react';
import type { WebhookEndpoint } from '@contract/webhooks.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { DropdownMenu, MenuItem, MenuSeparator } from '@/components/ui/dropdown-menu.tsx';
import { formatWhen } from '@/features/admin-settings/settings-format.ts';
import { cn } from '@/lib/cn.ts';
import { endpointState, eventLabel, isAllEvents, statusCodeText } from './webhook-format.ts';

export type EndpointAction = 'edit' | 'enable' | 'disable' | 'rotate' | 'delete';

/** One endpoint: where it points, what it gets, how its deliveries are doing; its actions. */
export function EndpointCard({ endpoint: e, onAction, busy }: { endpoint: WebhookEndpoint; onAction: (action: EndpointAction) => void; busy: boolean }) {
  const state = endpointState(e);
  const name = e.description || e.url;
  return (
    <li className={cn('rounded-lg bg-white p-4 shadow-xs ring-1 ring-zinc-200', !e.enabled && 'ring-red-200')} aria-label={name}>
      {/* On a phone: the address and its menu on one line, the buttons under them; wider, all in a row. */}
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1 basis-56">
          <h2 className="font-mono text-[13px] font-medium break-all text-zinc-900">{e.url}</h2>
          {e.description && <p className="text-[13px] text-zinc-700">{e.description}</p>}
          <div className="mt-1.5 flex flex-wrap gap-1.5">
            {/* "Disabled: answered 410 Gone on …" may wrap on a phone: the badge grows with it. */}
            <Badge tone={state.tone} className={e.enabled ? undefined : 'h-auto min-h-5 py-0.5'}>{state.text}</Badge>
            {isAllEvents(e.events)
              ? <Badge tone="accent">All events</Badge>
              : e.events.map((ev) => <Badge key={ev} className="font-mono" tone="neutral"><span className="sr-only">{eventLabel(ev)}: </span>{ev}</Badge>)}
          </div>
        </div>
        <div className="order-3 flex w-full flex-wrap gap-2 sm:order-2 sm:w-auto">
          {!e.enabled && (
            <Button size="sm" variant="primary" loading={busy} onClick={() => onAction('enable')}>
              <Power className="size-3.5" aria-hidden="true" />Enable again
            </Button>
          )}
          <Button size="sm" asChild>
            <Link to="/admin/webhooks/$id" params={{ id: e.id }}><List className="size-3.5" aria-hidden="true" />Delivery log</Link>
          </Button>
          <Button size="sm" onClick={() => onAction('edit')}><Pencil className="size-3.5" aria-hidden="true" />Edit</Button>
        </div>
        <div className="order-2 sm:order-3">
          <DropdownMenu label={`More actions for ${name}`} trigger={<Button size="icon" variant="ghost" aria-label={`More actions for ${name}`}><MoreHorizontal aria-hidden="true" /></Button>}>
            {e.enabled && <MenuItem onSelect={() => onAction('disable')}><PowerOff aria-hidden="true" />Disable</MenuItem>}
            <MenuItem onSelect={() => onAction('rotate')}><KeyRound aria-hidden="true" />Rotate secret…</MenuItem>
            <MenuSeparator />
            <MenuItem onSelect={() => onAction('delete')} className="text-red-700 data-highlighted:text-red-800"><Trash2 aria-hidden="true" />Delete…</MenuItem>
          </DropdownMenu>
        </div>
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 text-[13px] sm:grid-cols-[auto_auto_1fr]">
        <div>
          <dt className="text-zinc-600">Pending</dt>
          <dd className="font-medium text-zinc-900 tabular-nums">{e.pending}</dd>
        </div>
        <div>
          <dt className="text-zinc-600">Failed</dt>
          <dd className={cn('font-medium tabular-nums', e.failed > 0 ? 'text-red-700' : 'text-zinc-900')}>
            {e.failed > 0
              ? <Link to="/admin/webhooks/$id" params={{ id: e.id }} search={{ status: 'failed' }} className="underline" aria-label={`${e.failed} failed: show them`}>{e.failed}</Link>
              : e.failed}
          </dd>
        </div>
        <div className="col-span-2 sm:col-span-1">
          <dt className="text-zinc-600">Last delivery</dt>
          <dd className="text-zinc-900">
            {e.lastDeliveryAt ? (
              <>
                <time dateTime={e.lastDeliveryAt}>{formatWhen(e.lastDeliveryAt)}</time>
                {e.lastStatusCode !== null && (
                  <> · <span className={e.lastStatusCode >= 200 && e.lastStatusCode < 300 ? 'text-emerald-800' : 'text-red-700'}>{statusCodeText(e.lastStatusCode)}</span></>
                )}
              </>
            ) : 'None yet'}
          </dd>
        </div>
      </dl>
      {!e.enabled && (
        <p className="mt-3 text-[13px] text-zinc-700">
          Events that happen while it is disabled are not sent to it{e.pending > 0 ? `; its ${e.pending} pending ${e.pending === 1 ? 'delivery waits' : 'deliveries wait'} until you enable it again` : ''}.
        </p>
      )}
      {e.previousSecretUntil && Date.parse(e.previousSecretUntil) > Date.now() && (
        <p className="mt-2 text-[13px] text-zinc-700">Secret rotated: the previous one also signs until {formatWhen(e.previousSecretUntil)}.</p>
      )}
    </li>
  );
}
