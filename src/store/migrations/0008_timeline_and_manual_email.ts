import { sql, type Kysely } from 'kysely';

/**
 * What a lead's timeline (GET /api/leads/:id/timeline) needs that nothing recorded:
 *
 * - `record_events`: pauses, resumes and field changes. Triggers write them, so that
 *   every path records them (a rep's pause, an out-of-office reply, a rep's time off
 *   and its end, an import or a PATCH changing a field) without each having to. The
 *   WHEN clauses are checked in C for every updated row; the functions run only for
 *   the rare rows that match, so the engine's batch updates pay nothing measurable.
 *   The time of an event is the row's `updated_at`, which every writer sets from the
 *   app clock (never now(), so tests on a manual clock stay exact).
 * - `emails.task_id`: the task a manual email was sent from. The sender lets it go for
 *   an enrolment that completed or paused meanwhile (the rep chose to send it), and
 *   the unique index makes a second email for one task impossible.
 * - indexes for reading one lead's tasks and one user's time off.
 *
 * Function bodies hold semicolons, so the statements run one by one here, not through
 * runStatements.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `alter table emails add column task_id uuid`,
    `create unique index emails_one_per_task on emails (task_id) where task_id is not null`,
    `create index tasks_record_idx on tasks (record_id)`,
    `create index time_off_user_idx on time_off (user_id, ends_at)`,
    `create table record_events (
      id bigint generated always as identity primary key,
      record_id uuid not null references leads (id) on delete cascade,
      enrollment_id uuid references enrollments (id) on delete cascade,
      type text not null check (type in ('paused', 'resumed', 'field_changed')),
      data jsonb not null default '{}',
      at timestamptz not null
    )`,
    `create index record_events_record_idx on record_events (record_id, at)`,
    `create function record_enrollment_pause() returns trigger language plpgsql as $$
    begin
      insert into record_events (record_id, enrollment_id, type, data, at)
      values (
        new.record_id, new.id,
        case when new.status = 'paused' then 'paused' else 'resumed' end,
        case when new.status = 'paused' and new.resume_at is not null
          then jsonb_build_object('until', new.resume_at) else '{}'::jsonb end,
        new.updated_at);
      return null;
    end $$`,
    `create trigger enrollments_pause_events after update of status on enrollments for each row
      when ((new.status = 'paused' and old.status <> 'paused') or (old.status = 'paused' and new.status = 'active'))
      execute function record_enrollment_pause()`,
    // Values are kept as text cut to 200 characters: enough to show, never a copy of a big field.
    `create function record_lead_changes() returns trigger language plpgsql as $$
    declare
      changes jsonb;
    begin
      select coalesce(jsonb_agg(jsonb_build_object('field', c.field, 'from', left(c.before, 200), 'to', left(c.after, 200)) order by c.n), '[]'::jsonb)
      into changes
      from (
        values
          (1, 'email', old.email, new.email),
          (2, 'firstName', old.first_name, new.first_name),
          (3, 'lastName', old.last_name, new.last_name),
          (4, 'company', old.company, new.company),
          (5, 'phone', old.phone, new.phone),
          (6, 'status', old.status, new.status),
          (7, 'ownerId', old.owner_id::text, new.owner_id::text),
          (8, 'timezone', old.timezone, new.timezone),
          -- a conversion turns a lead into a contact: its own event, not a field change
          (9, 'module', old.module, case when new.converted and not old.converted then old.module else new.module end)
      ) as c(n, field, before, after)
      where c.before is distinct from c.after;
      select changes || coalesce(jsonb_agg(jsonb_build_object('field', 'fields.' || k,
          'from', left(old.fields -> k #>> '{}', 200), 'to', left(new.fields -> k #>> '{}', 200)) order by k), '[]'::jsonb)
      into changes
      from jsonb_object_keys(old.fields || new.fields) as k
      where (old.fields -> k) is distinct from (new.fields -> k);
      if jsonb_array_length(changes) > 0 then
        insert into record_events (record_id, type, data, at)
        values (new.id, 'field_changed', jsonb_build_object('changes', changes), new.updated_at);
      end if;
      return null;
    end $$`,
    `create trigger leads_field_events after update on leads for each row
      when (old.email is distinct from new.email or old.first_name is distinct from new.first_name
        or old.last_name is distinct from new.last_name or old.company is distinct from new.company
        or old.phone is distinct from new.phone or old.status is distinct from new.status
        or old.owner_id is distinct from new.owner_id or old.timezone is distinct from new.timezone
        or old.module is distinct from new.module or old.fields is distinct from new.fields)
      execute function record_lead_changes()`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are append-only');
}
