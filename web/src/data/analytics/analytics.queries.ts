import { infiniteQueryOptions, keepPreviousData, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { cadenceAnalytics, statsLeads, type StatsLeadsQuery, type StatsQuery } from '@contract/analytics.ts';
import { cadence } from '@contract/cadences.ts';
import { z } from 'zod';
import { user } from '@contract/users.ts';
import { api, withQuery } from '@/api/client.ts';
import { analyticsKeys } from './analytics.keys.ts';

const base = (id: string) => `/api/cadences/${encodeURIComponent(id)}`;

/** `GET /api/cadences/:id/stats?from&to&ownerId`: the funnel, exits, reps and days; the last answer stays while the next loads. */
export const cadenceAnalyticsQuery = (id: string, q: StatsQuery) => queryOptions({
  queryKey: analyticsKeys.stats(id, q),
  queryFn: ({ signal }) => api.get(`${base(id)}/stats`, { query: q, schema: cadenceAnalytics, signal }),
  placeholderData: keepPreviousData,
});
export const useCadenceAnalytics = (id: string, q: StatsQuery) => useQuery(cadenceAnalyticsQuery(id, q));

/** The cadence's name and steps (`GET /api/cadences/:id`), for the page's title. */
export const useCadenceName = (id: string) => useQuery({
  queryKey: analyticsKeys.name(id),
  queryFn: ({ signal }) => api.get(base(id), { schema: cadence.pick({ id: true, name: true, status: true }), signal }),
  staleTime: 60_000,
});

/** Only what the rep filter shows of each user. */
const repChoices = z.object({ items: z.array(user.pick({ id: true, name: true, deactivatedAt: true })) });

/** Every user (`GET /api/users`, an admin's), for the rep filter. */
export const useRepChoices = () => useQuery({
  queryKey: analyticsKeys.reps(),
  queryFn: ({ signal }) => api.get('/api/users', { schema: repChoices, signal }),
  staleTime: 5 * 60_000,
  // A deactivated rep's past work still counts: listed after the others, and said so.
  select: (list) => list.items
    .map((u) => ({ id: u.id, name: u.deactivatedAt ? `${u.name} (deactivated)` : u.name, active: !u.deactivatedAt }))
    .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name)),
});

/** `GET /api/cadences/:id/stats/leads`: the leads behind one number, 50 at a time. */
export const statsLeadsQuery = (id: string, q: Omit<StatsLeadsQuery, 'cursor' | 'limit'>) => infiniteQueryOptions({
  queryKey: analyticsKeys.leads(id, q),
  queryFn: ({ signal, pageParam }) =>
    api.get(`${base(id)}/stats/leads`, { query: { ...q, limit: 50, cursor: pageParam }, schema: statsLeads, signal }),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (page) => page.nextCursor,
});
export const useStatsLeads = (id: string, q: Omit<StatsLeadsQuery, 'cursor' | 'limit'> | null) =>
  useInfiniteQuery({ ...statsLeadsQuery(id, q ?? { metric: 'sent' }), enabled: q !== null });

/** Where the CSV of the same numbers downloads from (a link: the browser saves it with the session cookie). */
export const analyticsExportUrl = (id: string, q: StatsQuery) => withQuery(`${base(id)}/stats/export`, q);
