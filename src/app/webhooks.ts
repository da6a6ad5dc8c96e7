import { randomBytes } from 'node:crypto';
import { webhookSecret } from '../webhooks/standard-webhooks.ts';
import type { WebhookCreated, WebhookDelivery, WebhookEndpoint, WebhookInput, WebhookPatch } from '../contract/webhooks.ts';
import type { WebhookEvent, WebhookDeliveryStatus } from '../contract/enums.ts';
import {
  deleteEndpoint, disableEndpoint, findDelivery, findEndpoint, insertEndpoint, listDeliveries, listEndpoints, rotateEndpointSecret,
  updateEndpoint, type DeliveryRow, type EndpointRow,
} from '../store/webhook-endpoint.repository.ts';
import { retryDelivery } from '../store/webhook-delivery.repository.ts';
import { assertAdmin, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { invalid, invalidState, notFound } from './errors.ts';

/** Outbound webhooks (Standard Webhooks 1.0): admins register endpoints, read their delivery logs, retry. */

/** How long a replaced secret keeps signing after a rotation, so receivers can switch without losing events. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

/** `whsec_` and the base64 of 32 random bytes: the HMAC key is the decoded part (Standard Webhooks). */
export function newWebhookSecret(): string {
  return webhookSecret(randomBytes(32));
}

export const DISABLED_BY_ADMIN = 'disabled by an admin';

function toEndpoint(r: EndpointRow): WebhookEndpoint {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: r.events as WebhookEvent[],
    enabled: r.disabled_at === null,
    disabledReason: r.disabled_reason,
    disabledAt: r.disabled_at?.toISOString() ?? null,
    previousSecretUntil: r.previous_secret_until?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    pending: r.pending,
    failed: r.failed,
    lastDeliveryAt: r.last_attempt_at?.toISOString() ?? null,
    lastStatusCode: r.last_status_code,
  };
}

const unique = <T>(xs: T[]) => [...new Set(xs)];

async function mustFind(ctx: AppContext, id: string): Promise<EndpointRow> {
  const row = await findEndpoint(ctx.db, id);
  if (!row) throw notFound('webhook', id);
  return row;
}

export async function createWebhook(ctx: AppContext, actor: Actor, input: WebhookInput): Promise<WebhookCreated> {
  assertAdmin(actor);
  const id = ctx.newId();
  const secret = newWebhookSecret();
  await insertEndpoint(ctx.db, {
    id, url: input.url, description: input.description || null, events: unique(input.events), secret, created_by: actor.id, now: ctx.clock.now(),
  });
  return { ...toEndpoint(await mustFind(ctx, id)), secret };
}

export async function listWebhooks(ctx: AppContext, actor: Actor): Promise<WebhookEndpoint[]> {
  assertAdmin(actor);
  return (await listEndpoints(ctx.db)).map(toEndpoint);
}

export async function getWebhook(ctx: AppContext, actor: Actor, id: string): Promise<WebhookEndpoint> {
  assertAdmin(actor);
  return toEndpoint(await mustFind(ctx, id));
}

/**
 * Changes the address, the events or the description; `enabled: true` sends again to an
 * endpoint that answered 410 (its deliveries waiting meanwhile go out), `false` stops it.
 */
export async function updateWebhook(ctx: AppContext, actor: Actor, id: string, patch: WebhookPatch): Promise<WebhookEndpoint> {
  assertAdmin(actor);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const changes = {
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.events !== undefined ? { events: unique(patch.events) } : {}),
      ...(patch.description !== undefined ? { description: patch.description || null } : {}),
      ...(patch.enabled === true ? { disabled_at: null, disabled_reason: null } : {}),
      updated_at: now,
    };
    if (!(await updateEndpoint(trx, id, changes))) throw notFound('webhook', id);
    if (patch.enabled === false) await disableEndpoint(trx, id, DISABLED_BY_ADMIN, now);
  });
  return toEndpoint(await mustFind(ctx, id));
}

