import { createRoute, redirect } from '@tanstack/react-router';
import { isApiError } from '@/api/api-error.ts';
import { meQuery } from '@/data/session/index.ts';
import { AppShell } from './app-shell.tsx';
import { rootRoute } from './root-route.tsx';

/**
 * Every signed-in page is a child of this route: it loads who is signed in (one
 * request, cached) and sends anyone else to sign-in, keeping the address they wanted.
 * Feature routes hang under it: `getParentRoute: () => appRoute`.
 */
export const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    try {
      const me = await context.queryClient.ensureQueryData(meQuery);
      return { me };
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        throw redirect({ to: '/sign-in', search: { redirect: location.href } });
      }
      throw error;
    }
  },
  component: AppShell,
});
