import { sql } from 'kysely';
import type { Handle } from './database.ts';

/**
 * The webhook outbox. Triggers write each statement's events as one batch row with the
 * change they report (migration 0016); here batches are expanded into messages (one per
 * event, its `webhook-id`) and deliveries (one per enabled endpoint subscribed to it),
 * and messages are read and pruned.
 */

/** Batches expanded per statement: a trigger's batch holds up to an engine batch's events (1,000 steps). */
const EXPAND_BATCHES = 10;

/**
 * Each event's payload `data`, read from its row (`n`) and lead (`l`) as it is expanded,
 * by the kind of row it came from. `e` is the event: type, at, extra.
 */
const EVENT_DATA = sql`
  select e.batch, e.i, e.type, e.at, jsonb_build_object('enrollmentId', n.id, 'cadenceId', n.cadence_id, 'recordId', n.record_id,
      'email', l.email, 'status', case e.type when 'enrollment.created' then e.extra else substr(e.type, 12) end,
      'exitReason', case when e.type = 'enrollment.exited' then n.exit_reason end, 'at', webhook_instant(e.at)) as data
    from e join enrollments n on n.id = e.src join leads l on l.id = n.record_id
    where e.type like 'enrollment.%'
  union all
  select e.batch, e.i, e.type, e.at, jsonb_build_object('emailId', n.id, 'enrollmentId', n.enrollment_id, 'cadenceId', en.cadence_id,
      'stepId', n.step_id, 'recordId', n.record_id, 'email', n.to_email, 'messageId', n.message_id, 'subject', n.subject,
      'at', webhook_instant(e.at))
    from e join emails n on n.id = e.src left join enrollments en on en.id = n.enrollment_id
    where e.type = 'email.sent'
  union all
  select e.batch, e.i, e.type, e.at, jsonb_build_object('emailId', n.email_id, 'enrollmentId', n.enrollment_id, 'stepId', n.step_id,
      'recordId', n.record_id, 'email', l.email, 'at', webhook_instant(e.at))
      || case n.type
           when 'opened' then jsonb_build_object('machine', n.machine)
           when 'clicked' then jsonb_build_object('machine', n.machine, 'url', n.data ->> 'url')
           else '{}'::jsonb end
    from e join signals n on n.id = e.src join leads l on l.id = n.record_id
    where e.type in ('email.opened', 'email.clicked', 'email.replied', 'email.bounced')
  union all
  select e.batch, e.i, e.type, e.at, jsonb_build_object('recordId', n.id, 'email', n.email, 'at', webhook_instant(e.at))
    from e join leads n on n.id = e.src
    where e.type = 'lead.unsubscribed'
  union all
  select e.batch, e.i, e.type, e.at, jsonb_build_object('taskId', n.id, 'enrollmentId', n.enrollment_id, 'stepId', n.step_id,
      'recordId', n.record_id, 'email', l.email, 'ownerId', n.owner_id, 'type', n.type, 'title', n.title,
      'dueAt', webhook_instant(n.due_at), 'at', webhook_instant(e.at))
      || case when e.type = 'task.completed' then jsonb_build_object('outcome', n.outcome) else '{}'::jsonb end
    from e join tasks n on n.id = e.src join leads l on l.id = n.record_id
    where e.type in ('task.created', 'task.completed')`;

/**
 * Expands the oldest waiting event batches (SKIP LOCKED: dispatchers share them) into
 * messages and deliveries, in one statement that also deletes them: each event becomes
 * exactly one message, its payload read from its row now (an erased lead's events find
 * none and are dropped). Repeats until none is left; answers the events expanded.
 */
export async function expandWebhookEvents(h: Handle, batches = EXPAND_BATCHES): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await sql<{ batches: number; events: number }>`
      with b as (
        delete from webhook_event_batches where id in (
          select id from webhook_event_batches order by id limit ${batches} for update skip locked)
        returning id, type, ids, ats, extras),
      e as (
        select b.id as batch, b.type, t.src, t.at, t.extra, t.i
        from b cross join lateral unnest(b.ids, b.ats, b.extras) with ordinality as t(src, at, extra, i)),
      ev as (${EVENT_DATA}),
      m as (
        insert into webhook_messages (id, type, at, data)
        select 'msg_' || replace(gen_random_uuid()::text, '-', ''), ev.type, ev.at, ev.data from ev order by ev.batch, ev.i
        returning id, type, at),
      d as (
        insert into webhook_deliveries (message_id, endpoint_id, status, next_attempt_at, created_at)
        select m.id, w.id, 'pending', m.at, m.at
        from m join webhook_endpoints w on w.disabled_at is null and m.type = any(w.events)
        returning 1)
      select (select count(*) from b)::int as batches, (select count(*) from m)::int as events`.execute(h);
    total += rows[0].events;
    if (rows[0].batches < batches) return total;
  }
}

/** How long a settled message is kept (its deliveries show in the log until then). */
export const WEBHOOK_MESSAGE_RETENTION_MS = 30 * 24 * 3600_000;

/** At most this many messages go in one delete: short statements, short locks. */
const PRUNE_BATCH = 5_000;

/**
 * Deletes the messages older than `olderThan` none of whose deliveries is still pending
 * (their deliveries go with them), a batch at a time. Answers how many it deleted.
 */
export async function pruneWebhookMessages(h: Handle, olderThan: Date, batch = PRUNE_BATCH): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await sql`
      delete from webhook_messages where id in (
        select m.id from webhook_messages m
        where m.at < ${olderThan}
          and not exists (select 1 from webhook_deliveries d where d.message_id = m.id and d.status = 'pending')
        limit ${batch})`.execute(h);
    const n = Number(result.numAffectedRows ?? 0);
    deleted += n;
    if (n < batch) return deleted;
  }
}

export interface OutboxMessage {
  id: string;
  type: string;
  at: Date;
  data: Record<string, unknown>;
  /** The endpoints it is to be delivered to, one delivery each. */
  endpointIds: string[];
}

/** Messages in the order they happened, with the endpoints their deliveries go to; `type` filters. */
export async function listWebhookMessages(h: Handle, filter: { type?: string; limit?: number } = {}): Promise<OutboxMessage[]> {
  const { rows } = await sql<OutboxMessage>`
    select m.id, m.type, m.at, m.data,
      coalesce((select array_agg(d.endpoint_id::text order by d.endpoint_id) from webhook_deliveries d where d.message_id = m.id),
        '{}') as "endpointIds"
    from webhook_messages m
    where ${filter.type === undefined ? sql`true` : sql`m.type = ${filter.type}`}
    order by m.at, m.id
    limit ${filter.limit ?? 10_000}`.execute(h);
  return rows;
}
