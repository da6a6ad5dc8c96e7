import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { TaskDueBucket, TaskSort } from '@contract/enums.ts';
import { manualEmailDraft } from '@contract/manual-email.ts';
import { taskList, type TaskItem } from '@contract/tasks.ts';
import { api } from '@/api/client.ts';
import { taskKeys } from './tasks.keys.ts';

/** Rows a page of the queue: a day's work in one request; more come with "Show more". */
export const QUEUE_PAGE = 100;

/**
 * `GET /api/tasks?status=open&ownerId=…&due=…&sort=…`, paged by offset. The owner is
 * named even for a rep (who sees only theirs anyway): an admin's Today is their own
 * queue, not everyone's.
 */
export const queueQuery = (ownerId: string, due: TaskDueBucket, sort: TaskSort) => infiniteQueryOptions({
  queryKey: taskKeys.queue(ownerId, due, sort),
  queryFn: ({ signal, pageParam }) =>
    api.get('/api/tasks', { query: { status: 'open', ownerId, due, sort, limit: QUEUE_PAGE, offset: pageParam }, schema: taskList, signal }),
  initialPageParam: 0,
  getNextPageParam: (last, pages) => (last.items.length < QUEUE_PAGE ? undefined : pages.length * QUEUE_PAGE),
});

export interface Queue {
  /** The rows loaded so far, in the queue's order. */
  items: TaskItem[];
  /** True while the first page loads. */
  isPending: boolean;
  isError: boolean;
  error: Error | null;
  /** More rows than loaded: the count shown is a lower bound. */
  hasMore: boolean;
  loadMore: () => void;
  isLoadingMore: boolean;
}

/** One tab of a user's queue (overdue, today, upcoming), in `sort` order. */
export function useQueue(ownerId: string, due: TaskDueBucket, sort: TaskSort): Queue {
  const query = useInfiniteQuery(queueQuery(ownerId, due, sort));
  // One task shows once even if the queue moved between two pages' reads.
  const seen = new Set<string>();
  const items = (query.data?.pages.flatMap((p) => p.items) ?? []).filter((t) => (seen.has(t.id) ? false : (seen.add(t.id), true)));
  return {
    items,
    isPending: query.isPending,
    isError: query.isError,
    error: query.error,
    hasMore: query.hasNextPage,
    loadMore: () => void query.fetchNextPage(),
    isLoadingMore: query.isFetchingNextPage,
  };
}

/**
 * `GET /api/tasks/:id/draft`: a manual email rendered for its lead. Read once per
 * task: a refetch must not replace what the rep is editing.
 */
export const draftQuery = (taskId: string) => queryOptions({
  queryKey: taskKeys.draft(taskId),
  queryFn: ({ signal }) => api.get(`/api/tasks/${encodeURIComponent(taskId)}/draft`, { schema: manualEmailDraft, signal }),
  staleTime: Infinity,
  refetchOnWindowFocus: false,
});
export const useDraft = (taskId: string) => useQuery(draftQuery(taskId));
