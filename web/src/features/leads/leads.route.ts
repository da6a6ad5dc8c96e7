import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from '@/app/app-route.tsx';

/** The list of leads (issue 13); for now a page that says so and where leads are found. */
export const leadsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'leads',
  component: lazyRouteComponent(() => import('./leads-page.tsx'), 'LeadsPage'),
});
