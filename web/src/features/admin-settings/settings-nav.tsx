import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { usePageTitle } from '@/lib/use-page-title.ts';

const SECTIONS = [
  { to: '/admin/users', label: 'Users' },
  { to: '/admin/mailboxes', label: 'Mailboxes' },
  { to: '/admin/organization', label: 'Organisation' },
  { to: '/admin/webhooks', label: 'Webhooks' },
  { to: '/admin/bookings', label: 'Bookings' },
  { to: '/admin/outbox', label: 'Dev outbox' },
] as const;

/** The settings' frame: the page header and a sub-navigation between the sections (the current one marked for screen readers). */
export function SettingsFrame({ title, description, actions, children }: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  usePageTitle(title);
  return (
    <>
      <PageHeader title={title} description={description} actions={actions} />
      <nav aria-label="Workspace settings" className="overflow-x-auto border-b border-zinc-200 px-4 md:px-6">
        <ul className="flex gap-4">
          {SECTIONS.map((s) => (
            <li key={s.to}>
              <Link
                to={s.to}
                className="-mb-px inline-flex h-9 items-center border-b-2 border-transparent text-[13px] font-medium whitespace-nowrap text-zinc-600 hover:text-zinc-900"
                activeProps={{ className: 'border-accent-600! text-zinc-900!', 'aria-current': 'page' }}
              >
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="flex flex-col gap-4 px-4 py-5 md:px-6">{children}</div>
    </>
  );
}
