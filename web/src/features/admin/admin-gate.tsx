import { Outlet } from '@tanstack/react-router';
import { NeedsAdminPage } from '@/app/status-pages.tsx';
import { useMe } from '@/data/session/index.ts';

export function AdminGate() {
  const me = useMe();
  return me.role === 'admin' ? <Outlet /> : <NeedsAdminPage />;
}
