import { useMutation, useQueryClient } from '@tanstack/react-query';
import { deactivated, type AcceptInvitation, type DeactivateInput } from '@contract/user-admin.ts';
import { sessionAnswer } from '@contract/sessions.ts';
import { createdUser, invitationLink, user, type UserInput, type UserPatch } from '@contract/users.ts';
import { api } from '@/api/client.ts';
import { sessionKeys } from '../session/session.keys.ts';
import { mailboxKeys } from '../mailboxes/mailboxes.keys.ts';
import { userKeys } from './users.keys.ts';

/** Every change to users is shown in the list and the mailboxes' page. */
function useRefreshUsers() {
  const queryClient = useQueryClient();
  return () => Promise.all([
    queryClient.invalidateQueries({ queryKey: userKeys.all }),
    queryClient.invalidateQueries({ queryKey: mailboxKeys.all }),
  ]);
}

/** `POST /api/users`: with a password or `invite: true` (the answer then carries the link, once). */
export function useCreateUser() {
  const refresh = useRefreshUsers();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (input: UserInput) => api.post('/api/users', input, { schema: createdUser }),
    onSuccess: refresh,
  });
}

/** `POST /api/users/:id/invitation`: a new link (the earlier one stops working). */
export function useReinvite() {
  const refresh = useRefreshUsers();
  return useMutation({
    mutationFn: (id: string) => api.post(`/api/users/${encodeURIComponent(id)}/invitation`, undefined, { schema: invitationLink }),
    onSuccess: refresh,
  });
}

/** `PATCH /api/users/:id`: role (and name, zone). */
export function useUpdateUser() {
  const refresh = useRefreshUsers();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: UserPatch }) => api.patch(`/api/users/${encodeURIComponent(id)}`, patch, { schema: user }),
    onSuccess: refresh,
  });
}

export function useDeactivateUser() {
  const refresh = useRefreshUsers();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: ({ id, input }: { id: string; input: DeactivateInput }) =>
      api.post(`/api/users/${encodeURIComponent(id)}/deactivate`, input, { schema: deactivated }),
    onSuccess: refresh,
  });
}

export function useReactivateUser() {
  const refresh = useRefreshUsers();
  return useMutation({
    mutationFn: (id: string) => api.post(`/api/users/${encodeURIComponent(id)}/reactivate`, undefined, { schema: user }),
    onSuccess: refresh,
  });
}

/** `POST /api/invitations/:token`: sets the password and signs the browser in. */
export function useAcceptInvitation(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (input: AcceptInvitation) =>
      api.post(`/api/invitations/${encodeURIComponent(token)}`, input, { schema: sessionAnswer, redirectOn401: false }),
    onSuccess: ({ user: me }) => {
      queryClient.removeQueries({ queryKey: sessionKeys.all });
      queryClient.setQueryData(sessionKeys.me(), me);
    },
  });
}
