import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { z } from 'zod';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENTS } from '@contract/enums.ts';
import { adminRoute } from '@/features/admin/admin.routes.ts';

/** The admin's integrations (issue 15): outbound webhooks, their delivery logs, booking tools. */

export const adminWebhooksRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'webhooks',
  component: lazyRouteComponent(() => import('./webhooks-page.tsx'), 'WebhooksPage'),
});

/** One endpoint's delivery log; the filters and the opened row are in the address. */
export const deliveryLogSearch = z.object({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional().catch(undefined),
  event: z.enum(WEBHOOK_EVENTS).optional().catch(undefined),
  open: z.string().max(100).optional().catch(undefined),
});

export const adminWebhookRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'webhooks/$id',
  validateSearch: deliveryLogSearch,
  component: lazyRouteComponent(() => import('./delivery-log-page.tsx'), 'DeliveryLogPage'),
});

export const adminBookingsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'bookings',
  component: lazyRouteComponent(() => import('./bookings-page.tsx'), 'BookingsPage'),
});

export const INTEGRATIONS_ROUTES = [adminWebhooksRoute, adminWebhookRoute, adminBookingsRoute];
