import { Link, getRouteApi } from '@tanstack/react-router';
import { getCoreRowModel, getExpandedRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { ArrowLeft, ChevronDown, ChevronRight, Inbox, Power, RotateCw } from 'lucide-react';
import { Fragment, useMemo, useState } from 'react';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryStatus, type WebhookEvent } from '@contract/enums.ts';
import type { WebhookDelivery, WebhookEndpoint } from '@contract/webhooks.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { KeyValueList } from '@/components/ui/key-value-list.tsx';
import { Select } from '@/components/ui/select.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { ToggleGroup } from '@/components/ui/toggle-group.tsx';
import { useDeliveries, useRetryDelivery, useUpdateWebhook, useWebhook } from '@/data/webhooks/index.ts';
import { formatWhen } from '@/features/admin-settings/settings-format.ts';
import { SettingsFrame } from '@/features/admin-settings/settings-nav.tsx';
import { useNow } from '@/features/today/use-now.ts';
import { cn } from '@/lib/cn.ts';
import { renderCell } from '@/lib/render-cell.ts';
import { EVENT_GROUPS, deliveryStory, endpointState, eventLabel, statusCodeText } from './webhook-format.ts';

const route = getRouteApi('/app/admin/webhooks/$id');

const STATUS_TONES: Record<WebhookDeliveryStatus, 'warning' | 'success' | 'danger'> = { pending: 'warning', delivered: 'success', failed: 'danger' };
const STATUS_LABELS: Record<WebhookDeliveryStatus, string> = { pending: 'Pending', delivered: 'Delivered', failed: 'Failed' };
type StatusChoice = WebhookDeliveryStatus | 'all';

