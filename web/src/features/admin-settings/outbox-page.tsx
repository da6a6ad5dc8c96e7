import { Link, getRouteApi } from '@tanstack/react-router';
import { Inbox, Search } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { OutboxEntry } from '@contract/ops.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Input } from '@/components/ui/input.tsx';
import { KeyValueList } from '@/components/ui/key-value-list.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { TabPanel, Tabs } from '@/components/ui/tabs.tsx';
import { useOutbox } from '@/data/outbox/index.ts';
import { cn } from '@/lib/cn.ts';
import { inertHtml } from './outbox-preview.ts';
import { formatWhen } from './settings-format.ts';
import { SettingsFrame } from './settings-nav.tsx';

const route = getRouteApi('/app/admin/outbox');

/** The dev outbox: each message as it would have gone out, searchable, newest first. */
export function OutboxPage() {
  const { q = '', open } = route.useSearch();
  const navigate = route.useNavigate();
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  // The search follows typing after a pause; the address keeps it.
  useEffect(() => {
    if (text === q) return;
    const t = setTimeout(() => void navigate({ search: (s) => ({ ...s, q: text.trim() || undefined, open: undefined }), replace: true }), 300);
    return () => clearTimeout(t);
  }, [text, q, navigate]);
  const outbox = useOutbox(q);
  const items = outbox.data?.pages.flatMap((p) => p.items) ?? [];
  const smtpConfigured = outbox.data?.pages[0]?.smtpConfigured ?? false;
  const selected = items.find((i) => i.emailId === open) ?? null;

  return (
    <SettingsFrame title="Dev outbox" description="Messages kept instead of sent, exactly as they would have gone out">
      {smtpConfigured && (
        <Alert tone="info" title="This server sends mail">
          SMTP_URL is set, so messages go out through SMTP and are not kept here. Only mailboxes without any SMTP server would land here; see <Link to="/admin/mailboxes" className="underline">Mailboxes</Link>.
        </Alert>
      )}
      <div className="relative max-w-md">
        <Search className="pointer-events-none absolute top-2 left-2.5 size-4 text-zinc-500" aria-hidden="true" />
        <Input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Search by recipient, sender or subject" aria-label="Search the outbox" className="pl-8" maxLength={200} />
      </div>
      {outbox.isPending ? (
        <div className="grid place-items-center py-16"><Spinner label="Loading the outbox" /></div>
      ) : items.length === 0 ? (
        <EmptyState icon={Inbox} title={q ? 'No message matches' : 'The outbox is empty'}>
          {q ? 'Try another part of the address or subject.' : smtpConfigured ? 'Mail goes out through SMTP.' : 'Messages appear here as cadences send them.'}
        </EmptyState>
      ) : (
        <div className="grid gap-4 lg:grid-cols-[minmax(18rem,2fr)_3fr]">
          <div className="flex flex-col gap-2">
            <ul className="overflow-hidden rounded-lg bg-white shadow-xs ring-1 ring-zinc-200" aria-label="Messages">
              {items.map((m) => (
                <li key={m.emailId} className="border-b border-zinc-100 last:border-b-0">
                  <Link
                    to="/admin/outbox"
                    search={(s) => ({ ...s, open: m.emailId })}
                    replace
                    aria-current={m.emailId === open ? 'true' : undefined}
                    className={cn('flex flex-col gap-0.5 px-4 py-2.5 hover:bg-zinc-50', m.emailId === open && 'bg-accent-50 hover:bg-accent-50 shadow-[inset_2px_0_0] shadow-accent-600')}
                  >
                    <span className="flex justify-between gap-2 text-[13px]">
                      <span className="truncate font-medium text-zinc-900">{m.to}</span>
                      <time dateTime={m.createdAt} className="shrink-0 text-zinc-600">{formatWhen(m.createdAt)}</time>
                    </span>
                    <span className="truncate text-sm text-zinc-800">{m.subject || '(no subject)'}</span>
                    <span className="truncate text-[13px] text-zinc-600">from {m.from}</span>
                  </Link>
                </li>
              ))}
            </ul>
            {outbox.hasNextPage && (
              <Button onClick={() => void outbox.fetchNextPage()} loading={outbox.isFetchingNextPage} className="self-start">Show older messages</Button>
            )}
          </div>
          <div aria-live="polite" className={cn('lg:sticky lg:top-4 lg:self-start', selected && 'order-first lg:order-none')}>
            {selected ? <MessageView message={selected} /> : (
              <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-center text-[13px] text-zinc-600">Pick a message to see it as it would have gone out.</p>
            )}
          </div>
        </div>
      )}
    </SettingsFrame>
  );
}

type View = 'html' | 'text' | 'raw';

/** One message: its envelope and headers, and its HTML (in a sandboxed frame, inert), text and raw source. */
export function MessageView({ message }: { message: OutboxEntry }) {
  const [view, setView] = useState<View>(message.html ? 'html' : 'text');
  useEffect(() => setView(message.html ? 'html' : 'text'), [message.emailId, message.html]);
  const h = message.headers;
  const rows: Array<[string, string | null]> = [
    ['From', message.fromHeader || message.from],
    ['To', message.to],
    ['Subject', message.subject],
    ['Kept', formatWhen(message.createdAt)],
    ['Message-ID', h.messageId],
    ['In-Reply-To', h.inReplyTo],
    ['References', h.references],
    ['List-Unsubscribe', h.listUnsubscribe],
    ['List-Unsubscribe-Post', h.listUnsubscribePost],
  ];
  return (
    <article aria-label={`Message to ${message.to}`} className="overflow-hidden rounded-lg bg-white shadow-xs ring-1 ring-zinc-200">
      <KeyValueList rows={rows} className="border-b border-zinc-200 px-4 py-3" />
      <Tabs<View>
        value={view}
        onValueChange={setView}
        label="Message part"
        listClassName="px-4"
        items={[...(message.html ? [{ value: 'html' as const, label: 'HTML' }] : []), { value: 'text', label: 'Text' }, { value: 'raw', label: 'Source' }]}
      >
        {message.html && (
          <TabPanel value="html">
            <iframe
              title={`HTML of the message to ${message.to}`}
              sandbox=""
              srcDoc={inertHtml(message.html)}
              className="h-[28rem] w-full border-0 bg-white"
            />
            <p className="border-t border-zinc-100 px-4 py-2 text-[12px] text-zinc-600">Shown without scripts; tracking images are not loaded and links do not open, so viewing records no open or click.</p>
          </TabPanel>
        )}
        <TabPanel value="text"><pre className="max-h-[28rem] overflow-auto px-4 py-3 text-[13px] whitespace-pre-wrap text-zinc-900">{message.text ?? '(no text part)'}</pre></TabPanel>
        <TabPanel value="raw"><pre className="max-h-[28rem] overflow-auto px-4 py-3 font-mono text-[12px] whitespace-pre-wrap break-all text-zinc-800">{message.raw}</pre></TabPanel>
      </Tabs>
    </article>
  );
}
