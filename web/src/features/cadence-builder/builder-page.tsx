import { getRouteApi, Link } from '@tanstack/react-router';
import { CircleAlert, Workflow } from 'lucide-react';
import { isApiError } from '@/api/api-error.ts';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PendingPage } from '@/app/status-pages.tsx';
import { useBuilderCadence } from '@/data/cadences/index.ts';
import { useOrganization } from '@/data/leads/index.ts';
import { usePageTitle } from '@/lib/use-page-title.ts';
import { CadenceBuilder } from './cadence-builder.tsx';

const route = getRouteApi('/app/admin/cadences/$cadenceId');

/** `/admin/cadences/<id>`: the builder of one cadence, once it and the workspace's working days are read. */
export function CadenceBuilderPage() {
  const { cadenceId } = route.useParams();
  const { lead } = route.useSearch();
  const navigate = route.useNavigate();
  const cadence = useBuilderCadence(cadenceId);
  const org = useOrganization();
  usePageTitle(cadence.data ? `${cadence.data.name} · Cadence` : 'Cadence');

  if (cadence.isError) {
    const notFound = isApiError(cadence.error) && cadence.error.status === 404;
    return (
      <EmptyState
        icon={notFound ? Workflow : CircleAlert}
        title={notFound ? 'Cadence not found' : 'Could not load the cadence'}
        action={notFound
          ? <Button asChild><Link to="/admin/cadences">All cadences</Link></Button>
          : <Button onClick={() => void cadence.refetch()}>Try again</Button>}
      >
        {notFound ? 'It may have been deleted.' : cadence.error.message}
      </EmptyState>
    );
  }
  if (!cadence.data) return <PendingPage />;
  return (
    <CadenceBuilder
      key={cadence.data.id}
      cadence={cadence.data}
      workingDays={org.data?.workingDays ?? [1, 2, 3, 4, 5]}
      previewLeadId={lead}
      onPreviewLeadChange={(id) => void navigate({ search: (s) => ({ ...s, lead: id }), replace: true })}
    />
  );
}
