import { z } from 'zod';
import { id, instant } from './common.ts';
import { INTEGRATION_PROVIDERS, WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENTS } from './enums.ts';

/** Outbound webhooks and booking integrations (API.md "Webhooks and integrations"). */

/** An endpoint's address: http(s), no credentials in it, at most 2,000 characters. */
export const webhookUrl = z
  .string()
  .max(2000, { message: 'a webhook URL is at most 2,000 characters' })
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '' && u.hostname !== '';
    } catch {
      return false;
    }
  }, { message: 'expected an http:// or https:// URL without user or password' });

export const webhookEvents = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1, { message: 'choose at least one event' })
  .max(WEBHOOK_EVENTS.length * 2);

/** `POST /api/webhooks` (admin). */
export const webhookInput = z.object({
  url: webhookUrl,
  events: webhookEvents,
  description: z.string().trim().max(200).optional(),
});
export type WebhookInput = z.infer<typeof webhookInput>;

/** `PATCH /api/webhooks/:id` (admin): change the address or the events, or enable again after a 410. */
export const webhookPatch = z
  .object({
    url: webhookUrl.optional(),
    events: webhookEvents.optional(),
    description: z.string().trim().max(200).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'give at least one of url, events, description, enabled' });
export type WebhookPatch = z.infer<typeof webhookPatch>;

