import { Link } from '@tanstack/react-router';
import { Building2, CalendarCheck, Inbox, Mail, Users, Webhook, type LucideIcon } from 'lucide-react';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { usePageTitle } from '@/lib/use-page-title.ts';

const SECTIONS: Array<{ to: '/admin/users' | '/admin/mailboxes' | '/admin/organization' | '/admin/webhooks' | '/admin/bookings' | '/admin/outbox'; title: string; text: string; icon: LucideIcon }> = [
  { to: '/admin/users', title: 'Users', text: 'Add people with a password or an invitation link, change roles, deactivate.', icon: Users },
  { to: '/admin/mailboxes', title: 'Mailboxes', text: 'Sends against the caps, bounces and errors; send a test email.', icon: Mail },
  { to: '/admin/organization', title: 'Organisation', text: 'Name, time zone, working days and holidays.', icon: Building2 },
  { to: '/admin/webhooks', title: 'Webhooks', text: 'Send enrolments, emails, replies and tasks to your own systems; the delivery log.', icon: Webhook },
  { to: '/admin/bookings', title: 'Bookings', text: 'Connect Cal.com or Calendly: a meeting booked ends the lead\'s cadences.', icon: CalendarCheck },
  { to: '/admin/outbox', title: 'Dev outbox', text: 'Messages kept instead of sent while no SMTP server is set.', icon: Inbox },
];

/** The admin's start: the workspace settings, one card each. */
export function AdminHomePage() {
  usePageTitle('Admin');
  return (
    <>
      <PageHeader title="Admin" description="Workspace settings" />
      <ul className="grid max-w-4xl gap-3 px-4 py-5 sm:grid-cols-2 md:px-6">
        {SECTIONS.map(({ to, title, text, icon: Icon }) => (
          <li key={to}>
            <Link to={to} className="flex h-full gap-3 rounded-lg bg-white p-4 shadow-xs ring-1 ring-zinc-200 hover:ring-accent-600">
              <Icon className="mt-0.5 size-5 shrink-0 text-accent-600" aria-hidden="true" />
              <span>
                <span className="block text-sm font-semibold text-zinc-900">{title}</span>
                <span className="mt-0.5 block text-[13px] text-zinc-600">{text}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