/** One endpoint's deliveries, newest first: filter by status and event, open one to see what was sent and answered, retry by hand. */
export function DeliveryLogPage() {
  const { id } = route.useParams();
  const { status, event, open } = route.useSearch();
  const navigate = route.useNavigate();
  const endpoint = useWebhook(id);
  const deliveries = useDeliveries(id, { status, event });
  const retry = useRetryDelivery(id);
  const enable = useUpdateWebhook();
  const now = useNow();
  const [announcement, setAnnouncement] = useState('');
  // One array per answer: a new one each render would make the table recompute (and reset) its rows every time.
  const items = useMemo(() => deliveries.data?.pages.flatMap((p) => p.items) ?? [], [deliveries.data]);

  const setOpen = (deliveryId: string | undefined) => void navigate({ search: (s) => ({ ...s, open: deliveryId }), replace: true });
  const retryNow = (d: WebhookDelivery) => retry.mutate(d.id, {
    onSuccess: () => {
      setAnnouncement(`${d.event} delivery queued again: sent within a few seconds`);
      toast({ title: 'Retry queued', description: `${d.event}: sent within a few seconds.` });
    },
  });

  const columns: Array<ColumnDef<WebhookDelivery> & { id: string }> = [
    {
      id: 'event',
      header: 'Event',
      cell: ({ row }) => {
        const d = row.original;
        return (
          <div className="flex min-w-0 items-start gap-1.5">
            <button
              type="button"
              onClick={() => setOpen(row.getIsExpanded() ? undefined : d.id)}
              aria-expanded={row.getIsExpanded()}
              aria-controls={`delivery-${d.id}`}
              className="-ml-1 flex min-w-0 items-start gap-1 rounded text-left hover:text-accent-700"
            >
              {row.getIsExpanded() ? <ChevronDown className="mt-0.5 size-4 shrink-0" aria-hidden="true" /> : <ChevronRight className="mt-0.5 size-4 shrink-0" aria-hidden="true" />}
              <span className="flex min-w-0 flex-col">
                <span className="font-mono text-[13px] text-zinc-900"><EventName event={d.event} /></span>
                <span className="text-[12px] text-zinc-600 md:hidden">{formatWhen(d.createdAt)}</span>
              </span>
            </button>
          </div>
        );
      },
    },
    { id: 'time', header: 'Time', cell: ({ row }) => <time dateTime={row.original.createdAt} className="whitespace-nowrap text-zinc-700">{formatWhen(row.original.createdAt)}</time> },
    {
      id: 'status',
      header: 'Status',
      cell: ({ row }) => {
        const d = row.original;
        return (
          <div className="flex flex-col items-start gap-1">
            <Badge tone={STATUS_TONES[d.status]}>{STATUS_LABELS[d.status]}</Badge>
            <span className="text-[12px] text-zinc-600">{deliveryStory(d, endpoint.data, now)}</span>
          </div>
        );
      },
    },
    { id: 'attempts', header: 'Attempts', meta: { numeric: true }, cell: ({ row }) => <span className="tabular-nums">{row.original.attempts}</span> },
    {
      id: 'code',
      header: 'Last answer',
      cell: ({ row }) => {
        const code = row.original.lastStatusCode;
        if (code === undefined) return <span className="text-zinc-500">{row.original.lastError ? 'No answer' : '–'}</span>;
        return <span className={cn('whitespace-nowrap', code >= 200 && code < 300 ? 'text-emerald-800' : 'text-red-700')}>{statusCodeText(code)}</span>;
      },
    },
    {
      id: 'next',
      header: 'Next attempt',
      cell: ({ row }) => {
        const d = row.original;
        return d.status === 'pending' && d.nextAttemptAt
          ? <time dateTime={d.nextAttemptAt} className="whitespace-nowrap text-zinc-700">{formatWhen(d.nextAttemptAt)}</time>
          : <span className="text-zinc-500">–</span>;
      },
    },
    {
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      cell: ({ row }) => {
        const d = row.original;
        // A disabled endpoint takes no retry (the API answers 409): the notice above says to enable it.
        if (d.status === 'delivered' || endpoint.data?.enabled === false) return null;
        return (
          <Button size="sm" loading={retry.isPending && retry.variables === d.id} onClick={() => retryNow(d)} aria-label={`Retry now: ${d.event} of ${formatWhen(d.createdAt)}`}>
            <RotateCw className="size-3.5" aria-hidden="true" />Retry now
          </Button>
        );
      },
    },
  ];
  const table = useReactTable({
    data: items,
    columns,
    getRowId: (d) => d.id,
    getRowCanExpand: () => true,
    getCoreRowModel: getCoreRowModel(),
    getExpandedRowModel: getExpandedRowModel(),
    // The opened row lives in the URL (`open`), not in the table.
    state: { expanded: open ? { [open]: true } : {} },
    autoResetExpanded: false,
  });
  const narrowHidden: Record<string, string> = { time: 'hidden md:table-cell', attempts: 'hidden lg:table-cell', code: 'hidden sm:table-cell', next: 'hidden lg:table-cell' };

  return (
    <SettingsFrame
      title="Delivery log"
      description={endpoint.data ? <span className="font-mono">{endpoint.data.url}</span> : 'Webhook endpoint'}
      actions={<Button size="sm" asChild><Link to="/admin/webhooks"><ArrowLeft className="size-3.5" aria-hidden="true" />All endpoints</Link></Button>}
    >
      {endpoint.isError && <Alert title="This endpoint cannot be shown">{endpoint.error.message}</Alert>}
      {endpoint.data && !endpoint.data.enabled && (
        <DisabledNotice endpoint={endpoint.data} pending={enable.isPending}
          onEnable={() => enable.mutate({ id, patch: { enabled: true } }, {
            onSuccess: () => toast({ title: 'Endpoint enabled', description: 'Its pending deliveries go out now.' }),
            onError: (error) => toast({ title: 'That did not work', description: error.message, tone: 'error' }),
          })} />
      )}
      <div className="flex flex-wrap items-center gap-3">
        <ToggleGroup<StatusChoice>
          label="Status"
          value={status ?? 'all'}
          onChange={(v) => void navigate({ search: (s) => ({ ...s, status: v === 'all' ? undefined : v, open: undefined }), replace: true })}
          options={[{ value: 'all', label: 'All' }, ...WEBHOOK_DELIVERY_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))]}
        />
        <label className="flex items-center gap-2 text-[13px] text-zinc-700">
          Event
          <Select
            value={event ?? ''}
            onChange={(e) => void navigate({ search: (s) => ({ ...s, event: (e.target.value || undefined) as WebhookEvent | undefined, open: undefined }), replace: true })}
          >
            <option value="">All events</option>
            {EVENT_GROUPS.map((g) => (
              <optgroup key={g.label} label={g.label}>
                {g.events.map((ev) => <option key={ev} value={ev}>{eventLabel(ev)} ({ev})</option>)}
              </optgroup>
            ))}
          </Select>
        </label>
      </div>
      <p aria-live="polite" className="sr-only">{announcement}</p>
      {deliveries.isPending ? (
        <div className="grid place-items-center py-16"><Spinner label="Loading deliveries" /></div>
      ) : deliveries.isError ? (
        <Alert title="The deliveries cannot be shown">{deliveries.error.message}</Alert>
      ) : items.length === 0 ? (
        <EmptyState icon={Inbox} title={status || event ? 'No delivery matches' : 'No deliveries yet'}>
          {status || event ? 'Try another status or event.' : 'Deliveries appear here as subscribed events happen.'}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow-xs ring-1 ring-zinc-200">
          <table className="w-full border-separate border-spacing-0 text-sm">
            <caption className="sr-only">Deliveries, newest first</caption>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id}>
                  {group.headers.map((h) => (
                    <th key={h.id} scope="col" className={cn('border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-left text-[12px] font-medium text-zinc-600 first:pl-4 last:pr-4', narrowHidden[h.column.id])}>
                      {renderCell(h.column.columnDef.header, h.getContext())}
                    </th>
                  ))}
                </tr>
              ))}
            </thead>
            <tbody>
              {table.getRowModel().rows.map((row) => (
                <Fragment key={row.id}>
                  <tr className={cn(row.getIsExpanded() && 'bg-zinc-50')}>
                    {row.getVisibleCells().map((cell) => (
                      <td key={cell.id} className={cn('border-b border-zinc-100 px-3 py-2.5 align-top first:pl-4 last:pr-4', narrowHidden[cell.column.id])}>
                        {renderCell(cell.column.columnDef.cell, cell.getContext())}
                      </td>
                    ))}
                  </tr>
                  {row.getIsExpanded() && (
                    <tr id={`delivery-${row.id}`}>
                      <td colSpan={columns.length} className="border-b border-zinc-200 bg-zinc-50 px-4 pb-4">
                        <DeliveryDetails delivery={row.original} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deliveries.hasNextPage && (
        <Button onClick={() => void deliveries.fetchNextPage()} loading={deliveries.isFetchingNextPage} className="self-start">Show older deliveries</Button>
      )}
    </SettingsFrame>
  );
}

/** `enrollment.created`, breaking after the dot when the column is narrow, never inside a word. */
function EventName({ event }: { event: string }) {
  const [group, name] = event.split('.');
  return <>{group}.<wbr />{name}</>;
}

/** Why nothing goes out: the endpoint is disabled, and since when; enable it again. */
function DisabledNotice({ endpoint, pending, onEnable }: { endpoint: WebhookEndpoint; pending: boolean; onEnable: () => void }) {
  const state = endpointState(endpoint);
  return (
    <div role="status" className="flex flex-wrap items-center justify-between gap-3 rounded-md bg-red-50 px-3 py-2 text-[13px] text-red-800 ring-1 ring-red-200 ring-inset">
      <p>
        <span className="font-medium">Endpoint {state.text.replace(/^Disabled/, 'disabled')}.</span>{' '}
        {/410/.test(endpoint.disabledReason ?? '')
          ? 'A 410 answer means the receiver is gone for good, so nothing more is sent to it. '
          : ''}
        {endpoint.pending > 0 ? `${endpoint.pending} pending ${endpoint.pending === 1 ? 'delivery waits' : 'deliveries wait'}: enable it again to send them.` : 'Enable it again to retry a delivery.'}
      </p>
      <Button size="sm" variant="primary" loading={pending} onClick={onEnable}><Power className="size-3.5" aria-hidden="true" />Enable again</Button>
    </div>
  );
}

/** What was sent (the payload), what came back (the start of the answer, the error), and the ids to find it at the receiver. */
function DeliveryDetails({ delivery: d }: { delivery: WebhookDelivery }) {
  const rows: Array<[string, string | undefined]> = [
    ['webhook-id', d.messageId],
    ['Created', formatWhen(d.createdAt)],
    ['Last attempt', d.lastAttemptAt && formatWhen(d.lastAttemptAt)],
    ['Delivered', d.deliveredAt && formatWhen(d.deliveredAt)],
    ['Last status code', d.lastStatusCode !== undefined ? statusCodeText(d.lastStatusCode) : undefined],
  ];
  return (
    <div className="grid gap-3 pt-2 lg:grid-cols-2">
      <div className="flex min-w-0 flex-col gap-3">
        <KeyValueList rows={rows} />
        {d.lastError && (
          <div>
            <h3 className="text-[12px] font-medium text-zinc-600">Last error</h3>
            <p className="mt-0.5 font-mono text-[13px] break-words text-red-800">{d.lastError}</p>
          </div>
        )}
        {d.lastResponse && (
          <div>
            <h3 className="text-[12px] font-medium text-zinc-600">Start of the endpoint's answer</h3>
            <pre tabIndex={0} role="region" aria-label="Start of the endpoint's answer" className="mt-0.5 max-h-40 overflow-auto rounded bg-white p-2 font-mono text-[12px] whitespace-pre-wrap break-all text-zinc-800 ring-1 ring-zinc-200">{d.lastResponse}</pre>
          </div>
        )}
      </div>
      <div className="min-w-0">
        <h3 className="text-[12px] font-medium text-zinc-600">Payload</h3>
        {/* Focusable: a scrolling region must be reachable by keyboard. */}
        <pre tabIndex={0} role="region" aria-label="Payload" className="mt-0.5 max-h-80 overflow-auto rounded bg-white p-2 font-mono text-[12px] whitespace-pre-wrap break-all text-zinc-800 ring-1 ring-zinc-200">{JSON.stringify(d.payload, null, 2)}</pre>
      </div>
    </div>
  );
}
