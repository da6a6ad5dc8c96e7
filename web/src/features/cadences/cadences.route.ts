import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { z } from 'zod';
import { CADENCE_STATUSES } from '@contract/enums.ts';
import { adminRoute } from '@/features/admin/admin.routes.ts';

/**
 * The admin's cadences: `/admin/cadences?status=active`. No status shows every cadence
 * but the archived ones; a bad value falls back to that rather than failing.
 */
export const cadencesSearch = z.object({
  status: z.enum(CADENCE_STATUSES).optional().catch(undefined),
  /** The "Enrol leads" dialog is open for this cadence. */
  enrol: z.string().max(100).optional().catch(undefined),
});
export type CadencesSearch = z.infer<typeof cadencesSearch>;

export const cadencesRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'cadences',
  validateSearch: cadencesSearch,
  component: lazyRouteComponent(() => import('./cadences-page.tsx'), 'CadencesPage'),
});
