import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { ChevronsUpDown, Keyboard, LogOut, Settings } from 'lucide-react';
import { Badge } from '@/components/ui/badge.tsx';
import { DropdownMenu, MenuItem, MenuLabel, MenuSeparator } from '@/components/ui/dropdown-menu.tsx';
import { Kbd } from '@/components/ui/kbd.tsx';
import { useMe } from '@/data/session/index.ts';
import { cn } from '@/lib/cn.ts';
import { keyLabels } from './shortcuts/registry.ts';
import { useShortcut, useShowShortcuts } from './shortcuts/shortcuts.tsx';
import { NAV, type NavItem } from './nav.ts';

/** The signed-in frame: skip link, left navigation, the user's menu, and the page. */
export function AppShell() {
  const me = useMe();
  const items = NAV.filter((item) => !item.adminOnly || me.role === 'admin');
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-[70] focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:shadow-lg focus:ring-1 focus:ring-zinc-300"
      >
        Skip to content
      </a>
      <aside className="sticky top-0 flex h-screen w-56 shrink-0 flex-col border-r border-zinc-200 bg-zinc-100/70">
        <div className="flex h-14 items-center gap-2 px-4">
          <span aria-hidden="true" className="grid size-6 place-items-center rounded-md bg-accent-600 text-[13px] font-bold text-white">C</span>
          <span className="text-sm font-semibold tracking-tight text-zinc-900">Cadenza</span>
        </div>
        <nav aria-label="Main" className="flex flex-1 flex-col gap-0.5 px-2 py-2">
          {items.map((item) => <NavLink key={item.to} item={item} />)}
        </nav>
        <UserMenu />
      </aside>
      <main id="main" tabIndex={-1} className="flex min-w-0 flex-1 flex-col focus:outline-none">
        <Outlet />
      </main>
    </div>
  );
}

function NavLink({ item }: { item: NavItem }) {
  const navigate = useNavigate();
  useShortcut(item.keys, `Go to ${item.label}`, () => void navigate({ to: item.to }), { group: 'Navigation' });
  const Icon = item.icon;
  return (
    <Link
      to={item.to}
      className={cn(
        'group flex h-8 items-center gap-2.5 rounded-md px-2 text-sm text-zinc-700 hover:bg-zinc-200/70 hover:text-zinc-950',
        'data-[status=active]:bg-white data-[status=active]:font-medium data-[status=active]:text-zinc-950 data-[status=active]:shadow-xs data-[status=active]:ring-1 data-[status=active]:ring-zinc-200',
      )}
    >
      <Icon className="size-4 text-zinc-500 group-data-[status=active]:text-accent-600" aria-hidden="true" />
      <span className="flex-1">{item.label}</span>
      <span className="hidden gap-0.5 group-hover:flex" aria-hidden="true">
        {keyLabels(item.keys).map((chord) => chord.map((k) => <Kbd key={k} className="h-4 min-w-4 text-[10px]">{k}</Kbd>))}
      </span>
    </Link>
  );
}

function UserMenu() {
  const me = useMe();
  const navigate = useNavigate();
  const showShortcuts = useShowShortcuts();
  return (
    <div className="border-t border-zinc-200 p-2">
      <DropdownMenu
        align="start"
        label="Account"
        trigger={
          <button type="button" className="flex w-full items-center gap-2.5 rounded-md px-2 py-1.5 text-left hover:bg-zinc-200/70" aria-label={`Account: ${me.name}`}>
            <span aria-hidden="true" className="grid size-7 shrink-0 place-items-center rounded-full bg-zinc-300 text-[12px] font-semibold text-zinc-700">
              {initials(me.name)}
            </span>
            <span className="flex min-w-0 flex-1 flex-col">
              <span className="truncate text-[13px] font-medium text-zinc-900">{me.name}</span>
              <span className="truncate text-[12px] text-zinc-600">{me.role === 'admin' ? 'Admin' : 'Sales rep'}</span>
            </span>
            <ChevronsUpDown className="size-4 text-zinc-500" aria-hidden="true" />
          </button>
        }
      >
        <MenuLabel>
          <span className="flex items-center justify-between gap-2">
            <span className="truncate">{me.email}</span>
            <Badge tone={me.role === 'admin' ? 'accent' : 'neutral'}>{me.role}</Badge>
          </span>
        </MenuLabel>
        <MenuSeparator />
        <MenuItem onSelect={() => void navigate({ to: '/settings' })}><Settings aria-hidden="true" />Settings</MenuItem>
        <MenuItem onSelect={showShortcuts}><Keyboard aria-hidden="true" />Keyboard shortcuts<Kbd className="ml-auto">?</Kbd></MenuItem>
        <MenuSeparator />
        <MenuItem onSelect={() => void navigate({ to: '/sign-out' })}><LogOut aria-hidden="true" />Sign out</MenuItem>
      </DropdownMenu>
    </div>
  );
}

const initials = (name: string) =>
  name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('') || '?';
