import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { adminRoute } from '@/features/admin/admin.routes.ts';

/** `/admin/leads/import`: pick a CSV file, check it (a dry run), then import it. Admins only. */
export const leadImportRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'leads/import',
  component: lazyRouteComponent(() => import('./lead-import-page.tsx'), 'LeadImportPage'),
});
