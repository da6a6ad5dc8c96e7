import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { z } from 'zod';
import { TASK_DUE_BUCKETS, TASK_SORTS } from '@contract/enums.ts';
import { appRoute } from '@/app/app-route.tsx';

/**
 * The rep's queue. What a rep would bookmark or come back to lives in the URL's search
 * params, typed here: `/today?due=overdue&sort=due&focus=<taskId>`. A bad value falls
 * back instead of failing; the defaults (today, hot first) stay out of the URL.
 */
export const todaySearch = z.object({
  due: z.enum(TASK_DUE_BUCKETS).optional().catch(undefined),
  sort: z.enum(TASK_SORTS).optional().catch(undefined),
  /** The task open in focus mode. */
  focus: z.string().max(100).optional().catch(undefined),
  /** The "pause my cadences" dialog is open (Settings links here). */
  pause: z.boolean().optional().catch(undefined),
});
export type TodaySearch = z.infer<typeof todaySearch>;

export const todayRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'today',
  validateSearch: todaySearch,
  component: lazyRouteComponent(() => import('./today-page.tsx'), 'TodayPage'),
});
