import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { outboxList } from '@contract/ops.ts';
import { api } from '@/api/client.ts';

export const outboxKeys = {
  all: ['outbox'] as const,
  list: (q: string) => [...outboxKeys.all, 'list', q] as const,
};

/** `GET /api/dev/outbox?q=&cursor=`: newest first, 20 a page. */
export const outboxQuery = (q: string) => infiniteQueryOptions({
  queryKey: outboxKeys.list(q),
  queryFn: ({ signal, pageParam }) => api.get('/api/dev/outbox', {
    schema: outboxList, signal, query: { limit: 20, ...(q ? { q } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
  }),
  initialPageParam: '',
  getNextPageParam: (page) => page.nextCursor,
});
export const useOutbox = (q: string) => useInfiniteQuery(outboxQuery(q));
