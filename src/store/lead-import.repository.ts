import { sql } from 'kysely';
import type { Handle } from './database.ts';
import type { LeadRow } from './schema.ts';

/** One lead of an import as it goes in: undefined (null) values leave an existing lead's value as it is. */
export interface ImportedLead {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  phone: string | null;
  status: string | null;
  ownerId: string | null;
  timezone: string | null;
  /** Custom fields, merged into an existing lead's. */
  fields: Record<string, string>;
}

/** Rows a statement carries: ten arrays, one parameter each, so the size is the server's memory, not its parameter limit. */
export const IMPORT_BATCH = 5_000;

/** The users with these (lower-cased) emails, by lower-cased email, and whether each is deactivated. */
export async function usersByEmail(h: Handle, emails: string[]): Promise<Map<string, { id: string; deactivated: boolean }>> {
  if (emails.length === 0) return new Map();
  const { rows } = await sql<{ id: string; email: string; deactivated: boolean }>`
    select id, lower(email) as email, deactivated_at is not null as deactivated
    from users where lower(email) = any(${emails}::text[])`.execute(h);
  return new Map(rows.map((r) => [r.email, { id: r.id, deactivated: r.deactivated }]));
}

/** Which of these (lower-cased) emails a lead has already. */
export async function existingLeadEmails(h: Handle, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const { rows } = await sql<{ email: string }>`
    select lower(email) as email from leads where lower(email) = any(${emails}::text[])`.execute(h);
  return new Set(rows.map((r) => r.email));
}

/**
 * Creates or updates one batch of leads in one statement, by email (case-insensitive,
 * the unique index leads_email_unique). An existing lead gets the batch's non-null
 * values and its custom fields merged; a new one gets status `New` and `defaultOwnerId`
 * when the row names none. A lead created by someone else since this statement began
 * is updated through `on conflict (lower(email))`, never duplicated. Answers each lead
 * as written, and whether it was created.
 */
export async function upsertLeads(
  h: Handle,
  leads: ImportedLead[],
  defaultOwnerId: string,
  now: Date,
): Promise<Array<LeadRow & { inserted: boolean }>> {
  if (leads.length === 0) return [];
  const col = <T>(f: (l: ImportedLead) => T) => leads.map(f);
  const { rows } = await sql<LeadRow & { inserted: boolean }>`
    with v as (
      select * from unnest(
        ${col((l) => l.id)}::uuid[], ${col((l) => l.email)}::text[], ${col((l) => l.firstName)}::text[],
        ${col((l) => l.lastName)}::text[], ${col((l) => l.company)}::text[], ${col((l) => l.phone)}::text[],
        ${col((l) => l.status)}::text[], ${col((l) => l.ownerId)}::uuid[], ${col((l) => l.timezone)}::text[],
        ${col((l) => JSON.stringify(l.fields))}::text[]
      ) as v(id, email, first_name, last_name, company, phone, status, owner_id, timezone, fields)
    ),
    upd as (
      update leads l set
        first_name = coalesce(v.first_name, l.first_name),
        last_name = coalesce(v.last_name, l.last_name),
        company = coalesce(v.company, l.company),
        phone = coalesce(v.phone, l.phone),
        status = coalesce(v.status, l.status),
        owner_id = coalesce(v.owner_id, l.owner_id),
        timezone = coalesce(v.timezone, l.timezone),
        fields = l.fields || v.fields::jsonb,
        updated_at = ${now}
      from v where lower(l.email) = lower(v.email)
      returning l.*
    ),
    ins as (
      insert into leads as l (id, module, email, first_name, last_name, company, phone, status, owner_id, timezone, fields, created_at, updated_at)
      select v.id, 'lead', v.email, v.first_name, v.last_name, v.company, v.phone, coalesce(v.status, 'New'),
        coalesce(v.owner_id, ${defaultOwnerId}::uuid), v.timezone, v.fields::jsonb, ${now}, ${now}
      from v where lower(v.email) not in (select lower(email) from upd)
      on conflict (lower(email)) do update set
        first_name = coalesce(excluded.first_name, l.first_name),
        last_name = coalesce(excluded.last_name, l.last_name),
        company = coalesce(excluded.company, l.company),
        phone = coalesce(excluded.phone, l.phone),
        timezone = coalesce(excluded.timezone, l.timezone),
        fields = l.fields || excluded.fields,
        updated_at = excluded.updated_at
      returning l.*, (l.xmax = 0) as inserted
    )
    select upd.*, false as inserted from upd
    union all
    select * from ins`.execute(h);
  return rows;
}
