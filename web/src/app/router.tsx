import { createRoute, createRouter, redirect } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { adminIndexRoute, adminNotFoundRoute, adminRoute } from '@/features/admin/admin.routes.ts';
import { ADMIN_SETTINGS_ROUTES } from '@/features/admin-settings/admin-settings.routes.ts';
import { analyticsRoute } from '@/features/analytics/analytics.route.ts';
import { setupRoute, signInRoute, signOutRoute } from '@/features/auth/auth.routes.ts';
import { cadencesRoute } from '@/features/cadences/cadences.route.ts';
import { cadenceBuilderRoute } from '@/features/cadence-builder/cadence-builder.route.ts';
import { inviteRoute } from '@/features/invite/invite.route.ts';
import { leadRoute } from '@/features/lead/lead.route.ts';
import { leadImportRoute } from '@/features/lead-import/lead-import.route.ts';
import { leadsRoute } from '@/features/leads/leads.route.ts';
import { settingsRoute } from '@/features/settings/settings.route.ts';
import { todayRoute } from '@/features/today/today.route.ts';
import { appRoute } from './app-route.tsx';
import { rootRoute } from './root-route.tsx';
import { ErrorPage, NotFoundPage, PendingPage } from './status-pages.tsx';

/**
 * Every page of the app. Each feature defines its routes beside its page
 * (features/<x>/<x>.route.ts: path, typed search params, a lazily loaded page);
 * this file only hangs them in the tree.
 */
const indexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/today', replace: true });
  },
});

/** Any other address, signed in: "no page here" inside the app's frame, with its navigation. */
const notFoundRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '$',
  component: NotFoundPage,
});

export const routeTree = rootRoute.addChildren([
  setupRoute,
  signInRoute,
  signOutRoute,
  inviteRoute,
  appRoute.addChildren([
    indexRoute,
    todayRoute,
    leadsRoute,
    leadRoute,
    settingsRoute,
    adminRoute.addChildren([adminIndexRoute, leadImportRoute, cadencesRoute, cadenceBuilderRoute, analyticsRoute, ...ADMIN_SETTINGS_ROUTES, adminNotFoundRoute]),
    notFoundRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    // Route data comes from TanStack Query's cache, so the router caches none of its own.
    defaultPreloadStaleTime: 0,
    defaultPreload: 'intent',
    defaultPendingMs: 300,
    defaultPendingComponent: PendingPage,
    defaultErrorComponent: ErrorPage,
    defaultNotFoundComponent: NotFoundPage,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
