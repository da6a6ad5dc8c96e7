import { queryOptions, useQuery } from '@tanstack/react-query';
import { timeOffList } from '@contract/users.ts';
import { api } from '@/api/client.ts';
import { timeOffKeys } from './time-off.keys.ts';

/** `GET /api/users/:id/time-off`: what is running or still to come, earliest first. */
export const timeOffQuery = (userId: string) => queryOptions({
  queryKey: timeOffKeys.ofUser(userId),
  queryFn: ({ signal }) => api.get(`/api/users/${encodeURIComponent(userId)}/time-off`, { schema: timeOffList, signal }),
  select: (list) => list.items,
});
export const useTimeOff = (userId: string) => useQuery(timeOffQuery(userId));
