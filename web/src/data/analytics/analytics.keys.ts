import type { StatsLeadsQuery, StatsQuery } from '@contract/analytics.ts';

/** Query keys of a cadence's analytics: its stats per range and rep, and the leads behind a number. */
export const analyticsKeys = {
  all: ['analytics'] as const,
  cadence: (id: string) => [...analyticsKeys.all, id] as const,
  stats: (id: string, q: StatsQuery) => [...analyticsKeys.cadence(id), 'stats', q] as const,
  leads: (id: string, q: Omit<StatsLeadsQuery, 'cursor' | 'limit'>) => [...analyticsKeys.cadence(id), 'leads', q] as const,
  name: (id: string) => [...analyticsKeys.cadence(id), 'name'] as const,
  reps: () => [...analyticsKeys.all, 'reps'] as const,
};
