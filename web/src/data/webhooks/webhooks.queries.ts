import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { webhookDeliveryList, webhookEndpoint, webhookList } from '@contract/webhooks.ts';
import { api } from '@/api/client.ts';
import { webhookKeys, type DeliveryFilter } from './webhooks.keys.ts';

const path = (id: string) => `/api/webhooks/${encodeURIComponent(id)}`;

/** `GET /api/webhooks` (admin): every endpoint with its pending and failed counts and last delivery. */
export const webhooksQuery = queryOptions({
  queryKey: webhookKeys.list(),
  queryFn: ({ signal }) => api.get('/api/webhooks', { schema: webhookList, signal }),
  select: (page) => page.items,
});
export const useWebhooks = () => useQuery(webhooksQuery);

/** `GET /api/webhooks/:id`. */
export const useWebhook = (id: string) => useQuery({
  queryKey: webhookKeys.endpoint(id),
  queryFn: ({ signal }) => api.get(path(id), { schema: webhookEndpoint, signal }),
});

/** `GET /api/webhooks/:id/deliveries?status=&event=&cursor=`: newest first, 50 a page. */
export const deliveriesQuery = (id: string, filter: DeliveryFilter) => infiniteQueryOptions({
  queryKey: webhookKeys.deliveries(id, filter),
  queryFn: ({ signal, pageParam }) => api.get(`${path(id)}/deliveries`, {
    schema: webhookDeliveryList, signal, query: { limit: 50, ...filter, ...(pageParam ? { cursor: pageParam } : {}) },
  }),
  initialPageParam: '',
  getNextPageParam: (page) => page.nextCursor,
});
export const useDeliveries = (id: string, filter: DeliveryFilter) => useInfiniteQuery(deliveriesQuery(id, filter));
