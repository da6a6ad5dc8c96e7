import { sql } from 'kysely';
import type { Handle } from './database.ts';
import type { WebhookDeliveryStatus } from './schema.ts';

/** A claimed delivery with what sending it needs: its message and its endpoint's address and secrets. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  messageId: string;
  /** Attempts made before this one. */
  attempts: number;
  type: string;
  at: Date;
  data: unknown;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
}

export interface ClaimRequest {
  now: Date;
  workerId: string;
  /** The claim lasts until then: a worker that dies holds its deliveries no longer. */
  claimUntil: Date;
  /** The most deliveries to take. */
  limit: number;
  /** The most deliveries one endpoint may have in flight in this worker. */
  perEndpoint: number;
  /** What this worker already has in flight, by endpoint: an endpoint at its cap is skipped. */
  inFlight: ReadonlyMap<string, number>;
}

/**
 * Claims due deliveries (pending, due, their endpoint enabled, no live claim on them)
 * for `workerId`, at most `perEndpoint` in flight for any one endpoint, oldest due
 * first, with their message and endpoint: one statement. Rows another worker is
 * claiming are skipped (SKIP LOCKED), never waited for.
 */
export async function claimDueDeliveries(h: Handle, r: ClaimRequest): Promise<ClaimedDelivery[]> {
  if (r.limit <= 0) return [];
  const busy = [...r.inFlight].filter(([, n]) => n > 0);
  const full = busy.filter(([, n]) => n >= r.perEndpoint).map(([id]) => id);
  const { rows } = await sql<{
    id: string; endpoint_id: string; message_id: string; attempts: number; type: string; at: Date; data: unknown;
    url: string; secret: string; previous_secret: string | null; previous_secret_until: Date | null;
  }>`
    with due as (
      -- A window a few times the batch: an endpoint with many due deliveries and little
      -- room leaves room in it for the others.
      select d.id, d.endpoint_id, d.next_attempt_at
      from webhook_deliveries d
      join webhook_endpoints e on e.id = d.endpoint_id
      where d.status = 'pending' and d.next_attempt_at <= ${r.now}
        and (d.claim_until is null or d.claim_until < ${r.now})
        and e.disabled_at is null
        and d.endpoint_id <> all(${full}::uuid[])
      order by d.next_attempt_at
      limit ${r.limit * 4}
      for update of d skip locked),
    ranked as (
      select due.id, due.next_attempt_at,
        row_number() over (partition by due.endpoint_id order by due.next_attempt_at, due.id)
          + coalesce(f.n, 0) as place
      from due
      left join unnest(${busy.map(([id]) => id)}::uuid[], ${busy.map(([, n]) => n)}::int[]) as f(endpoint_id, n)
        on f.endpoint_id = due.endpoint_id),
    picked as (
      select id from ranked where place <= ${r.perEndpoint}
      order by next_attempt_at, id
      limit ${r.limit})
    update webhook_deliveries d set claimed_by = ${r.workerId}, claim_until = ${r.claimUntil}
    from picked, webhook_messages m, webhook_endpoints e
    where d.id = picked.id and m.id = d.message_id and e.id = d.endpoint_id
    returning d.id, d.endpoint_id, d.message_id, d.attempts, m.type, m.at, m.data,
      e.url, e.secret, e.previous_secret, e.previous_secret_until`.execute(h);
  return rows.map((x) => ({
    id: x.id, endpointId: x.endpoint_id, messageId: x.message_id, attempts: Number(x.attempts), type: x.type,
    at: new Date(x.at), data: x.data, url: x.url, secret: x.secret, previousSecret: x.previous_secret,
    previousSecretUntil: x.previous_secret_until === null ? null : new Date(x.previous_secret_until),
  }));
}

