import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { z } from 'zod';
import { appRoute } from '@/app/app-route.tsx';
import { TIMELINE_FILTER_KEYS } from './timeline-kinds.ts';

export const LEAD_TABS = ['overview', 'timeline'] as const;
export type LeadTab = (typeof LEAD_TABS)[number];

const filterWord = `(?:${TIMELINE_FILTER_KEYS.join('|')})`;

/**
 * `/leads/<id>?tab=timeline&show=opens,clicks&enrollment=<id>`: the tab, the timeline's
 * filter chips and the selected enrolment (what `p` pauses) live in the URL. A bad value
 * falls back instead of failing.
 */
export const leadSearch = z.object({
  tab: z.enum(LEAD_TABS).optional().catch(undefined),
  /** Timeline filter chips, comma-separated (`opens,clicks`); none: everything. */
  show: z.string().regex(new RegExp(`^${filterWord}(?:,${filterWord})*$`)).optional().catch(undefined),
  enrollment: z.string().max(100).optional().catch(undefined),
});
export type LeadSearch = z.infer<typeof leadSearch>;

/** One lead: fields, enrolments and timeline (`/leads/<id>`). */
export const leadRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'leads/$leadId',
  validateSearch: leadSearch,
  component: lazyRouteComponent(() => import('./lead-page.tsx'), 'LeadPage'),
});
