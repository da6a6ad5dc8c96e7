import { sql, type Kysely } from 'kysely';

/**
 * Issue 15: the transactional outbox. Triggers write a `webhook_messages` row for each
 * event of API.md's list, and a pending `webhook_deliveries` row per enabled endpoint
 * subscribed to its type, in the statement that made the change: a change that rolls
 * back leaves no event, one that commits cannot lose it, and every writer (the engine,
 * the API, inbound mail, tracking links) is covered without having to remember.
 *
 * - Statement-level AFTER triggers over transition tables: an engine batch of a
 *   thousand rows pays one set-based insert, not a query per row.
 * - Each function first reads which events enabled endpoints want, and returns at once
 *   when none of its own: a workspace without webhooks writes nothing, and no message
 *   is kept for a type nobody subscribes to.
 * - An event's instant is the row's (enrolled_at, sent_at, signals.at…), never now():
 *   the app runs on its own clock.
 * - Events come from a change of status, not from whichever statement made it: a row
 *   updated again without changing status says nothing twice.
 * - Signals: only `opened`, `clicked`, `replied` and `bounced` (a hard bounce) are
 *   events. A `soft_bounced` is a delivery problem the cadence goes on after, a
 *   `reply_other` is someone else's answer, an `auto_reply` an out-of-office; an
 *   unsubscribe is `lead.unsubscribed`, from the lead's flag, whatever path set it.
 * - Erasing a lead erases the messages about it (their data names the lead's address),
 *   with their deliveries, delivered or not.
 *
 * Function bodies hold semicolons, so the statements run one by one here, not through
 * runStatements.
 */

/** A trigger function writing the messages that `events` selects (columns type, at, data), for `types`. */
function outboxFunction(name: string, types: string[], events: string): string {
  const list = types.map((t) => `'${t}'`).join(', ');
  return `create function ${name}() returns trigger language plpgsql as $$
    declare
      wanted text[] := webhook_wanted_events();
    begin
      if wanted is null or not (wanted && array[${list}]) then return null; end if;
      with e as (${events}),
      m as (
        insert into webhook_messages (id, type, at, data)
        select 'msg_' || replace(gen_random_uuid()::text, '-', ''), e.type, e.at, e.data
        from e where e.type = any(wanted)
        returning id, type, at)
      insert into webhook_deliveries (message_id, endpoint_id, status, next_attempt_at, created_at)
      select m.id, w.id, 'pending', m.at, m.at
      from m join webhook_endpoints w on w.disabled_at is null and m.type = any(w.events);
      return null;
    end $$`;
}

/** An enrolment event's columns, from the enrolment row `r` and its lead `l`. */
const ENROLLMENT = (r: string, type: string, at: string) => `select ${type} as type, ${at} as at,
  jsonb_build_object('enrollmentId', ${r}.id, 'cadenceId', ${r}.cadence_id, 'recordId', ${r}.record_id, 'email', l.email,
    'status', ${r}.status, 'exitReason', case when ${r}.status = 'exited' then ${r}.exit_reason end, 'at', webhook_instant(${at})) as data`;

/** A task event's data, from the task row `r` and its lead `l`. */
const TASK = (r: string) => `jsonb_build_object('taskId', ${r}.id, 'enrollmentId', ${r}.enrollment_id, 'stepId', ${r}.step_id,
  'recordId', ${r}.record_id, 'email', l.email, 'ownerId', ${r}.owner_id, 'type', ${r}.type, 'title', ${r}.title,
  'dueAt', webhook_instant(${r}.due_at))`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // Pruning deletes messages, whose deliveries go by cascade: without this index each
    // deleted message read every delivery.
    `create index webhook_deliveries_message_idx on webhook_deliveries (message_id)`,
    // Erasing a lead finds the messages about it.
    `create index webhook_messages_record_idx on webhook_messages ((data ->> 'recordId'))`,

    // An instant as the API answers it (toISOString()), whatever the session's time zone.
    `create function webhook_instant(t timestamptz) returns text language sql immutable parallel safe
      return to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    // The events some enabled endpoint subscribes to; null when there is no enabled endpoint.
    `create function webhook_wanted_events() returns text[] language sql stable
      return (select array_agg(distinct t) from webhook_endpoints w cross join unnest(w.events) t where w.disabled_at is null)`,

    outboxFunction('webhook_outbox_enrollments_created', ['enrollment.created'],
      `${ENROLLMENT('n', `'enrollment.created'::text`, 'n.enrolled_at')} from n join leads l on l.id = n.record_id`),
    outboxFunction('webhook_outbox_enrollments_ended', ['enrollment.exited', 'enrollment.completed'],
      `${ENROLLMENT('n', `'enrollment.' || n.status`, 'coalesce(n.ended_at, n.updated_at)')}
        from n join o on o.id = n.id join leads l on l.id = n.record_id
        where n.status in ('exited', 'completed') and o.status is distinct from n.status`),
    outboxFunction('webhook_outbox_emails_sent', ['email.sent'],
      `select 'email.sent'::text as type, n.sent_at as at,
        jsonb_build_object('emailId', n.id, 'enrollmentId', n.enrollment_id, 'cadenceId', en.cadence_id, 'stepId', n.step_id,
          'recordId', n.record_id, 'email', n.to_email, 'messageId', n.message_id, 'subject', n.subject,
          'at', webhook_instant(n.sent_at)) as data
        from n join o on o.id = n.id left join enrollments en on en.id = n.enrollment_id
        where n.status = 'sent' and o.status <> 'sent' and n.sent_at is not null`),
    outboxFunction('webhook_outbox_signals', ['email.opened', 'email.clicked', 'email.replied', 'email.bounced'],
      `select 'email.' || n.type as type, n.at,
        jsonb_build_object('emailId', n.email_id, 'enrollmentId', n.enrollment_id, 'stepId', n.step_id,
          'recordId', n.record_id, 'email', l.email, 'at', webhook_instant(n.at))
        || case n.type
             when 'opened' then jsonb_build_object('machine', n.machine)
             when 'clicked' then jsonb_build_object('machine', n.machine, 'url', n.data ->> 'url')
             else '{}'::jsonb end as data
        from n join leads l on l.id = n.record_id
        where n.type in ('opened', 'clicked', 'replied', 'bounced')`),
    outboxFunction('webhook_outbox_leads_unsubscribed', ['lead.unsubscribed'],
      `select 'lead.unsubscribed'::text as type, n.updated_at as at,
        jsonb_build_object('recordId', n.id, 'email', n.email, 'at', webhook_instant(n.updated_at)) as data
        from n join o on o.id = n.id
        where n.unsubscribed and not o.unsubscribed`),
    outboxFunction('webhook_outbox_tasks_created', ['task.created'],
      `select 'task.created'::text as type, n.created_at as at,
        ${TASK('n')} || jsonb_build_object('at', webhook_instant(n.created_at)) as data
        from n join leads l on l.id = n.record_id`),
    outboxFunction('webhook_outbox_tasks_completed', ['task.completed'],
      `select 'task.completed'::text as type, n.completed_at as at,
        ${TASK('n')} || jsonb_build_object('outcome', n.outcome, 'at', webhook_instant(n.completed_at)) as data
        from n join o on o.id = n.id join leads l on l.id = n.record_id
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
