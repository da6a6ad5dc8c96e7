import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { cadenceList, preflightResult, type EnrollBody } from '@contract/cadences.ts';
import { api } from '@/api/client.ts';
import { cadenceKeys } from './cadences.keys.ts';

/** `GET /api/cadences`: every cadence with its enrolments per state and its reply and meeting rates. */
export const cadencesQuery = queryOptions({
  queryKey: cadenceKeys.list(),
  queryFn: ({ signal }) => api.get('/api/cadences', { schema: cadenceList, signal }),
});
export const useCadences = () => useQuery(cadencesQuery);

/**
 * `POST /api/cadences/:id/enrollments/preflight`: who enrolling these leads would start
 * now, hold back or refuse, and why. It writes nothing, so it is a read: asked again
 * when the cadence or the leads change, never cached for long (the answer changes as
 * leads unsubscribe and the throttle fills).
 */
export function usePreflight(cadenceId: string | undefined, target: EnrollBody | undefined) {
  return useQuery({
    queryKey: cadenceKeys.preflight(cadenceId ?? '', target),
    queryFn: ({ signal }) => api.post(`/api/cadences/${encodeURIComponent(cadenceId!)}/enrollments/preflight`, target, { schema: preflightResult, signal }),
    enabled: Boolean(cadenceId && target),
    staleTime: 0,
    gcTime: 60_000,
    placeholderData: keepPreviousData,
  });
}
