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
  return ordered(applyFilter(h.selectFrom('leads').selectAll('leads'), filter), after).limit(limit).execute();
}
