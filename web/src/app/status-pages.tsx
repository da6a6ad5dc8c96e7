import { Link, useRouter, type ErrorComponentProps } from '@tanstack/react-router';
import { useQueryErrorResetBoundary } from '@tanstack/react-query';
import { CircleAlert, Compass, ShieldAlert } from 'lucide-react';
import { useEffect } from 'react';
import { isApiError } from '@/api/api-error.ts';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { usePageTitle } from '@/lib/use-page-title.ts';

/** Shown while a route's code or data loads (after a short delay, see router.tsx). */
export function PendingPage() {
  return (
    <div className="grid flex-1 place-items-center py-24 text-zinc-500">
      <Spinner label="Loading page" />
    </div>
  );
}

export function NotFoundPage() {
  usePageTitle('Not found');
  return (
    <EmptyState icon={Compass} title="There is no page here" action={<Button asChild variant="secondary"><Link to="/today">Go to Today</Link></Button>}>
      The address may be mistyped, or the page has moved.
    </EmptyState>
  );
}

/** A rep on an admin page (routes under /admin). */
export function NeedsAdminPage() {
  usePageTitle('Admins only');
  return (
    <EmptyState icon={ShieldAlert} title="You need an admin account" action={<Button asChild variant="secondary"><Link to="/today">Back to Today</Link></Button>}>
      This part of Cadenza is for admins: users, mailboxes and workspace settings. Ask an admin of your workspace if you need a change here.
    </EmptyState>
  );
}

/** A route that failed to load: what went wrong, and a way to try again. */
export function ErrorPage({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  const queryReset = useQueryErrorResetBoundary();
  useEffect(() => queryReset.reset(), [queryReset]);
  usePageTitle('Error');
  const message = isApiError(error) ? error.message : 'Something went wrong while showing this page.';
  return (
    <EmptyState
      icon={CircleAlert}
      title={isApiError(error) && error.status === 404 ? 'Not found' : 'This page could not be shown'}
      action={<Button variant="secondary" onClick={() => { reset(); void router.invalidate(); }}>Try again</Button>}
    >
      {message}
    </EmptyState>
  );
}
