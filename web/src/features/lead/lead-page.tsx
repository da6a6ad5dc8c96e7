import { getRouteApi, Link } from '@tanstack/react-router';
import { UserRound } from 'lucide-react';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { usePageTitle } from '@/lib/use-page-title.ts';

const route = getRouteApi('/app/leads/$leadId');

// Placeholder: the lead page (fields, enrolments, timeline) is built here next (issue 12, item 5).
export function LeadPage() {
  usePageTitle('Lead');
  const { leadId } = route.useParams();
  return (
    <>
      <PageHeader title="Lead" description={leadId} />
      <EmptyState icon={UserRound} title="The lead page is on its way" action={<Button asChild><Link to="/today">Back to Today</Link></Button>}>
        Fields, enrolments and the timeline of this lead will be shown here.
      </EmptyState>
    </>
  );
}
