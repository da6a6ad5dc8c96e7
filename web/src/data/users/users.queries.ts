import { queryOptions, useQuery } from '@tanstack/react-query';
import { invitationView } from '@contract/user-admin.ts';
import { userList } from '@contract/users.ts';
import { api } from '@/api/client.ts';
import { userKeys } from './users.keys.ts';

/** `GET /api/users` (admin): everyone, with how they sign in. */
export const usersQuery = queryOptions({
  queryKey: userKeys.list(),
  queryFn: ({ signal }) => api.get('/api/users', { schema: userList, signal }),
  select: (page) => page.items,
});
export const useUsers = () => useQuery(usersQuery);

/** `GET /api/invitations/:token` (signed out): who the link is for; a 404 means it cannot be used. */
export const useInvitation = (token: string) => useQuery({
  queryKey: userKeys.invitation(token),
  queryFn: ({ signal }) => api.get(`/api/invitations/${encodeURIComponent(token)}`, { schema: invitationView, signal, redirectOn401: false }),
  retry: false,
});
