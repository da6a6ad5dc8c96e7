import { useMutation, useQueryClient } from '@tanstack/react-query';
import { webhookCreated, webhookDelivery, webhookEndpoint, type WebhookInput, type WebhookPatch } from '@contract/webhooks.ts';
import { api } from '@/api/client.ts';
import { webhookKeys } from './webhooks.keys.ts';

const path = (id: string) => `/api/webhooks/${encodeURIComponent(id)}`;

/** Every change to an endpoint or a delivery shows in the list, the endpoint and its log. */
function useRefreshWebhooks() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: webhookKeys.all });
}

/** `POST /api/webhooks`: the answer carries the signing secret, once. Errors at the form's fields. */
export function useCreateWebhook() {
  const refresh = useRefreshWebhooks();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (input: WebhookInput) => api.post('/api/webhooks', input, { schema: webhookCreated }),
    onSuccess: refresh,
  });
}

/** `PATCH /api/webhooks/:id`: address, events, description, or `enabled`. */
export function useUpdateWebhook() {
  const refresh = useRefreshWebhooks();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: ({ id, patch }: { id: string; patch: WebhookPatch }) => api.patch(path(id), patch, { schema: webhookEndpoint }),
    onSuccess: refresh,
  });
}

/** `POST /api/webhooks/:id/rotate-secret`: a new secret (shown once); the old one signs too for 24 h. */
export function useRotateWebhookSecret() {
  const refresh = useRefreshWebhooks();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (id: string) => api.post(`${path(id)}/rotate-secret`, undefined, { schema: webhookCreated }),
    onSuccess: refresh,
  });
}

/** `DELETE /api/webhooks/:id`: its pending deliveries are dropped. */
export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (id: string) => api.delete(path(id)),
    onSuccess: (_answer, id) => {
      queryClient.removeQueries({ queryKey: webhookKeys.endpoint(id) });
      return queryClient.invalidateQueries({ queryKey: webhookKeys.list() });
    },
  });
}

/** `POST /api/webhooks/:id/deliveries/:deliveryId/retry`: pending again, due now. */
export function useRetryDelivery(endpointId: string) {
  const refresh = useRefreshWebhooks();
  return useMutation({
    mutationFn: (deliveryId: string) => api.post(`${path(endpointId)}/deliveries/${encodeURIComponent(deliveryId)}/retry`, undefined, { schema: webhookDelivery }),
    onSuccess: refresh,
  });
}
