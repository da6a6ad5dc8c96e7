import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { z } from 'zod';
import { appRoute } from '@/app/app-route.tsx';

const text = (max: number) => z.string().trim().max(max).optional().transform((s) => s || undefined).catch(undefined);
const uuid = z.uuid().optional().catch(undefined);

/**
 * The leads list: `/leads?q=acme&leadStatus=New&ownerId=…&cadenceId=…`. Search and
 * filters live in the URL (a list one can bookmark or send); a bad value falls back to
 * none. An admin sees every lead, a rep its own. (`leadStatus`, not `status`: the
 * cadences page's `status` is an enum, and search params share one namespace in types.)
 */
export const leadsSearch = z.object({
  q: text(200),
  leadStatus: text(100),
  ownerId: uuid,
  cadenceId: uuid,
  /** The "New lead" dialog is open. */
  new: z.boolean().optional().catch(undefined),
});
export type LeadsSearch = z.infer<typeof leadsSearch>;

export const leadsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'leads',
  validateSearch: leadsSearch,
  component: lazyRouteComponent(() => import('./leads-page.tsx'), 'LeadsPage'),
});
