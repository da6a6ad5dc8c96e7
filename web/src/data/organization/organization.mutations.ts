import { useMutation, useQueryClient } from '@tanstack/react-query';
import { holidayList, organization, type OrganizationPatch } from '@contract/organization.ts';
import { api } from '@/api/client.ts';
import { organizationKey } from '../leads/leads.keys.ts';

/** `PATCH /api/organization`: errors at the form's fields; the answer replaces the cached settings. */
export function useUpdateOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (patch: OrganizationPatch) => api.patch('/api/organization', patch, { schema: organization }),
    onSuccess: (saved) => queryClient.setQueryData(organizationKey, saved),
  });
}

/** `POST /api/holidays` and `DELETE /api/holidays/:date`: the cached settings are read again. */
export function useAddHolidays() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (dates: string[]) => api.post('/api/holidays', { dates }, { schema: holidayList }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: organizationKey }),
  });
}

export function useRemoveHoliday() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (date: string) => api.delete(`/api/holidays/${encodeURIComponent(date)}`, { schema: holidayList }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: organizationKey }),
  });
}
