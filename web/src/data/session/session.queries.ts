import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { setupStatus } from '@contract/sessions.ts';
import { user, type User } from '@contract/users.ts';
import { api } from '@/api/client.ts';
import { sessionKeys } from './session.keys.ts';

/**
 * Who is signed in. A 401 is an answer here (not signed in), so it does not redirect:
 * the app's layout route turns it into a visit to sign-in (src/app/routes.tsx).
 */
export const meQuery = queryOptions({
  queryKey: sessionKeys.me(),
  queryFn: ({ signal }) => api.get('/api/users/me', { schema: user, signal, redirectOn401: false }),
  staleTime: 5 * 60_000,
});

/** Whether the first admin still has to be created (`GET /api/setup`). */
export const setupQuery = queryOptions({
  queryKey: sessionKeys.setup(),
  queryFn: ({ signal }) => api.get('/api/setup', { schema: setupStatus, signal }),
  staleTime: 0,
});

/** The signed-in user, inside the app layout (its route loaded it before rendering). */
export function useMe(): User {
  return useSuspenseQuery(meQuery).data;
}
