import { sql, type Selectable, type Updateable } from 'kysely';
import type { Handle } from './database.ts';
import type { WebhookDeliveryStatus, WebhookDeliveryTable, WebhookEndpointTable, WebhookMessageTable } from './schema.ts';

/** Admins' webhook endpoints and their delivery logs (migration 0015). */

/** An endpoint with what the settings page shows of its deliveries. */
export interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  secret: string;
  previous_secret_until: Date | null;
  disabled_at: Date | null;
  disabled_reason: string | null;
  created_at: Date;
  pending: number;
  failed: number;
  last_attempt_at: Date | null;
  last_status_code: number | null;
}

/**
 * Endpoints (all, or one) with their pending and failed counts and their last attempt,
 * in one statement whatever their number.
 */
function endpointsWithCounts(h: Handle, id?: string) {
  return sql<EndpointRow>`
    select e.id, e.url, e.description, e.events, e.secret, e.previous_secret_until, e.disabled_at, e.disabled_reason, e.created_at,
      coalesce(c.pending, 0)::int as pending, coalesce(c.failed, 0)::int as failed,
      l.last_attempt_at, l.last_status_code
    from webhook_endpoints e
    left join lateral (
      select count(*) filter (where d.status = 'pending') as pending, count(*) filter (where d.status = 'failed') as failed
      from webhook_deliveries d where d.endpoint_id = e.id and d.status in ('pending', 'failed')
    ) c on true
    left join lateral (
      select d.last_attempt_at, d.last_status_code from webhook_deliveries d
      where d.endpoint_id = e.id and d.last_attempt_at is not null
      order by d.last_attempt_at desc limit 1
    ) l on true
    ${id === undefined ? sql`` : sql`where e.id = ${id}`}
    order by e.created_at, e.id`.execute(h);
}

export async function listEndpoints(h: Handle): Promise<EndpointRow[]> {
  return (await endpointsWithCounts(h)).rows.map(normalize);
}

export async function findEndpoint(h: Handle, id: string): Promise<EndpointRow | undefined> {
  const [row] = (await endpointsWithCounts(h, id)).rows;
  return row && normalize(row);
}

// PGlite and node-postgres agree on timestamps; counts come back as numbers thanks to ::int.
function normalize(r: EndpointRow): EndpointRow {
  return { ...r, events: [...r.events] };
}

export interface NewEndpoint {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  secret: string;
  created_by: string;
  now: Date;
}

export async function insertEndpoint(h: Handle, e: NewEndpoint): Promise<void> {
  await h.insertInto('webhook_endpoints').values({
    id: e.id, url: e.url, description: e.description, events: e.events, secret: e.secret,
    created_by: e.created_by, created_at: e.now, updated_at: e.now,
  }).execute();
}

/** Applies a change; false when the endpoint does not exist. */
export async function updateEndpoint(h: Handle, id: string, changes: Updateable<WebhookEndpointTable>): Promise<boolean> {
  const res = await h.updateTable('webhook_endpoints').set(changes).where('id', '=', id).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Disables an endpoint, keeping the reason and instant of a disabling already in place (a 410's). */
export async function disableEndpoint(h: Handle, id: string, reason: string, now: Date): Promise<boolean> {
  const res = await h.updateTable('webhook_endpoints')
    .set((eb) => ({
      disabled_at: eb.fn.coalesce('disabled_at', sql<Date>`${now}::timestamptz`),
      disabled_reason: eb.fn.coalesce('disabled_reason', sql<string>`${reason}::text`),
      updated_at: now,
    }))
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * A new secret; the one it replaces keeps signing until `until` (the dispatcher signs
 * with both meanwhile). False when the endpoint does not exist.
 */
export async function rotateEndpointSecret(h: Handle, id: string, secret: string, until: Date, now: Date): Promise<boolean> {
  const res = await h.updateTable('webhook_endpoints')
    .set((eb) => ({ previous_secret: eb.ref('secret'), previous_secret_until: until, secret, updated_at: now }))
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function deleteEndpoint(h: Handle, id: string): Promise<boolean> {
  const res = await h.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

// ---- the delivery log ----

/** A delivery as the log shows it: its row, without the claim, and its message's type, instant and data. */
export type DeliveryRow = Omit<Selectable<WebhookDeliveryTable>, 'endpoint_id' | 'claimed_by' | 'claim_until'>
  & Pick<Selectable<WebhookMessageTable>, 'type' | 'at'> & { data: Record<string, unknown> };

export interface DeliveryFilter {
  status?: WebhookDeliveryStatus;
  event?: string;
  /** The last row of the previous page: this page starts after it. */
  after?: { createdAt: Date; id: string };
  limit: number;
}

const DELIVERY_COLUMNS = sql`d.id, d.message_id, d.status, d.attempts, d.next_attempt_at, d.last_attempt_at, d.last_status_code,
  d.last_error, d.last_response, d.delivered_at, d.created_at, m.type, m.at, m.data`;

/**
 * An endpoint's deliveries, newest first (ties by id, in the order of the
 * `(endpoint_id, created_at desc, id)` index), with their message.
 */
export async function listDeliveries(h: Handle, endpointId: string, f: DeliveryFilter): Promise<DeliveryRow[]> {
  const { rows } = await sql<DeliveryRow>`
    select ${DELIVERY_COLUMNS}
    from webhook_deliveries d join webhook_messages m on m.id = d.message_id
    where d.endpoint_id = ${endpointId}
      ${f.status ? sql`and d.status = ${f.status}` : sql``}
      ${f.event ? sql`and m.type = ${f.event}` : sql``}
      ${f.after ? sql`and (d.created_at < ${f.after.createdAt} or (d.created_at = ${f.after.createdAt} and d.id > ${f.after.id}))` : sql``}
    order by d.created_at desc, d.id
    limit ${f.limit}`.execute(h);
  return rows;
}

/** One delivery of the endpoint, with its message; undefined when it is not the endpoint's. */
export async function findDelivery(h: Handle, endpointId: string, deliveryId: string): Promise<DeliveryRow | undefined> {
  const { rows } = await sql<DeliveryRow>`
    select ${DELIVERY_COLUMNS}
    from webhook_deliveries d join webhook_messages m on m.id = d.message_id
    where d.id = ${deliveryId} and d.endpoint_id = ${endpointId}`.execute(h);
  return rows[0];
}
