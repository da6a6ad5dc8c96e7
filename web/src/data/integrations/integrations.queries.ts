import { queryOptions, useQuery } from '@tanstack/react-query';
import { integrationList } from '@contract/webhooks.ts';
import { api } from '@/api/client.ts';
import { integrationKeys } from './integrations.keys.ts';

/** `GET /api/integrations` (admin): each provider, whether it has a secret, and the address to give it. */
export const integrationsQuery = queryOptions({
  queryKey: integrationKeys.list(),
  queryFn: ({ signal }) => api.get('/api/integrations', { schema: integrationList, signal }),
  select: (page) => page.items,
});
export const useIntegrations = () => useQuery(integrationsQuery);
