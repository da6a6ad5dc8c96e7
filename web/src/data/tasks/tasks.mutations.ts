import { useMutation, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import type { CallOutcome } from '@contract/enums.ts';
import { sentManualEmail, type SendManualEmailInput } from '@contract/manual-email.ts';
import { taskBulkResult, type TaskBulkInput } from '@contract/task-bulk.ts';
import { task, type TaskItem } from '@contract/tasks.ts';
import { api } from '@/api/client.ts';
import { enrollmentKeys } from '../enrollments/enrollments.keys.ts';
import { timelineKeys } from '../timeline/timeline.keys.ts';
import { taskKeys } from './tasks.keys.ts';

/**
 * What the rep does to tasks. Each one that closes or moves a task takes it out of the
 * cached queues at once (the next task shows without waiting), then reads the queues
 * again; the lead's timeline and enrolments changed too.
 */

type QueuePages = InfiniteData<{ items: TaskItem[] }, number>;

function dropFromQueues(queryClient: QueryClient, ids: ReadonlySet<string>) {
  queryClient.setQueriesData<QueuePages>({ queryKey: taskKeys.queues() }, (data) =>
    data && { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.filter((t) => !ids.has(t.id)) })) });
}

function afterChange(queryClient: QueryClient, ids: string[], recordIds: string[] = []) {
  dropFromQueues(queryClient, new Set(ids));
  for (const id of ids) queryClient.removeQueries({ queryKey: taskKeys.draft(id) });
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: taskKeys.queues() }),
    ...recordIds.flatMap((r) => [
      queryClient.invalidateQueries({ queryKey: timelineKeys.lead(r) }),
      queryClient.invalidateQueries({ queryKey: enrollmentKeys.byRecord(r) }),
    ]),
  ]);
}

const path = (id: string, action: string) => `/api/tasks/${encodeURIComponent(id)}/${action}`;

interface TaskRef {
  id: string;
  /** The task's lead, whose timeline changes. */
  recordId: string;
}

/** `POST /api/tasks/:id/complete`: a call with its outcome, a to-do done; a note with either. */
export function useCompleteTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, outcome, note }: TaskRef & { outcome?: CallOutcome; note?: string }) =>
      api.post(path(id, 'complete'), { outcome, note: note || undefined }, { schema: task }),
    onSuccess: (_done, { id, recordId }) => afterChange(queryClient, [id], [recordId]),
  });
}

/** `POST /api/tasks/:id/skip`: closed as skipped; the enrolment goes on. */
export function useSkipTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, note }: TaskRef & { note?: string }) => api.post(path(id, 'skip'), { note: note || undefined }, { schema: task }),
    onSuccess: (_done, { id, recordId }) => afterChange(queryClient, [id], [recordId]),
  });
}

/** `POST /api/tasks/:id/snooze`: due again at `until` (it leaves this tab when that is another day). */
export function useSnoozeTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, until }: TaskRef & { until: string }) => api.post(path(id, 'snooze'), { until }, { schema: task }),
    onSuccess: (_done, { id }) => afterChange(queryClient, [id]),
  });
}

/**
 * `POST /api/tasks/:id/send`: the manual email, with the rep's edits, from the task
 * owner's mailbox; completes the task. Errors (422: merge fields without a value) are
 * shown in the form.
 */
export function useSendManualEmail() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: ({ id, subject, body }: TaskRef & NonNullable<SendManualEmailInput>) =>
      api.post(path(id, 'send'), { subject, body }, { schema: sentManualEmail }),
    onSuccess: (_sent, { id, recordId }) => afterChange(queryClient, [id], [recordId]),
  });
}

/** `POST /api/tasks/bulk`: skip or snooze many; each id that cannot be changed fails alone, with why. */
export function useBulkTasks() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TaskBulkInput) => api.post('/api/tasks/bulk', input, { schema: taskBulkResult }),
    onSuccess: (result) => afterChange(queryClient, result.updated),
  });
}
