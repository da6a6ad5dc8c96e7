import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { z } from 'zod';
import { adminRoute } from '@/features/admin/admin.routes.ts';
import { INTEGRATIONS_ROUTES } from '@/features/integrations/integrations.routes.ts';

/** The admin's settings: users, mailboxes, the organisation and the dev outbox (issue 13). */

export const adminUsersRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'users',
  validateSearch: z.object({ show: z.enum(['active', 'all']).optional().catch(undefined) }),
  component: lazyRouteComponent(() => import('./users-page.tsx'), 'UsersPage'),
});

export const adminMailboxesRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'mailboxes',
  component: lazyRouteComponent(() => import('./mailboxes-page.tsx'), 'MailboxesPage'),
});

export const adminOrganizationRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'organization',
  component: lazyRouteComponent(() => import('./organization-page.tsx'), 'OrganizationPage'),
});

export const adminOutboxRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'outbox',
  validateSearch: z.object({
    q: z.string().max(200).optional().catch(undefined),
    open: z.string().max(100).optional().catch(undefined),
  }),
  component: lazyRouteComponent(() => import('./outbox-page.tsx'), 'OutboxPage'),
});

export const ADMIN_SETTINGS_ROUTES = [adminUsersRoute, adminMailboxesRoute, adminOrganizationRoute, adminOutboxRoute, ...INTEGRATIONS_ROUTES];
