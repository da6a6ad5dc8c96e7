import { Link } from '@tanstack/react-router';
import { Mail, Pencil, Send } from 'lucide-react';
import { useState } from 'react';
import type { MailboxOverview } from '@contract/mailbox-health.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { useMailboxes } from '@/data/mailboxes/index.ts';
import { HealthDetails, deliveryLabel } from './mailbox-health.tsx';
import { MailboxDialog } from './mailbox-dialog.tsx';
import { SettingsFrame } from './settings-nav.tsx';
import { TestEmailDialog } from './test-email-dialog.tsx';

/** Each user's mailbox: where its mail goes, its sends against the caps, its errors; edit it or send a test email. */
export function MailboxesPage() {
  const mailboxes = useMailboxes();
  const [editing, setEditing] = useState<MailboxOverview | null>(null);
  const [testing, setTesting] = useState<MailboxOverview | null>(null);
  const items = (mailboxes.data ?? []).filter((m) => !m.user.deactivatedAt);
  const outboxOnly = items.length > 0 && items.every((m) => m.delivery === 'outbox');
  return (
    <SettingsFrame title="Mailboxes" description="Where each person's email goes out from, and how it is doing">
      {outboxOnly && (
        <Alert tone="info" title="No mail leaves this server">
          No mailbox has an SMTP server and the server has no SMTP_URL, so every message is kept in the <Link to="/admin/outbox" className="underline">dev outbox</Link>.
        </Alert>
      )}
      {mailboxes.isPending ? (
        <div className="grid place-items-center py-16"><Spinner label="Loading mailboxes" /></div>
      ) : items.length === 0 ? (
        <EmptyState icon={Mail} title="No users yet">Add users first: each one sends from a mailbox.</EmptyState>
      ) : (
        <ul className="flex flex-col gap-3" aria-label="Mailboxes">
          {items.map((item) => (
            <li key={item.user.id} className="rounded-lg bg-white p-4 shadow-xs ring-1 ring-zinc-200">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0">
                  <h2 className="text-sm font-semibold text-zinc-900">{item.user.name}</h2>
                  <p className="truncate text-[13px] text-zinc-700">
                    Sends as {item.mailbox.fromName ? `${item.mailbox.fromName} <${item.mailbox.fromEmail}>` : item.mailbox.fromEmail}
                  </p>
                  <div className="mt-1.5 flex flex-wrap gap-1.5">
                    <Badge tone={item.delivery === 'outbox' ? 'warning' : 'neutral'}>{deliveryLabel(item.delivery)}</Badge>
                    {!item.configured && <Badge>Defaults</Badge>}
                    {item.health.lastSmtpError && <Badge tone="danger">SMTP error</Badge>}
                  </div>
                </div>
                <div className="flex gap-2">
                  <Button size="sm" onClick={() => setEditing(item)}><Pencil className="size-3.5" aria-hidden="true" />Edit<span className="sr-only"> {item.user.name}'s mailbox</span></Button>
                  <Button size="sm" onClick={() => setTesting(item)}><Send className="size-3.5" aria-hidden="true" />Send a test email<span className="sr-only"> from {item.user.name}'s mailbox</span></Button>
                </div>
              </div>
              <div className="mt-4"><HealthDetails item={item} /></div>
            </li>
          ))}
        </ul>
      )}
      {editing && <MailboxDialog item={editing} onClose={() => setEditing(null)} />}
      {testing && <TestEmailDialog item={testing} onClose={() => setTesting(null)} />}
    </SettingsFrame>
  );
}
