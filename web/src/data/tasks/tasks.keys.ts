import type { TaskDueBucket, TaskSort } from '@contract/enums.ts';

/** Query keys of the rep's tasks; `taskKeys.all` covers the queue, its counts and drafts. */
export const taskKeys = {
  all: ['tasks'] as const,
  queues: () => [...taskKeys.all, 'queue'] as const,
  queue: (ownerId: string, due: TaskDueBucket, sort: TaskSort) => [...taskKeys.queues(), { ownerId, due, sort }] as const,
  draft: (taskId: string) => [...taskKeys.all, 'draft', taskId] as const,
};
