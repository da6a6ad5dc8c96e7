import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from '@/app/app-route.tsx';
import { NotFoundPage } from '@/app/status-pages.tsx';
import { AdminGate } from './admin-gate.tsx';

/**
 * Everything under /admin is for admins: a rep gets "You need an admin account"
 * (the API refuses them anyway; this is the page they see). Admin pages (issue 13)
 * hang under `adminRoute`.
 */
export const adminRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'admin',
  component: AdminGate,
});

export const adminIndexRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/',
  component: lazyRouteComponent(() => import('./admin-home-page.tsx'), 'AdminHomePage'),
});

/**
 * Any other /admin/... address: it still goes through `AdminGate`, so a rep sees
 * "You need an admin account" and an admin sees "no page here" inside the shell.
 */
export const adminNotFoundRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '$',
  component: NotFoundPage,
});
