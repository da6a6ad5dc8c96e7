import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { z } from 'zod';
import { adminRoute } from '@/features/admin/admin.routes.ts';

/**
 * `/admin/cadences/<id>?lead=<id>`: the cadence builder; `lead` is the lead its preview
 * is rendered for, so a preview can be linked to. A bad value falls back to none.
 */
export const cadenceBuilderSearch = z.object({
  lead: z.string().max(100).optional().catch(undefined),
});
export type CadenceBuilderSearch = z.infer<typeof cadenceBuilderSearch>;

export const cadenceBuilderRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'cadences/$cadenceId',
  validateSearch: cadenceBuilderSearch,
  component: lazyRouteComponent(() => import('./builder-page.tsx'), 'CadenceBuilderPage'),
});
