import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { z } from 'zod';
import { TASK_DUE_BUCKETS } from '@contract/enums.ts';
import { appRoute } from '@/app/app-route.tsx';

/**
 * The rep's queue. What a rep would bookmark lives in the URL's search params, typed
 * here: `/today?due=overdue&task=<id>`. A bad value falls back instead of failing.
 */
export const todaySearch = z.object({
  due: z.enum(TASK_DUE_BUCKETS).optional().catch(undefined),
  /** The task open in focus mode. */
  task: z.string().optional().catch(undefined),
});

export const todayRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'today',
  validateSearch: todaySearch,
  component: lazyRouteComponent(() => import('./today-page.tsx'), 'TodayPage'),
});
