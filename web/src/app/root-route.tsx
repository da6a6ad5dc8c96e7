import { createRootRouteWithContext, Outlet } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { NotFoundPage } from './status-pages.tsx';

export interface RouterContext {
  queryClient: QueryClient;
}

/** The root: every page, signed in or not. Providers are in main.tsx. */
export const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});