/** What one attempt came to, to be recorded. */
export interface AttemptResult {
  id: string;
  /** `gone`: a 410, the delivery fails and its endpoint is disabled. */
  outcome: 'delivered' | 'retry' | 'failed' | 'gone';
  attemptedAt: Date;
  statusCode: number | null;
  error: string | null;
  /** The start of the answer's body (at most 1,000 characters are kept). */
  response: string | null;
  /** `retry` only. */
  nextAttemptAt: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The reason an endpoint that answered 410 shows (API `disabledReason`). */
export const GONE_REASON = 'answered 410 Gone';

/**
 * Records a batch of attempts in one statement: each delivery's status, attempts and
 * last answer, its claim released; endpoints that answered 410 disabled (their other
 * deliveries stay pending, unclaimed while they are). A result whose claim was taken
 * over (the claim ran out and another worker claimed it, or an admin asked for a
 * retry) is dropped: the delivery is another attempt's now. Returns how many were
 * recorded and how many endpoints this disabled.
 */
export async function recordAttempts(h: Handle, workerId: string, results: readonly AttemptResult[]): Promise<{ recorded: number; disabled: number }> {
  if (results.length === 0) return { recorded: 0, disabled: 0 };
  const col = <T>(f: (r: AttemptResult) => T) => results.map(f);
  const { rows } = await sql<{ recorded: number; disabled: number }>`
    with r as (
      select * from unnest(${col((x) => x.id)}::uuid[], ${col((x) => x.outcome)}::text[], ${col((x) => x.attemptedAt)}::timestamptz[],
        ${col((x) => x.statusCode)}::int[], ${col((x) => x.error?.slice(0, 1000) ?? null)}::text[],
        ${col((x) => x.response?.slice(0, 1000) ?? null)}::text[], ${col((x) => x.nextAttemptAt)}::timestamptz[])
        as r(id, outcome, attempted_at, status_code, error, response, next_attempt_at)),
    recorded as (
      update webhook_deliveries d set
        status = case r.outcome when 'delivered' then 'delivered' when 'retry' then 'pending' else 'failed' end,
        attempts = d.attempts + 1,
        next_attempt_at = case when r.outcome = 'retry' then r.next_attempt_at end,
        last_attempt_at = r.attempted_at,
        last_status_code = r.status_code,
        last_error = r.error,
        last_response = r.response,
        delivered_at = case when r.outcome = 'delivered' then r.attempted_at else d.delivered_at end,
        claimed_by = null, claim_until = null
      from r
      where d.id = r.id and d.claimed_by = ${workerId}
      returning d.endpoint_id, r.outcome, r.attempted_at),
    disabled as (
      update webhook_endpoints e set disabled_at = g.at, disabled_reason = ${GONE_REASON}, updated_at = g.at
      from (select endpoint_id, min(attempted_at) as at from recorded where outcome = 'gone' group by endpoint_id) g
      where e.id = g.endpoint_id and e.disabled_at is null
      returning e.id)
    select (select count(*) from recorded)::int as recorded, (select count(*) from disabled)::int as disabled`.execute(h);
  return { recorded: Number(rows[0].recorded), disabled: Number(rows[0].disabled) };
}

/**
 * Hands back deliveries `workerId` claimed and did not attempt (`ids`, or all of them when
 * a worker stops): due again at once for another worker, not when their claim ends.
 */
export async function releaseClaims(h: Handle, workerId: string, ids?: readonly string[]): Promise<void> {
  await sql`
    update webhook_deliveries set claimed_by = null, claim_until = null
    where claimed_by = ${workerId} and status = 'pending'
      ${ids === undefined ? sql`` : sql`and id = any(${ids}::uuid[])`}`.execute(h);
}

/**
 * An admin's manual retry (`POST /api/webhooks/:id/deliveries/:deliveryId/retry`): the
 * delivery, whatever its status (a delivered one is sent again: receivers must take a
 * `webhook-id` twice), is pending and due at `now`, any claim on it released. Its
 * attempts count on, so a delivery that had failed gets one more attempt. Null when the
 * endpoint has no such delivery.
 */
export async function retryDelivery(
  h: Handle, endpointId: string, deliveryId: string, now: Date,
): Promise<{ id: string; status: WebhookDeliveryStatus; nextAttemptAt: Date } | null> {
  if (!UUID.test(endpointId) || !UUID.test(deliveryId)) return null; // never a cast error from a path segment
  const { rows } = await sql<{ id: string; status: WebhookDeliveryStatus; next_attempt_at: Date }>`
    update webhook_deliveries set status = 'pending', next_attempt_at = ${now}, claimed_by = null, claim_until = null
    where id = ${deliveryId}::uuid and endpoint_id = ${endpointId}::uuid
    returning id, status, next_attempt_at`.execute(h);
  const row = rows[0];
  return row ? { id: row.id, status: row.status, nextAttemptAt: new Date(row.next_attempt_at) } : null;
}

/** Pending deliveries due at `now` to enabled endpoints: the dispatchers' backlog, for the metrics. */
export async function countDueDeliveries(h: Handle, now: Date): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
    where d.status = 'pending' and d.next_attempt_at <= ${now} and e.disabled_at is null`.execute(h);
  return Number(rows[0].n);
}
