import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { rootRoute } from '@/app/root-route.tsx';

/** An invitation link (`/invite/<token>`): signed out, the invitee sets a password and is signed in. */
export const inviteRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'invite/$token',
  component: lazyRouteComponent(() => import('./invite-page.tsx'), 'InvitePage'),
});