/** An endpoint as the API answers it: its secret is shown once, when created or rotated. */
export const webhookEndpoint = z.object({
  id,
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  enabled: z.boolean(),
  /** Why it is disabled: `"answered 410 Gone"`, or `"disabled by an admin"`. */
  disabledReason: z.string().nullable(),
  disabledAt: instant.nullable(),
  /** During a rotation, until when the previous secret signs too. */
  previousSecretUntil: instant.nullable(),
  createdAt: instant,
  /** Deliveries waiting and given up, for the settings page. */
  pending: z.number().int(),
  failed: z.number().int(),
  lastDeliveryAt: instant.nullable(),
  lastStatusCode: z.number().int().nullable(),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpoint>;

export const webhookList = z.object({ items: z.array(webhookEndpoint) });

/** `201` of `POST /api/webhooks`, and the answer of `POST /api/webhooks/:id/rotate-secret`. */
export const webhookCreated = webhookEndpoint.extend({ secret: z.string().describe('whsec_…: shown only now') });
export type WebhookCreated = z.infer<typeof webhookCreated>;

/** `GET /api/webhooks/:id/deliveries?status=&limit=&cursor=`: newest first. */
export const deliveriesQuery = z.object({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  event: z.enum(WEBHOOK_EVENTS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

export const webhookDelivery = z.object({
  id,
  /** The `webhook-id` the receiver sees (the same on every attempt). */
  messageId: z.string(),
  event: z.enum(WEBHOOK_EVENTS),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().optional(),
  nextAttemptAt: instant.optional(),
  lastAttemptAt: instant.optional(),
  lastError: z.string().optional(),
  /** The start of the endpoint's last answer. */
  lastResponse: z.string().optional(),
  deliveredAt: instant.optional(),
  createdAt: instant,
  /** The event's body as delivered: `{type, timestamp, data}`. */
  payload: z.object({ type: z.string(), timestamp: instant, data: z.record(z.string(), z.unknown()) }),
});
export type WebhookDelivery = z.infer<typeof webhookDelivery>;

export const webhookDeliveryList = z.object({ items: z.array(webhookDelivery), nextCursor: z.string().nullable() });

export const deliveryParams = z.object({ id: z.string(), deliveryId: z.string() });

// ---- integrations ----

export const providerParams = z.object({ provider: z.enum(INTEGRATION_PROVIDERS) });

/** `PUT /api/integrations/:provider` (admin): the provider's signing secret. */
export const integrationInput = z.object({
  secret: z.string().min(8, { message: 'a signing secret has at least 8 characters' }).max(500),
});

/** `GET /api/integrations` (admin): which providers are set up; secrets are never returned. */
export const integration = z.object({
  provider: z.enum(INTEGRATION_PROVIDERS),
  configured: z.boolean(),
  /** The address to give the provider as its webhook URL. */
  webhookUrl: z.string(),
  updatedAt: instant.nullable(),
  lastReceivedAt: instant.nullable(),
  lastError: z.string().nullable(),
});
export const integrationList = z.object({ items: z.array(integration) });

/** What a provider's webhook call did: a booking by a known lead is a `meeting_booked` signal. */
export const bookingResult = z.object({
  /** `booking` (acted on), or `ignored` (another event, a cancellation…). */
  kind: z.enum(['booking', 'ignored']),
  matched: z.boolean(),
  /** The first lead the booking names (by an attendee's email); all of them in `recordIds`. */
  recordId: id.optional(),
  recordIds: z.array(id).optional(),
  exited: z.array(z.object({ id, reason: z.string() })).optional(),
  /** Leads this booking had already been counted for (a provider's retry, a replay): nothing new for them. */
  alreadyCounted: z.array(id).optional(),
});

// ---- webhook events (the outbox's messages; API.md "Webhooks and integrations") ----

/** What every event's data names: the lead, by id and address, and when it happened. */
const eventBase = { recordId: id, email: z.string(), at: instant };

const enrollmentEvent = z.object({
  ...eventBase,
  enrollmentId: id,
  cadenceId: id,
  status: z.enum(['pending', 'active', 'paused', 'completed', 'exited', 'failed']),
  /** Why it exited (`replied`, `bounced`, `unsubscribed`, `manual`…); null unless `enrollment.exited`. */
  exitReason: z.string().nullable(),
});

/** An email's event: its enrolment and step are null for a one-off email; `emailId` null for a reply matched to the lead only. */
const emailEvent = z.object({ ...eventBase, emailId: id.nullable(), enrollmentId: id.nullable(), stepId: id.nullable() });

const taskEvent = z.object({
  ...eventBase,
  taskId: id,
  enrollmentId: id.nullable(),
  stepId: id.nullable(),
  ownerId: id.nullable(),
  type: z.enum(['call', 'task', 'email']),
  title: z.string(),
  dueAt: instant,
});

/** Each event's `data`, by type. */
export const webhookEventData = {
  'enrollment.created': enrollmentEvent,
  'enrollment.exited': enrollmentEvent,
  'enrollment.completed': enrollmentEvent,
  /** `email` is the address it went To; `messageId` its Message-ID header. */
  'email.sent': emailEvent.extend({ emailId: id, cadenceId: id.nullable(), messageId: z.string(), subject: z.string() }),
  /** `machine`: a privacy proxy's or a scanner's fetch, not a person's. */
  'email.opened': emailEvent.extend({ machine: z.boolean() }),
  'email.clicked': emailEvent.extend({ machine: z.boolean(), url: z.string().nullable() }),
  'email.replied': emailEvent,
  /** A hard bounce (the address is refused); soft bounces are not events. */
  'email.bounced': emailEvent,
  'lead.unsubscribed': z.object(eventBase),
  'task.created': taskEvent,
  'task.completed': taskEvent.extend({ outcome: z.string().nullable() }),
} as const satisfies Record<(typeof WEBHOOK_EVENTS)[number], z.ZodType>;

const event = <T extends keyof typeof webhookEventData>(type: T) =>
  z.object({ type: z.literal(type), timestamp: instant, data: webhookEventData[type] });

/** The body of a delivery (Standard Webhooks): `{type, timestamp, data}`, `timestamp` the event's instant. */
export const webhookEventPayload = z.discriminatedUnion('type', [
  event('enrollment.created'), event('enrollment.exited'), event('enrollment.completed'),
  event('email.sent'), event('email.opened'), event('email.clicked'), event('email.replied'), event('email.bounced'),
  event('lead.unsubscribed'), event('task.created'), event('task.completed'),
]);
export type WebhookEventPayload = z.infer<typeof webhookEventPayload>;
