import { getRouteApi } from '@tanstack/react-router';
import { CalendarCheck } from 'lucide-react';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { useMe } from '@/data/session/index.ts';
import { usePageTitle } from '@/lib/use-page-title.ts';

const route = getRouteApi('/app/today');

// Placeholder: the queue and focus mode are built here next (issue 12, item 4).
export function TodayPage() {
  usePageTitle('Today');
  const me = useMe();
  const { due } = route.useSearch();
  return (
    <>
      <PageHeader title="Today" description={`${me.name.split(' ')[0]}’s queue${due ? ` · ${due}` : ''}`} />
      <EmptyState icon={CalendarCheck} title="Your queue is on its way">
        Calls, emails and tasks due today will be listed here.
      </EmptyState>
    </>
  );
}
