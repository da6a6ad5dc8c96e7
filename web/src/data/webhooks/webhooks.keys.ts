import type { WebhookDeliveryStatus, WebhookEvent } from '@contract/enums.ts';

/** What the delivery log shows: a status and an event, each optional. */
export interface DeliveryFilter {
  status?: WebhookDeliveryStatus;
  event?: WebhookEvent;
}

/** Query keys of the webhook endpoints and their delivery logs. */
export const webhookKeys = {
  all: ['webhooks'] as const,
  list: () => [...webhookKeys.all, 'list'] as const,
  endpoint: (id: string) => [...webhookKeys.all, 'endpoint', id] as const,
  deliveries: (id: string, filter: DeliveryFilter) => [...webhookKeys.all, 'deliveries', id, filter] as const,
};
