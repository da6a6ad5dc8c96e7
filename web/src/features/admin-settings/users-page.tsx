import { getRouteApi } from '@tanstack/react-router';
import { UserPlus } from 'lucide-react';
import { useState } from 'react';
import type { UserListItem } from '@contract/users.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { SimpleTable, type SimpleColumnDef } from '@/components/ui/simple-table.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useMe } from '@/data/session/index.ts';
import { useReactivateUser, useReinvite, useUpdateUser, useUsers } from '@/data/users/index.ts';
import { AddUserDialog } from './add-user-dialog.tsx';
import { DeactivateDialog } from './deactivate-dialog.tsx';
import { InvitationLinkBox } from './invitation-link.tsx';
import { formatDay } from './settings-format.ts';
import { SettingsFrame } from './settings-nav.tsx';

const route = getRouteApi('/app/admin/users');

/** How a user signs in, in words. */
export function signInLabel(u: UserListItem): { text: string; tone: 'neutral' | 'success' | 'warning' | 'danger' } {
  if (u.deactivatedAt) return { text: `Deactivated ${formatDay(u.deactivatedAt)}`, tone: 'danger' };
  if (u.hasPassword) return { text: 'Signs in with a password', tone: 'success' };
  if (u.invitationExpiresAt) return { text: `Invited, link valid until ${formatDay(u.invitationExpiresAt)}`, tone: 'warning' };
  return { text: 'API tokens only', tone: 'neutral' };
}

export function UsersPage() {
  const users = useUsers();
  const me = useMe();
  const { show = 'active' } = route.useSearch();
  const navigate = route.useNavigate();
  const [adding, setAdding] = useState(false);
  const [deactivating, setDeactivating] = useState<UserListItem | null>(null);
  const [link, setLink] = useState<{ name: string; url: string; expiresAt: string } | null>(null);
  const updateUser = useUpdateUser();
  const reactivate = useReactivateUser();
  const reinvite = useReinvite();
  const all = users.data ?? [];
  const shown = show === 'all' ? all : all.filter((u) => !u.deactivatedAt);
  const hidden = all.length - shown.length;

  /** Reactivate, or a new invitation link and deactivate: in their column, or under the user on a narrow screen. */
  const actionsOf = (u: UserListItem) => {
    if (u.deactivatedAt) {
      return (
        <div className="flex md:justify-end">
          <Button size="sm" loading={reactivate.isPending && reactivate.variables === u.id}
            onClick={() => reactivate.mutate(u.id, { onSuccess: () => toast({ title: `${u.name} can sign in again`, description: u.hasPassword ? 'With their password. Their old API tokens stay revoked.' : 'Send them a new invitation link to set a password.' }) })}>
            Reactivate
          </Button>
        </div>
      );
    }
    return (
      <div className="flex flex-wrap gap-2 md:justify-end">
        {!u.hasPassword && (
          <Button size="sm" loading={reinvite.isPending && reinvite.variables === u.id}
            onClick={() => reinvite.mutate(u.id, { onSuccess: (l) => setLink({ name: u.name, url: l.url, expiresAt: l.expiresAt }) })}>
            {u.invitationExpiresAt ? 'New invitation link' : 'Invite'}
          </Button>
        )}
        {u.id !== me.id && <Button size="sm" variant="ghost" className="text-red-700 hover:text-red-800" onClick={() => setDeactivating(u)}>Deactivate…</Button>}
      </div>
    );
  };

  // Rebuilt each render (a handful of rows): the cells read the mutations' current state.
  const columns: Array<SimpleColumnDef<UserListItem>> = [
    {
      id: 'user',
      header: 'User',
      cell: ({ row }: { row: { original: UserListItem } }) => {
        const u = row.original;
        const signIn = signInLabel(u);
        return (
          <div className="flex min-w-0 flex-col">
            <span className="font-medium text-zinc-900">{u.name}{u.id === me.id && <span className="font-normal text-zinc-600"> (you)</span>}</span>
            <span className="truncate text-[13px] text-zinc-600">{u.email}</span>
            <span className="mt-1 md:hidden"><Badge tone={signIn.tone}>{signIn.text}</Badge></span>
            <div className="mt-2 md:hidden">{actionsOf(u)}</div>
          </div>
        );
      },
    },
    {
      id: 'role',
      header: 'Role',
      cell: ({ row }: { row: { original: UserListItem } }) => {
        const u = row.original;
        return (
          <select
            aria-label={`Role of ${u.name}`}
            value={u.role}
            disabled={!!u.deactivatedAt || updateUser.isPending}
            onChange={(e) => {
              const role = e.target.value as UserListItem['role'];
              if (u.id === me.id && role === 'rep' && !window.confirm('Make yourself a sales rep? You will lose access to these settings at once.')) return;
              updateUser.mutate({ id: u.id, patch: { role } }, { onSuccess: () => toast({ title: `${u.name} is now ${role === 'admin' ? 'an admin' : 'a sales rep'}` }) });
            }}
            className="h-8 rounded-md bg-white px-2 text-sm text-zinc-900 ring-1 ring-zinc-300 ring-inset disabled:text-zinc-500"
          >
            <option value="admin">Admin</option>
            <option value="rep">Sales rep</option>
          </select>
        );
      },
    },
    {
      id: 'signIn',
      narrow: 'hide',
      header: 'Sign-in',
      cell: ({ row }: { row: { original: UserListItem } }) => {
        const s = signInLabel(row.original);
        return <Badge tone={s.tone}>{s.text}</Badge>;
      },
    },
    { id: 'added', narrow: 'hide', header: 'Added', cell: ({ row }: { row: { original: UserListItem } }) => <span className="text-zinc-700">{formatDay(row.original.createdAt)}</span> },
    {
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      narrow: 'hide',
      cell: ({ row }: { row: { original: UserListItem } }) => actionsOf(row.original),
    },
  ];

  return (
    <SettingsFrame
      title="Users"
      description="Who signs in to this workspace, and as what"
      actions={<Button variant="primary" onClick={() => setAdding(true)}><UserPlus className="size-4" aria-hidden="true" />Add user</Button>}
    >
      {link && (
        <InvitationLinkBox name={link.name} url={link.url} expiresAt={link.expiresAt} onDismiss={() => setLink(null)} />
      )}
      {users.isPending ? (
        <div className="grid place-items-center py-16"><Spinner label="Loading users" /></div>
      ) : (
        <SimpleTable
          caption="Users"
          columns={columns}
          data={shown}
          rowId={(u) => u.id}
          rowClassName={(u) => (u.deactivatedAt ? 'bg-zinc-50 text-zinc-600' : undefined)}
        />
      )}
      {(hidden > 0 || show === 'all') && (
        <div>
          <Button size="sm" variant="ghost" onClick={() => void navigate({ search: { show: show === 'all' ? undefined : 'all' } })}>
            {show === 'all' ? 'Hide deactivated users' : `Show ${hidden} deactivated ${hidden === 1 ? 'user' : 'users'}`}
          </Button>
        </div>
      )}
      <AddUserDialog open={adding} onOpenChange={setAdding} onInvited={(name, l) => setLink({ name, url: l.url, expiresAt: l.expiresAt })} />
      {deactivating && (
        <DeactivateDialog user={deactivating} others={all.filter((u) => u.id !== deactivating.id && !u.deactivatedAt)} onClose={() => setDeactivating(null)} />
      )}
    </SettingsFrame>
  );
}
