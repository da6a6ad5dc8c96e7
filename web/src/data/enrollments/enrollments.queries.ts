import { queryOptions, useQueries, useQuery } from '@tanstack/react-query';
import { cadenceWithVersions } from '@contract/cadences.ts';
import { emailList } from '@contract/emails.ts';
import { enrollmentList, type Enrollment } from '@contract/enrollments.ts';
import type { StepType } from '@contract/enums.ts';
import { taskList } from '@contract/tasks.ts';
import { api } from '@/api/client.ts';
import { cadenceKey, enrollmentKeys } from './enrollments.keys.ts';

/** `GET /api/enrollments?recordId=`: every run of this lead through a cadence, ended ones included. */
export const leadEnrollmentsQuery = (recordId: string) => queryOptions({
  queryKey: enrollmentKeys.byRecord(recordId),
  queryFn: ({ signal }) => api.get('/api/enrollments', { query: { recordId, limit: 1000 }, schema: enrollmentList, signal }),
});

/** `GET /api/cadences/:id` (any signed-in user may read one). Names and steps change rarely. */
export const cadenceQuery = (id: string) => queryOptions({
  queryKey: cadenceKey(id),
  queryFn: ({ signal }) => api.get(`/api/cadences/${encodeURIComponent(id)}`, { schema: cadenceWithVersions, signal }),
  staleTime: 5 * 60_000,
});

/** An enrolment with what a person needs beside it: the cadence's name and where in it the lead is. */
export interface EnrollmentView extends Enrollment {
  /** Null while the cadence is loading (or could not be read). */
  cadenceName: string | null;
  stepCount: number | null;
  /** 0-based index of the step that runs next, when there is one. */
  nextStepIndex: number | null;
  nextStepType: StepType | null;
}

export const isLive = (e: Pick<Enrollment, 'status'>) => e.status === 'active' || e.status === 'paused' || e.status === 'pending';

/**
 * The lead's enrolments with their cadences' names and step counts (one read per distinct
 * cadence, cached across leads); running ones first, then the most recently ended.
 */
export function useLeadEnrollments(recordId: string) {
  const list = useQuery(leadEnrollmentsQuery(recordId));
  const ids = [...new Set((list.data?.items ?? []).map((e) => e.cadenceId))];
  const cadences = useQueries({ queries: ids.map((id) => cadenceQuery(id)) });
  const byId = new Map(cadences.flatMap((c) => (c.data ? [[c.data.id, c.data] as const] : [])));
  const items: EnrollmentView[] = (list.data?.items ?? []).map((e) => {
    const cadence = byId.get(e.cadenceId);
    const index = cadence && e.nextStepId ? cadence.steps.findIndex((s) => s.id === e.nextStepId) : -1;
    return {
      ...e,
      cadenceName: cadence?.name ?? null,
      stepCount: cadence?.steps.length ?? null,
      nextStepIndex: index >= 0 ? index : null,
      nextStepType: index >= 0 ? cadence!.steps[index]!.type : null,
    };
  });
  items.sort((a, b) => Number(isLive(b)) - Number(isLive(a)) || (b.endedAt ?? b.enrolledAt).localeCompare(a.endedAt ?? a.enrolledAt));
  return { ...list, items };
}

/**
 * What exiting an enrolment would stop: its open tasks and its queued emails. Read only
 * while the exit dialog asks, so the rep sees the numbers before confirming.
 */
export function useEnrollmentOpenWork(enrollmentId: string, enabled: boolean) {
  return useQuery({
    queryKey: enrollmentKeys.openWork(enrollmentId),
    enabled,
    staleTime: 0,
    queryFn: async ({ signal }) => {
      const [tasks, emails] = await Promise.all([
        api.get('/api/tasks', { query: { enrollmentId, status: 'open', limit: 1000 }, schema: taskList, signal }),
        api.get('/api/emails', { query: { enrollmentId, status: 'queued', limit: 1000 }, schema: emailList, signal }),
      ]);
      return { openTasks: tasks.items.length, queuedEmails: emails.items.length };
    },
  });
}
