import { CalendarCheck, FileUp, Settings, Shield, Users, Workflow, type LucideIcon } from 'lucide-react';

/** The left navigation: where each item goes and the `g` shortcut that goes there. */
export interface NavItem {
  to: '/today' | '/leads' | '/settings' | '/admin' | '/admin/cadences' | '/admin/leads/import';
  label: string;
  icon: LucideIcon;
  keys: string;
  adminOnly?: boolean;
  /** Shown as the current page only at its own address, not under it (Admin, beside Cadences under /admin). */
  exact?: boolean;
}

export const NAV: NavItem[] = [
  { to: '/today', label: 'Today', icon: CalendarCheck, keys: 'g t' },
  { to: '/leads', label: 'Leads', icon: Users, keys: 'g l' },
  { to: '/settings', label: 'Settings', icon: Settings, keys: 'g s' },
  { to: '/admin/cadences', label: 'Cadences', icon: Workflow, keys: 'g c', adminOnly: true },
  { to: '/admin/leads/import', label: 'Import leads', icon: FileUp, keys: 'g i', adminOnly: true },
  { to: '/admin', label: 'Admin', icon: Shield, keys: 'g a', adminOnly: true, exact: true },
];
