import { useMutation, useQueryClient } from '@tanstack/react-query';
import { timeOff, type TimeOffInput } from '@contract/users.ts';
import { api } from '@/api/client.ts';
import { taskKeys } from '../tasks/tasks.keys.ts';
import { timeOffKeys } from './time-off.keys.ts';

/**
 * Time off pauses everything the user's cadences would do, and moves their queue (nothing
 * is due while away), so both are read again after a change.
 */
function useAfterTimeOff(userId: string) {
  const queryClient = useQueryClient();
  return () => Promise.all([
    queryClient.invalidateQueries({ queryKey: timeOffKeys.ofUser(userId) }),
    queryClient.invalidateQueries({ queryKey: taskKeys.queues() }),
  ]);
}

/** `POST /api/users/:id/time-off`; the form shows a bad range at its fields. */
export function useAddTimeOff(userId: string) {
  const after = useAfterTimeOff(userId);
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (input: TimeOffInput) => api.post(`/api/users/${encodeURIComponent(userId)}/time-off`, input, { schema: timeOff }),
    onSuccess: after,
  });
}

/** `DELETE /api/users/:id/time-off/:timeOffId`: back early; what it paused runs again now. */
export function useEndTimeOff(userId: string) {
  const after = useAfterTimeOff(userId);
  return useMutation({
    mutationFn: (timeOffId: string) => api.delete(`/api/users/${encodeURIComponent(userId)}/time-off/${encodeURIComponent(timeOffId)}`),
    onSuccess: after,
  });
}
