import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { z } from 'zod';
import { isCalendarDate } from '@contract/analytics.ts';
import { adminRoute } from '@/features/admin/admin.routes.ts';
import { RANGE_PRESETS } from './analytics-range.ts';

const date = z.string().refine(isCalendarDate).optional().catch(undefined);

/**
 * `/admin/cadences/<id>/analytics?range=30d&rep=<id>&leads=replied&step=<id>&day=2026-03-02`:
 * a cadence's analytics. `range` a preset or `custom` with `from` and `to`; `leads` (a
 * metric, with its `step` or `day`) opens the list of the leads behind that number.
 * A bad value falls back to the default rather than failing.
 */
export const analyticsSearch = z.object({
  range: z.enum([...RANGE_PRESETS, 'custom']).optional().catch(undefined),
  from: date,
  to: date,
  rep: z.string().uuid().optional().catch(undefined),
  leads: z.string().max(40).optional().catch(undefined),
  step: z.string().max(64).optional().catch(undefined),
  day: date,
  /** The leads list's rep (a row of the by-rep table). */
  owner: z.string().uuid().optional().catch(undefined),
});
export type AnalyticsSearch = z.infer<typeof analyticsSearch>;

export const analyticsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'cadences/$cadenceId/analytics',
  validateSearch: analyticsSearch,
  component: lazyRouteComponent(() => import('./analytics-page.tsx'), 'AnalyticsPage'),
});