export async function removeWebhook(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertAdmin(actor);
  if (!(await deleteEndpoint(ctx.db, id))) throw notFound('webhook', id);
}

/** A new secret, shown once; the previous one signs too for ROTATION_OVERLAP_MS. */
export async function rotateWebhookSecret(ctx: AppContext, actor: Actor, id: string): Promise<WebhookCreated> {
  assertAdmin(actor);
  const now = ctx.clock.now();
  const secret = newWebhookSecret();
  if (!(await rotateEndpointSecret(ctx.db, id, secret, new Date(now.getTime() + ROTATION_OVERLAP_MS), now))) throw notFound('webhook', id);
  return { ...toEndpoint(await mustFind(ctx, id)), secret };
}

// ---- the delivery log ----

export interface DeliveriesQuery {
  status?: WebhookDeliveryStatus;
  event?: WebhookEvent;
  limit: number;
  cursor?: string;
}

/** A page cursor: the last row's creation instant and id. */
const cursorOf = (r: DeliveryRow) => `${r.created_at.toISOString()}~${r.id}`;

function parseCursor(cursor: string): { createdAt: Date; id: string } {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)~([0-9a-f-]{36})$/i.exec(cursor);
  const createdAt = m ? new Date(m[1]) : null;
  if (!m || !createdAt || Number.isNaN(createdAt.getTime())) {
    const message = 'not a cursor this list gave (use nextCursor as it is)';
    throw invalid(`querystring.cursor: ${message}`, [{ path: 'querystring.cursor', message }]);
  }
  return { createdAt, id: m[2].toLowerCase() };
}

function toDelivery(r: DeliveryRow): WebhookDelivery {
  const opt = <K extends string, V>(key: K, v: V | null) => (v === null ? {} : { [key]: v }) as Partial<Record<K, V>>;
  return {
    id: r.id,
    messageId: r.message_id,
    event: r.type as WebhookEvent,
    status: r.status,
    attempts: r.attempts,
    ...opt('lastStatusCode', r.last_status_code),
    ...opt('nextAttemptAt', r.status === 'pending' ? r.next_attempt_at?.toISOString() ?? null : null),
    ...opt('lastAttemptAt', r.last_attempt_at?.toISOString() ?? null),
    ...opt('lastError', r.last_error),
    ...opt('lastResponse', r.last_response),
    ...opt('deliveredAt', r.delivered_at?.toISOString() ?? null),
    createdAt: r.created_at.toISOString(),
    payload: { type: r.type, timestamp: r.at.toISOString(), data: r.data },
  };
}

export async function listWebhookDeliveries(ctx: AppContext, actor: Actor, id: string, q: DeliveriesQuery): Promise<{ items: WebhookDelivery[]; nextCursor: string | null }> {
  assertAdmin(actor);
  const after = q.cursor ? parseCursor(q.cursor) : undefined;
  await mustFind(ctx, id);
  const rows = await listDeliveries(ctx.db, id, { status: q.status, event: q.event, after, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  return { items: page.map(toDelivery), nextCursor: rows.length > q.limit ? cursorOf(page[page.length - 1]) : null };
}

/** Sends a delivery again now (pending, next attempt now); refused while the endpoint is disabled. */
export async function retryWebhookDelivery(ctx: AppContext, actor: Actor, id: string, deliveryId: string): Promise<WebhookDelivery> {
  assertAdmin(actor);
  const endpoint = await mustFind(ctx, id);
  if (endpoint.disabled_at) throw invalidState(`webhook ${id} is disabled (${endpoint.disabled_reason ?? 'by an admin'}): enable it (PATCH {"enabled": true}) to send again`);
  const row = await ctx.db.transaction().execute(async (trx) =>
    (await retryDelivery(trx, id, deliveryId, ctx.clock.now())) ? findDelivery(trx, id, deliveryId) : undefined);
  if (!row) throw notFound('delivery', deliveryId);
  return toDelivery(row);
}
