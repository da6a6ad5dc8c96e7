import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Handle } from './database.ts';
import type { DB, LeadRow } from './schema.ts';

/**
 * Which leads a list, an enrolment by filter or a preflight means: every field optional,
 * all given ones must hold.
 * - `q`: a substring of "first last", the email or the company, any case;
 * - `status`: the lead's status, exactly;
 * - `ownerId`: the owner (a rep's own leads: pass the rep's id);
 * - `cadenceId`: leads with an enrolment (any state) in that cadence.
 */
export interface LeadFilter {
  q?: string;
  status?: string;
  ownerId?: string;
  cadenceId?: string;
}

/** Where a page starts: after this lead, in the list's order (newest first). */
export interface LeadCursor {
  createdAt: Date;
  id: string;
}

/**
 * The text the trigram index leads_search_trgm (migration 0009) is built on: the
 * expression must stay exactly this for PostgreSQL to use the index.
 */
const SEARCH_TEXT = sql<string>`(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || email || ' ' || coalesce(company, ''))`;

/** `q` as a LIKE pattern matching it anywhere, its own % _ and \ taken literally. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The conditions of a filter on a query over `leads`. */
function applyFilter<O>(query: SelectQueryBuilder<DB, 'leads', O>, filter: LeadFilter): SelectQueryBuilder<DB, 'leads', O> {
  let q = query;
  const text = filter.q?.trim();
  if (text) q = q.where(sql<boolean>`${SEARCH_TEXT} ilike ${containsPattern(text)}`);
  if (filter.status !== undefined) q = q.where('leads.status', '=', filter.status);
  if (filter.ownerId !== undefined) q = q.where('leads.owner_id', '=', filter.ownerId);
  if (filter.cadenceId !== undefined) {
    const cadenceId = filter.cadenceId;
    q = q.where((eb: ExpressionBuilder<DB, 'leads'>) =>
      eb.exists(
        eb.selectFrom('enrollments').select(sql.lit(1).as('one'))
          .whereRef('enrollments.record_id', '=', 'leads.id')
          .where('enrollments.cadence_id', '=', cadenceId),
      ),
    );
  }
  return q;
}

/** Newest first; after the cursor when given. */
function ordered<O>(query: SelectQueryBuilder<DB, 'leads', O>, after: LeadCursor | undefined): SelectQueryBuilder<DB, 'leads', O> {
  let q = query;
  if (after) q = q.where((eb) => eb(eb.refTuple('leads.created_at', 'leads.id'), '<', eb.tuple(after.createdAt, after.id)));
  return q.orderBy('leads.created_at', 'desc').orderBy('leads.id', 'desc');
}

/**
 * The ids of up to `limit` leads matching the filter, newest first: one statement, the
 * trigram index serving `q`. For enrolment by filter and its preflight.
 */
export async function findMatchingLeadIds(h: Handle, filter: LeadFilter, limit: number): Promise<string[]> {
  const rows = await ordered(applyFilter(h.selectFrom('leads').select('leads.id'), filter), undefined).limit(limit).execute();
  return rows.map((r) => r.id);
}

/** How many leads match, counting up to `cap` (a count past it answers `cap`). */
export async function countMatchingLeads(h: Handle, filter: LeadFilter, cap: number): Promise<number> {
  const inner = applyFilter(h.selectFrom('leads').select('leads.id'), filter).limit(cap);
  const row = await h.selectFrom(inner.as('m')).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page of the leads list: up to `limit` rows after the cursor, newest first. */
export async function findLeadsPage(h: Handle, filter: LeadFilter, limit: number, after?: LeadCursor): Promise<LeadRow[]> {
  return leadsPageQuery(h, filter, limit, after).execute();
}

/** The statement findLeadsPage runs (the benchmark EXPLAINs it). */
export function leadsPageQuery(h: Handle, filter: LeadFilter, limit: number, after?: LeadCursor) {
  return ordered(applyFilter(h.selectFrom('leads').selectAll('leads'), filter), after).limit(limit);
}

export interface LeadEnrollmentRow {
  record_id: string;
  id: string;
  cadence_id: string;
  cadence_name: string;
  status: string;
  total: number;
}

/**
 * The enrolments the list shows for these leads, in one statement: per lead, live ones
 * first, then the latest, at most `perLead`, each row with the lead's total.
 */
export async function findLeadEnrollmentSummaries(h: Handle, recordIds: string[], perLead: number): Promise<LeadEnrollmentRow[]> {
  if (recordIds.length === 0) return [];
  const { rows } = await sql<LeadEnrollmentRow>`
    select record_id, id, cadence_id, cadence_name, status, total from (
      select e.record_id, e.id, e.cadence_id, c.name as cadence_name, e.status,
        count(*) over (partition by e.record_id)::int as total,
        row_number() over (
          partition by e.record_id
          order by (e.status in ('pending', 'active', 'paused')) desc, e.enrolled_at desc, e.id
        ) as n
      from enrollments e join cadences c on c.id = e.cadence_id
      where e.record_id in (${sql.join(recordIds)})
    ) ranked
    where n <= ${perLead}
    order by record_id, n`.execute(h);
  return rows;
}

/** Which of these (lower-cased) emails some lead has already, with that lead's id; `exceptId` left out. */
export async function findLeadIdsByEmails(h: Handle, emails: string[], exceptId?: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < emails.length; i += 5000) {
    let q = h.selectFrom('leads').select(['id', sql<string>`lower(email)`.as('key')])
      .where(sql<string>`lower(email)`, 'in', emails.slice(i, i + 5000));
    if (exceptId) q = q.where('id', '<>', exceptId);
    for (const r of await q.execute()) found.set(r.key, r.id);
  }
  return found;
}
