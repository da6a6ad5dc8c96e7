import { useMutation, useQueryClient } from '@tanstack/react-query';
import { sessionAnswer, type LoginInput, type PasswordChange, type SetupInput } from '@contract/sessions.ts';
import { api } from '@/api/client.ts';
import { sessionKeys } from './session.keys.ts';

/** `POST /api/session`: a wrong pair is a 401 the form shows (no redirect); 429 while throttled. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (input: LoginInput) => api.post('/api/session', input, { schema: sessionAnswer, redirectOn401: false }),
    onSuccess: ({ user }) => {
      queryClient.removeQueries({ queryKey: sessionKeys.all });
      queryClient.setQueryData(sessionKeys.me(), user);
    },
  });
}

/** `POST /api/setup`: the first admin, signed in; 409 once one exists. */
export function useSetupFirstAdmin() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (input: SetupInput) => api.post('/api/setup', input, { schema: sessionAnswer, redirectOn401: false }),
    onSuccess: ({ user }) => {
      queryClient.setQueryData(sessionKeys.setup(), { needed: false });
      queryClient.setQueryData(sessionKeys.me(), user);
    },
  });
}

/** `DELETE /api/session`; every cached answer belonged to the user, so all of it goes. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete('/api/session', { redirectOn401: false }),
    onSettled: () => queryClient.clear(),
  });
}

/** `PUT /api/users/me/password`: a wrong current password comes back at the `current` field. */
export function useChangePassword() {
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (input: PasswordChange) => api.put('/api/users/me/password', input),
  });
}
