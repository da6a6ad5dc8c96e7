import { useMutation, useQueryClient } from '@tanstack/react-query';
import { lead, type LeadInput, type LeadPatch } from '@contract/leads.ts';
import { api } from '@/api/client.ts';
import { leadKeys } from './leads.keys.ts';
import { timelineKeys } from '../timeline/timeline.keys.ts';
import { enrollmentKeys } from '../enrollments/enrollments.keys.ts';

/**
 * `PATCH /api/leads/:id` with the changed fields only. A field change is a signal (an
 * enrolment may exit on it), so the lead's enrolments and timeline are read again.
 * Errors are shown at the form's fields, not as a toast.
 */
export function useUpdateLead(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (patch: LeadPatch) => api.patch(`/api/leads/${encodeURIComponent(id)}`, patch, { schema: lead }),
    onSuccess: (updated) => {
      queryClient.setQueryData(leadKeys.detail(id), updated);
    },
    onSettled: () => Promise.all([
      queryClient.invalidateQueries({ queryKey: timelineKeys.lead(id) }),
      queryClient.invalidateQueries({ queryKey: enrollmentKeys.byRecord(id) }),
    ]),
  });
}

/** `POST /api/leads`; a duplicate email (409) and bad fields are shown at the form's fields. */
export function useCreateLead() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (input: LeadInput) => api.post('/api/leads', input, { schema: lead }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: leadKeys.lists() }),
  });
}

/** `DELETE /api/leads/:id`: erases the lead; the lists are read again and the lead's own reads dropped. */
export function useDeleteLead() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (id: string) => api.delete(`/api/leads/${encodeURIComponent(id)}`),
    onSuccess: (_, id) => {
      queryClient.removeQueries({ queryKey: leadKeys.detail(id) });
      return queryClient.invalidateQueries({ queryKey: leadKeys.lists() });
    },
  });
}
