import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from '@/app/app-route.tsx';

/** One lead: fields, enrolments and timeline (`/leads/<id>`). */
export const leadRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'leads/$leadId',
  component: lazyRouteComponent(() => import('./lead-page.tsx'), 'LeadPage'),
});
