import { createRoute, lazyRouteComponent, redirect } from '@tanstack/react-router';
import { z } from 'zod';
import { rootRoute } from '@/app/root-route.tsx';
import { setupQuery } from '@/data/session/index.ts';

/** Signed-out pages: first-admin setup, sign-in, sign-out. Their code loads on demand. */

export const setupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'setup',
  beforeLoad: async ({ context }) => {
    const { needed } = await context.queryClient.fetchQuery(setupQuery);
    if (!needed) throw redirect({ to: '/sign-in' });
  },
  component: lazyRouteComponent(() => import('./setup-page.tsx'), 'SetupPage'),
});

export const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'sign-in',
  // Where to go once signed in: the page that sent the visitor here (lib/safe-redirect.ts checks it).
  validateSearch: z.object({ redirect: z.string().optional().catch(undefined) }),
  beforeLoad: async ({ context }) => {
    const { needed } = await context.queryClient.fetchQuery(setupQuery);
    if (needed) throw redirect({ to: '/setup' });
  },
  component: lazyRouteComponent(() => import('./sign-in-page.tsx'), 'SignInPage'),
});

export const signOutRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'sign-out',
  component: lazyRouteComponent(() => import('./sign-out-page.tsx'), 'SignOutPage'),
});
