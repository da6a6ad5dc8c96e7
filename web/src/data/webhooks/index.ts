export { webhookKeys, type DeliveryFilter } from './webhooks.keys.ts';
export { deliveriesQuery, useDeliveries, useWebhook, useWebhooks, webhooksQuery } from './webhooks.queries.ts';
export { useCreateWebhook, useDeleteWebhook, useRetryDelivery, useRotateWebhookSecret, useUpdateWebhook } from './webhooks.mutations.ts';
