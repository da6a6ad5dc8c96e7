import { sql, type Kysely } from 'kysely';

/**
 * Leads search and one lead per email.
 *
 * - A lead's email becomes unique in the organisation, case-insensitive
 *   (`leads_email_unique on leads (lower(email))`, which `insert … on conflict
 *   (lower(email))` relies on). Leads sharing an email before this migration are
 *   merged into the oldest of them (by created_at, then id), and nothing is lost:
 *   - the survivor keeps its values; a column it lacks (name, company, phone, owner,
 *     zone) and a custom field it lacks are taken from the oldest duplicate having one;
 *     unsubscribed, bounced and converted carry over (the leads_field_events trigger
 *     records these changes on the survivor's timeline);
 *   - the duplicates' enrolments, tasks, emails, signals and events move to the survivor;
 *     where the survivor and a duplicate were both live in one cadence, the survivor's
 *     enrolment (else the earliest) goes on and the other exits (`manual`), its open
 *     tasks and queued emails cancelled, as a second live enrolment would be refused;
 *   - each merged lead's row, as it was, is kept in `lead_merges` (with the survivor's
 *     id), and the count is printed: an operator can read what was merged, and erasing
 *     the survivor erases these copies too (on delete cascade).
 * - `pg_trgm` and a trigram GIN index over "first last email company" serve substring
 *   search (`ilike '%q%'`) of GET /api/leads?q=. The extension goes where it already is,
 *   else into `public` (test schemas come and go; the extension must outlive them),
 *   else into the current schema; the operator class is named with its schema.
 *   src/store/lead-search.repository.ts repeats the indexed expression exactly.
 * - (created_at, id) and (owner_id, created_at, id) serve the list's keyset paging,
 *   for an admin and for a rep; the latter replaces leads_owner_idx.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const trgm = await trigramSchema(db);
  const statements = [
    `create table lead_merges (
      merged_id uuid primary key,
      into_id uuid not null references leads (id) on delete cascade,
      email text not null,
      record jsonb not null,
      merged_at timestamptz not null
    )`,
    `create index lead_merges_into_idx on lead_merges (into_id)`,
    `insert into lead_merges (merged_id, into_id, email, record, merged_at)
      select l.id, r.keep, l.email, to_jsonb(l), now()
      from (select id, first_value(id) over (partition by lower(email) order by created_at, id) as keep from leads) r
      join leads l on l.id = r.id
      where r.id <> r.keep`,
    `update leads s set
        first_name = coalesce(s.first_name, d.first_name),
        last_name = coalesce(s.last_name, d.last_name),
        company = coalesce(s.company, d.company),
        phone = coalesce(s.phone, d.phone),
        owner_id = coalesce(s.owner_id, d.owner_id),
        timezone = coalesce(s.timezone, d.timezone),
        fields = coalesce(d.fields, '{}'::jsonb) || s.fields,
        unsubscribed = s.unsubscribed or d.unsubscribed,
        bounced = s.bounced or d.bounced,
        converted = s.converted or d.converted,
        updated_at = now()
      from (
        select m.into_id,
          (array_agg(l.first_name order by l.created_at, l.id) filter (where l.first_name is not null))[1] as first_name,
          (array_agg(l.last_name order by l.created_at, l.id) filter (where l.last_name is not null))[1] as last_name,
          (array_agg(l.company order by l.created_at, l.id) filter (where l.company is not null))[1] as company,
          (array_agg(l.phone order by l.created_at, l.id) filter (where l.phone is not null))[1] as phone,
          (array_agg(l.owner_id order by l.created_at, l.id) filter (where l.owner_id is not null))[1] as owner_id,
          (array_agg(l.timezone order by l.created_at, l.id) filter (where l.timezone is not null))[1] as timezone,
          (select jsonb_object_agg(f.key, f.value) from (
            select distinct on (e.key) e.key, e.value
            from lead_merges m2 join leads l2 on l2.id = m2.merged_id, jsonb_each(l2.fields) e
            where m2.into_id = m.into_id
            order by e.key, l2.created_at, l2.id) f) as fields,
          bool_or(l.unsubscribed) as unsubscribed,
          bool_or(l.bounced) as bounced,
          bool_or(l.converted) as converted
        from lead_merges m join leads l on l.id = m.merged_id
        group by m.into_id
      ) d
      where s.id = d.into_id`,
    `create temporary table lead_merge_exits on commit drop as
      select id from (
        select e.id, row_number() over (
          partition by coalesce(m.into_id, e.record_id), e.cadence_id
          order by (m.into_id is not null), e.seq) as n
        from enrollments e left join lead_merges m on m.merged_id = e.record_id
        where e.status in ('pending', 'active', 'paused')
          and (e.record_id in (select merged_id from lead_merges) or e.record_id in (select into_id from lead_merges))
      ) ranked
      where n > 1`,
    `update enrollments set status = 'exited', exit_reason = 'manual', ended_at = now(), updated_at = now(),
        next_due_at = null, resume_at = null
      where id in (select id from lead_merge_exits)`,
    `update tasks set status = 'cancelled' where status = 'open' and enrollment_id in (select id from lead_merge_exits)`,
    `update emails set status = 'cancelled' where status = 'queued' and enrollment_id in (select id from lead_merge_exits)`,
    ...['enrollments', 'tasks', 'emails', 'signals', 'record_events'].map(
      (table) => `update ${table} t set record_id = m.into_id from lead_merges m where t.record_id = m.merged_id`,
    ),
    `delete from leads where id in (select merged_id from lead_merges)`,
    `drop index leads_email_idx`,
    `create unique index leads_email_unique on leads (lower(email))`,
    `create index leads_search_trgm on leads using gin (
      (coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || email || ' ' || coalesce(company, ''))
      "${trgm}".gin_trgm_ops)`,
    `drop index leads_owner_idx`,
    `create index leads_owner_created_idx on leads (owner_id, created_at, id)`,
    `create index leads_created_idx on leads (created_at, id)`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
  const merged = await sql<{ n: number }>`select count(*)::int as n from lead_merges`.execute(db);
  const n = merged.rows[0]?.n ?? 0;
  if (n > 0) {
    console.warn(
      `migration 0009: merged ${n} lead(s) sharing an email (case-insensitive) into the oldest lead of each email; ` +
        `each merged lead's row is kept in table lead_merges (merged_id, into_id, email, record)`,
    );
  }
}

/** Where pg_trgm lives: where it is installed, else public, else the current schema (after installing it there). */
async function trigramSchema(db: Kysely<unknown>): Promise<string> {
  const found = await sql<{ schema: string }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
  if (found.rows[0]) return found.rows[0].schema;
  const target = await sql<{ schema: string }>`
    select coalesce((select nspname from pg_namespace where nspname = 'public'), current_schema()) as schema`.execute(db);
  const schema = target.rows[0]!.schema;
  await sql.raw(`create extension pg_trgm with schema "${schema}"`).execute(db);
  return schema;
}

export async function down(): Promise<void> {
  throw new Error('migrations are append-only');
}
