import { useMutation, useQueryClient } from '@tanstack/react-query';
import { testEmailResult, type TestEmailInput } from '@contract/mailbox-health.ts';
import { mailbox, type MailboxInput } from '@contract/users.ts';
import { api } from '@/api/client.ts';
import { mailboxKeys } from './mailboxes.keys.ts';

/** `PUT /api/users/:id/mailbox`: errors at the form's fields. */
export function useSaveMailbox(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (input: MailboxInput) => api.put(`/api/users/${encodeURIComponent(userId)}/mailbox`, input, { schema: mailbox }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mailboxKeys.all }),
  });
}

/** `POST /api/users/:id/mailbox/test`: the answer says what the SMTP server said (a failure is an answer, not an error). */
export function useSendTestEmail(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (input: TestEmailInput) => api.post(`/api/users/${encodeURIComponent(userId)}/mailbox/test`, input, { schema: testEmailResult }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: mailboxKeys.all }),
  });
}
