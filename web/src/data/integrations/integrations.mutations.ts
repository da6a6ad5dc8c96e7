import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { IntegrationProvider } from '@contract/enums.ts';
import { integration } from '@contract/webhooks.ts';
import { api } from '@/api/client.ts';
import { integrationKeys } from './integrations.keys.ts';

const path = (provider: IntegrationProvider) => `/api/integrations/${provider}`;

/** `PUT /api/integrations/:provider`: the provider's signing secret (write-only: never read back). */
export function useSaveIntegration() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: ({ provider, secret }: { provider: IntegrationProvider; secret: string }) => api.put(path(provider), { secret }, { schema: integration }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: integrationKeys.all }),
  });
}

/** `DELETE /api/integrations/:provider`: forget the secret; the provider's calls are refused (401) from now on. */
export function useDisconnectIntegration() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (provider: IntegrationProvider) => api.delete(path(provider)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: integrationKeys.all }),
  });
}
