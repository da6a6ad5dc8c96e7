import { sql, type Kysely } from 'kysely';

/**
 * Issue 15: the transactional outbox. Triggers record each event of API.md's list in the
 * statement that made the change: a change that rolls back leaves no event, one that
 * commits cannot lose it, and every writer (the engine, the API, inbound mail, tracking
 * links) is covered without having to remember.
 *
 * - Statement-level AFTER triggers over transition tables, each writing one row per event
 *   type: the changed rows' ids and the events' instants as arrays in
 *   `webhook_event_batches`. An engine batch of a thousand steps pays a few small
 *   inserts, no JSON and no indexed row per event. The dispatcher expands batches into
 *   messages (their payloads read from the rows then) and deliveries, in its own
 *   transactions, off the engine's path (expandWebhookEvents); a batch is expanded
 *   exactly once, deleted by the statement that expands it.
 * - Each function first reads which events enabled endpoints want, and returns at once
 *   when none of its own: a workspace without webhooks writes nothing, and nothing is
 *   kept for a type nobody subscribes to.
 * - An event's instant is the row's (enrolled_at, sent_at, signals.at…), never now():
 *   the app runs on its own clock.
 * - Events come from a change of status, not from whichever statement made it: a row
 *   updated again without changing status says nothing twice.
 * - Signals: only `opened`, `clicked`, `replied` and `bounced` (a hard bounce) are
 *   events. A `soft_bounced` is a delivery problem the cadence goes on after, a
 *   `reply_other` is someone else's answer, an `auto_reply` an out-of-office; an
 *   unsubscribe is `lead.unsubscribed`, from the lead's flag, whatever path set it.
 * - Erasing a lead erases the messages about it (their data names the lead's address),
 *   with their deliveries, delivered or not; its events not expanded yet find no row and
 *   are dropped.
 *
 * Function bodies hold semicolons, so the statements run one by one here, not through
 * runStatements.
 */

/**
 * A trigger function recording the events `events` selects (columns type, id, at, and
 * `extra`: what the row cannot tell later, an enrolment's first status) for `types`: one
 * batch row per type, its arrays in the same order.
 */
function outboxFunction(name: string, types: string[], events: string): string {
  const list = types.map((t) => `'${t}'`).join(', ');
  return `create function ${name}() returns trigger language plpgsql as $$
    declare
      wanted text[] := webhook_wanted_events();
    begin
      if wanted is null or not (wanted && array[${list}]) then return null; end if;
      with e as (${events})
      insert into webhook_event_batches (type, ids, ats, extras)
      select e.type, array_agg(e.id), array_agg(e.at), array_agg(e.extra) from e where e.type = any(wanted) group by e.type;
      return null;
    end $$`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // Events recorded with their change, waiting to be expanded into messages and deliveries.
    `create table webhook_event_batches (
      id bigserial primary key,
      type text not null,
      ids uuid[] not null,
      ats timestamptz[] not null,
      extras text[] not null
    )`,
    // Pruning deletes messages, whose deliveries go by cascade: without this index each
    // deleted message read every delivery.
    `create index webhook_deliveries_message_idx on webhook_deliveries (message_id)`,
    `create index webhook_messages_record_idx on webhook_messages ((data ->> 'recordId'))`,

    // An instant as the API answers it (toISOString()), whatever the session's time zone.
    `create function webhook_instant(t timestamptz) returns text language sql immutable parallel safe
      return to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    // The events some enabled endpoint subscribes to; null when there is no enabled endpoint.
    `create function webhook_wanted_events() returns text[] language sql stable
      return (select array_agg(distinct t) from webhook_endpoints w cross join unnest(w.events) t where w.disabled_at is null)`,

    outboxFunction('webhook_outbox_enrollments_created', ['enrollment.created'],
      `select 'enrollment.created'::text as type, n.id, n.enrolled_at as at, n.status::text as extra from n`),
    outboxFunction('webhook_outbox_enrollments_ended', ['enrollment.exited', 'enrollment.completed'],
      `select 'enrollment.' || n.status as type, n.id, coalesce(n.ended_at, n.updated_at) as at, null::text as extra
        from n join o on o.id = n.id
        where n.status in ('exited', 'completed') and o.status is distinct from n.status`),
    outboxFunction('webhook_outbox_emails_sent', ['email.sent'],
      `select 'email.sent'::text as type, n.id, n.sent_at as at, null::text as extra
        from n join o on o.id = n.id
        where n.status = 'sent' and o.status <> 'sent' and n.sent_at is not null`),
    outboxFunction('webhook_outbox_signals', ['email.opened', 'email.clicked', 'email.replied', 'email.bounced'],
      `select 'email.' || n.type as type, n.id, n.at, null::text as extra from n
        where n.type in ('opened', 'clicked', 'replied', 'bounced') and n.record_id is not null`),
    outboxFunction('webhook_outbox_leads_unsubscribed', ['lead.unsubscribed'],
      `select 'lead.unsubscribed'::text as type, n.id, n.updated_at as at, null::text as extra
        from n join o on o.id = n.id
        where n.unsubscribed and not o.unsubscribed`),
    outboxFunction('webhook_outbox_tasks_created', ['task.created'],
      `select 'task.created'::text as type, n.id, n.created_at as at, null::text as extra from n`),
    outboxFunction('webhook_outbox_tasks_completed', ['task.completed'],
      `select 'task.completed'::text as type, n.id, n.completed_at as at, null::text as extra
        from n join o on o.id = n.id
        where n.status = 'completed' and o.status <> 'completed' and n.completed_at is not null`),

    `create function webhook_outbox_leads_erased() returns trigger language plpgsql as $$
    begin
      delete from webhook_messages where data ->> 'recordId' in (select o.id::text from o);
      return null;
    end $$`,

    `create trigger webhook_outbox_created after insert on enrollments referencing new table as n
      for each statement execute function webhook_outbox_enrollments_created()`,
    `create trigger webhook_outbox_ended after update on enrollments referencing old table as o new table as n
      for each statement execute function webhook_outbox_enrollments_ended()`,
    `create trigger webhook_outbox_sent after update on emails referencing old table as o new table as n
      for each statement execute function webhook_outbox_emails_sent()`,
    `create trigger webhook_outbox_signals after insert on signals referencing new table as n
      for each statement execute function webhook_outbox_signals()`,
    `create trigger webhook_outbox_unsubscribed after update on leads referencing old table as o new table as n
      for each statement execute function webhook_outbox_leads_unsubscribed()`,
    `create trigger webhook_outbox_erased after delete on leads referencing old table as o
      for each statement execute function webhook_outbox_leads_erased()`,
    `create trigger webhook_outbox_created after insert on tasks referencing new table as n
      for each statement execute function webhook_outbox_tasks_created()`,
    `create trigger webhook_outbox_completed after update on tasks referencing old table as o new table as n
      for each statement execute function webhook_outbox_tasks_completed()`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are append-only');
}
