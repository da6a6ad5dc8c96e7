import { Shield } from 'lucide-react';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { usePageTitle } from '@/lib/use-page-title.ts';

// Placeholder: users, mailboxes, cadences and analytics come with issue 13.
export function AdminHomePage() {
  usePageTitle('Admin');
  return (
    <>
      <PageHeader title="Admin" description="Workspace settings" />
      <EmptyState icon={Shield} title="Admin pages are on their way">
        Users, mailboxes, the cadence builder and analytics will be managed here. Until then, the API does all of it (see /api/openapi.json).
      </EmptyState>
    </>
  );
}
