import { Link } from '@tanstack/react-router';
import { Users } from 'lucide-react';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { usePageTitle } from '@/lib/use-page-title.ts';

// Placeholder until the lead list, search and import arrive with the admin part (issue 13).
export function LeadsPage() {
  usePageTitle('Leads');
  return (
    <>
      <PageHeader title="Leads" />
      <EmptyState
        icon={Users}
        title="Searching and importing leads comes with the admin release"
        action={<Button asChild variant="primary"><Link to="/today">Open Today</Link></Button>}
      >
        Until then, open a lead from a task in your Today queue: its name links to the lead’s page with fields, cadences and timeline.
      </EmptyState>
    </>
  );
}
