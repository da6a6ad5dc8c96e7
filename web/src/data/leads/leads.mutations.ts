import { useMutation, useQueryClient } from '@tanstack/react-query';
import { lead, type LeadPatch } from '@contract/leads.ts';
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
