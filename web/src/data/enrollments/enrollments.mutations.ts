import { useMutation, useQueryClient } from '@tanstack/react-query';
import { enrollment, enrollmentList, type Enrollment } from '@contract/enrollments.ts';
import type { z } from 'zod';
import { api } from '@/api/client.ts';
import { toast } from '@/components/ui/toast.tsx';
import { timelineKeys } from '../timeline/timeline.keys.ts';
import { enrollmentKeys } from './enrollments.keys.ts';

export type EnrollmentAction = 'pause' | 'resume' | 'exit';

const SHOWN_AS: Record<EnrollmentAction, Enrollment['status']> = { pause: 'paused', resume: 'active', exit: 'exited' };
const DONE: Record<EnrollmentAction, string> = { pause: 'Enrolment paused', resume: 'Enrolment resumed', exit: 'Enrolment exited' };

type List = z.infer<typeof enrollmentList>;

/**
 * `POST /api/enrollments/:id/pause|resume|exit`. The row shows the new state at once;
 * on failure it goes back (with a toast saying why), and in every case the lead's
 * enrolments, timeline and tasks are read again, so what stays on screen is the server's.
 */
export function useEnrollmentAction(recordId: string) {
  const queryClient = useQueryClient();
  const key = enrollmentKeys.byRecord(recordId);
  return useMutation({
    // Its own toast below names what failed ("Could not pause the enrolment").
    meta: { quietErrors: true },
    mutationFn: ({ id, action }: { id: string; action: EnrollmentAction }) =>
      api.post(`/api/enrollments/${encodeURIComponent(id)}/${action}`, undefined, { schema: enrollment }),
    onMutate: async ({ id, action }) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<List>(key);
      queryClient.setQueryData<List>(key, (list) => list && {
        items: list.items.map((e) => (e.id === id ? { ...e, status: SHOWN_AS[action], ...(action === 'exit' ? { exitReason: 'manual' as const, endedAt: new Date().toISOString() } : {}) } : e)),
      });
      return { before };
    },
    onError: (error, { action }, context) => {
      if (context?.before) queryClient.setQueryData(key, context.before);
      toast({ title: `Could not ${action} the enrolment`, description: error.message, tone: 'error' });
    },
    onSuccess: (_answer, { action }) => toast({ title: DONE[action] }),
    onSettled: (_answer, _error, { id }) => Promise.all([
      queryClient.invalidateQueries({ queryKey: key }),
      queryClient.invalidateQueries({ queryKey: timelineKeys.lead(recordId) }),
      queryClient.invalidateQueries({ queryKey: enrollmentKeys.openWork(id) }),
      queryClient.invalidateQueries({ queryKey: ['tasks'] }),
    ]),
  });
}

