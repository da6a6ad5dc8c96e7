import { Link } from '@tanstack/react-router';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Card } from '@/components/ui/card.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { useMe } from '@/data/session/index.ts';
import { usePageTitle } from '@/lib/use-page-title.ts';
import { PasswordForm } from './password-form.tsx';

export function SettingsPage() {
  usePageTitle('Settings');
  const me = useMe();
  return (
    <>
      <PageHeader title="Settings" description="Your account" />
      <div className="flex max-w-2xl flex-col gap-4 px-6 py-6">
        <Card title="Profile">
          <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-zinc-600">Name</dt><dd className="text-zinc-900">{me.name}</dd>
            <dt className="text-zinc-600">Email</dt><dd className="text-zinc-900">{me.email}</dd>
            <dt className="text-zinc-600">Role</dt><dd><Badge tone={me.role === 'admin' ? 'accent' : 'neutral'}>{me.role === 'admin' ? 'Admin' : 'Sales rep'}</Badge></dd>
            <dt className="text-zinc-600">Time zone</dt><dd className="text-zinc-900">{me.timezone ?? 'The workspace’s zone'}</dd>
          </dl>
        </Card>
        <Card title="Password" description="Changing it signs you out everywhere else.">
          <PasswordForm />
        </Card>
        <Card title="Time off" description="Away? Pause your cadences until you are back: nothing of yours is sent or due meanwhile.">
          {/* The dialog lives on Today, which shows the pause while it lasts. */}
          <Button asChild><Link to="/today" search={{ pause: true }}>Pause my cadences…</Link></Button>
        </Card>
      </div>
    </>
  );
}
