import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { ChevronsUpDown, Keyboard, LogOut, Menu, Settings, X } from 'lucide-react';
import { Dialog as D } from 'radix-ui';
import { useState, type ReactNode } from 'react';
import { Badge } from '@/components/ui/badge.tsx';
import { DropdownMenu, MenuItem, MenuLabel, MenuSeparator } from '@/components/ui/dropdown-menu.tsx';
import { Kbd } from '@/components/ui/kbd.tsx';
import { useMe } from '@/data/session/index.ts';
import { cn } from '@/lib/cn.ts';
import { keyLabels } from './shortcuts/registry.ts';
import { useShortcut, useShowShortcuts } from './shortcuts/shortcuts.tsx';
import { NAV, type NavItem } from './nav.ts';

/**
 * The signed-in frame: skip link, left navigation, the user's menu, and the page.
 * Under `md` the sidebar would leave the page too narrow: a top bar with a menu
 * button opens the same navigation as a sheet instead.
 */
export function AppShell() {
  const me = useMe();
  const items = NAV.filter((item) => !item.adminOnly || me.role === 'admin');
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-[70] focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:shadow-lg focus:ring-1 focus:ring-zinc-300"
      >
        Skip to content
      </a>
      <MobileBar items={items} />
      {/* Stays mounted when hidden: its links register the navigation shortcuts. */}
      <aside className="sticky top-0 hidden h-screen w-56 shrink-0 flex-col border-r border-zinc-200 bg-zinc-100/70 md:flex">
        <div className="flex h-14 items-center gap-2 px-4">
          <ProductName />
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

function ProductName() {
  return (
    <>
      <span aria-hidden="true" className="grid size-6 place-items-center rounded-md bg-accent-600 text-[13px] font-bold text-white">C</span>
      <span className="text-sm font-semibold tracking-tight text-zinc-900">Cadenza</span>
    </>
  );
}

/** Under `md`: the product name and a menu button opening the navigation and account as a sheet. */
function MobileBar({ items }: { items: NavItem[] }) {
  const me = useMe();
  const navigate = useNavigate();
  const showShortcuts = useShowShortcuts();
  const [open, setOpen] = useState(false);
  const go = (to: '/settings' | '/sign-out') => {
    setOpen(false);
    void navigate({ to });
  };
  return (
    <header className="sticky top-0 z-30 flex h-12 shrink-0 items-center gap-2 border-b border-zinc-200 bg-zinc-100/95 px-3 backdrop-blur md:hidden">
      <D.Root open={open} onOpenChange={setOpen}>
        <D.Trigger asChild>
          <button type="button" aria-label="Open menu" className="-ml-1 grid size-8 place-items-center rounded-md text-zinc-700 hover:bg-zinc-200/70">
            <Menu className="size-5" aria-hidden="true" />
          </button>
        </D.Trigger>
        <D.Portal>
          <D.Overlay className="fixed inset-0 z-40 bg-zinc-950/25 animate-fade-in" />
          <D.Content
            aria-describedby={undefined}
            className="fixed inset-y-0 left-0 z-50 flex w-[min(18rem,85vw)] flex-col border-r border-zinc-200 bg-zinc-50 shadow-xl focus:outline-none"
          >
            <div className="flex h-12 items-center gap-2 px-4">
              <ProductName />
              <D.Title className="sr-only">Menu</D.Title>
              <D.Close className="-mr-1 ml-auto grid size-8 place-items-center rounded-md text-zinc-600 hover:bg-zinc-200/70" aria-label="Close menu">
                <X className="size-4" aria-hidden="true" />
              </D.Close>
            </div>
            <nav aria-label="Main" className="flex flex-1 flex-col gap-0.5 overflow-y-auto px-2 py-2">
              {items.map((item) => <NavLinkView key={item.to} item={item} onClick={() => setOpen(false)} />)}
            </nav>
            <div className="flex flex-col gap-0.5 border-t border-zinc-200 p-2">
              <div className="flex items-center gap-2.5 px-2 py-1.5">
                <Avatar name={me.name} />
                <span className="flex min-w-0 flex-1 flex-col">
                  <span className="truncate text-[13px] font-medium text-zinc-900">{me.name}</span>
                  <span className="truncate text-[12px] text-zinc-600">{me.email}</span>
                </span>
                <Badge tone={me.role === 'admin' ? 'accent' : 'neutral'}>{me.role}</Badge>
              </div>
              <SheetButton onClick={() => go('/settings')}><Settings aria-hidden="true" />Settings</SheetButton>
              <SheetButton onClick={() => { setOpen(false); showShortcuts(); }}><Keyboard aria-hidden="true" />Keyboard shortcuts</SheetButton>
              <SheetButton onClick={() => go('/sign-out')}><LogOut aria-hidden="true" />Sign out</SheetButton>
            </div>
          </D.Content>
        </D.Portal>
      </D.Root>
      <ProductName />
    </header>
  );
}

function SheetButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" onClick={onClick} className="flex h-8 items-center gap-2.5 rounded-md px-2 text-left text-sm text-zinc-700 hover:bg-zinc-200/70 hover:text-zinc-950 [&>svg]:size-4 [&>svg]:text-zinc-500">
      {children}
    </button>
  );
}

function NavLink({ item }: { item: NavItem }) {
  const navigate = useNavigate();
  useShortcut(item.keys, `Go to ${item.label}`, () => void navigate({ to: item.to }), { group: 'Navigation' });
  return <NavLinkView item={item} />;
}

function NavLinkView({ item, onClick }: { item: NavItem; onClick?: () => void }) {
  const Icon = item.icon;
  return (
    <Link
      to={item.to}
      activeOptions={{ exact: item.exact ?? false }}
      onClick={onClick}
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
            <Avatar name={me.name} />
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

function Avatar({ name }: { name: string }) {
  return (
    <span aria-hidden="true" className="grid size-7 shrink-0 place-items-center rounded-full bg-zinc-300 text-[12px] font-semibold text-zinc-700">
      {initials(name)}
    </span>
  );
}

const initials = (name: string) =>
  name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('') || '?';
