import { sql, type RawBuilder } from 'kysely';
import type { Handle } from './database.ts';

/**
 * A cadence's analytics from one event stream: every enrolment start, exit, email
 * sent, human open, click, reply, bounce, unsubscribe, meeting, task done and step
 * executed or skipped, as rows `(kind, step_id, detail, enrollment_id, record_id,
 * owner_id, at)`. The stats group it in one statement; the leads behind a number
 * read the same stream, so a list always matches its number.
 *
 * A signal that names a lead but no email (a reply matched by its sender, a meeting
 * booked through a call or a calendar) counts for the enrolment of this cadence that
 * was live when it came. Machine opens count for nothing.
 */

export type EventKind =
  | 'enrolled' | 'exited' | 'sent' | 'opened' | 'clicked' | 'replied' | 'bounced' | 'unsubscribed' | 'meeting_booked'
  | 'task_done' | 'executed' | 'skipped';

export const SIGNAL_KINDS = ['opened', 'clicked', 'replied', 'bounced', 'unsubscribed', 'meeting_booked'] as const;
/** Signals that may name only the lead. */
const LEAD_SIGNAL_KINDS = ['replied', 'bounced', 'unsubscribed', 'meeting_booked'] as const;

export interface StatsScope {
  cadenceId: string;
  /** Instants: `from` included, `to` excluded; null: unbounded. */
  from: Date | null;
  to: Date | null;
  /** The leads of one owner. */
  ownerId: string | null;
}

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));

/** The event stream of a cadence, restricted to some kinds (each kind one branch; the others are not read). */
function events(scope: StatsScope, kinds: readonly EventKind[]): RawBuilder<unknown> {
  const has = (k: EventKind) => kinds.includes(k);
  const branches: RawBuilder<unknown>[] = [];
  const row = (kind: RawBuilder<unknown>, step: RawBuilder<unknown>, detail: RawBuilder<unknown>, at: RawBuilder<unknown>) =>
    sql`select ${kind} as kind, ${step} as step_id, ${detail} as detail, e.id as enrollment_id, e.record_id, e.owner_id, ${at} as at`;
  const none = sql`null::text`;
  if (has('enrolled')) branches.push(sql`${row(sql`'enrolled'`, none, sql`e.status`, sql`e.enrolled_at`)} from e`);
  if (has('exited')) {
    branches.push(sql`${row(sql`'exited'`, none, sql`e.exit_reason`, sql`coalesce(e.ended_at, e.updated_at)`)} from e where e.status = 'exited'`);
  }
  if (has('sent')) {
    branches.push(sql`${row(sql`'sent'`, sql`m.step_id`, none, sql`m.sent_at`)}
      from emails m join e on e.id = m.enrollment_id where m.status = 'sent' and m.sent_at is not null`);
  }
  const signalKinds = SIGNAL_KINDS.filter((k) => has(k));
  if (signalKinds.length > 0) {
    branches.push(sql`${row(sql`s.type`, sql`s.step_id`, none, sql`s.at`)}
      from signals s join e on e.id = s.enrollment_id where not s.machine and s.type in (${list(signalKinds)})`);
  }
  const leadKinds = LEAD_SIGNAL_KINDS.filter((k) => has(k));
  if (leadKinds.length > 0) {
    branches.push(sql`${row(sql`s.type`, none, none, sql`s.at`)}
      from signals s join e on e.record_id = s.record_id
      where s.enrollment_id is null and not s.machine and s.type in (${list(leadKinds)})
        and s.at >= e.enrolled_at and (e.ended_at is null or s.at <= e.ended_at)`);
  }
  if (has('task_done')) {
    branches.push(sql`${row(sql`'task_done'`, sql`t.step_id`, sql`case when t.type = 'call' then t.outcome end`, sql`coalesce(t.completed_at, t.due_at)`)}
      from tasks t join e on e.id = t.enrollment_id where t.status = 'completed'`);
  }
  const outcomes = (['executed', 'skipped'] as const).filter((k) => has(k));
  if (outcomes.length > 0) {
    branches.push(sql`${row(sql`x.outcome`, sql`x.step_id`, none, sql`x.at`)}
      from step_executions x join e on e.id = x.enrollment_id where x.outcome in (${list(outcomes)})`);
  }
  const owner = scope.ownerId ? sql`and l.owner_id = ${scope.ownerId}` : sql``;
  const from = scope.from ? sql`and ev.at >= ${scope.from.toISOString()}::timestamptz` : sql``;
  const to = scope.to ? sql`and ev.at < ${scope.to.toISOString()}::timestamptz` : sql``;
  return sql`with e as (
      select e.id, e.record_id, e.status, e.exit_reason, e.enrolled_at, e.ended_at, e.updated_at, l.owner_id
      from enrollments e join leads l on l.id = e.record_id
      where e.cadence_id = ${scope.cadenceId} ${owner}
    ),
    ev as (${sql.join(branches, sql` union all `)})
    select ev.* from ev where true ${from} ${to}`;
}

export interface StatRow {
  /** Which grouping the row is: by step and detail, by owner, or by day. */
  by: 'step' | 'owner' | 'day';
  kind: EventKind;
  step_id: string | null;
  detail: string | null;
  owner_id: string | null;
  day: string | null;
  /** Events. */
  n: number;
  /** Distinct enrolments. */
  enrollments: number;
}

const ALL_KINDS: EventKind[] = [
  'enrolled', 'exited', 'sent', 'opened', 'clicked', 'replied', 'bounced', 'unsubscribed', 'meeting_booked', 'task_done', 'executed', 'skipped',
];

/** The whole stream grouped three ways in one statement: by (kind, step, detail), by (kind, owner), by (kind, day in `zone`). */
export async function cadenceStatRows(h: Handle, scope: StatsScope, zone: string): Promise<StatRow[]> {
  return (await cadenceStatsQuery(scope, zone).execute(h)).rows;
}

/** The statement behind cadenceStatRows (to read its plan). */
export function cadenceStatsQuery(scope: StatsScope, zone: string): RawBuilder<StatRow> {
  return sql<StatRow>`
    with x as (
      select s.*, (s.at at time zone ${zone})::date::text as day from (${events(scope, ALL_KINDS)}) s
    )
    select case when grouping(x.owner_id) = 0 then 'owner' when grouping(x.day) = 0 then 'day' else 'step' end as by,
      x.kind, x.step_id, x.detail, x.owner_id, x.day,
      count(*)::int as n, count(distinct x.enrollment_id)::int as enrollments
    from x
    group by grouping sets ((x.kind, x.step_id, x.detail), (x.kind, x.owner_id), (x.kind, x.day))`;
}

export interface StatsLeadFilter {
  kind: EventKind;
  stepId: string | null;
  detail: string | null;
  /** Only the leads of this owner (a rep sees their own). */
  visibleTo: string | null;
}

export interface StatsLeadRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string;
  company: string | null;
  sort_key: string;
}

const SORT_KEY = sql`lower(coalesce(nullif(trim(concat_ws(' ', l.first_name, l.last_name)), ''), l.email))`;

/** One page of the leads behind a number, by name then id, after `after` (the last row of the page before). */
export async function statsLeadRows(
  h: Handle, scope: StatsScope, filter: StatsLeadFilter, limit: number, after: { key: string; id: string } | null,
): Promise<StatsLeadRow[]> {
  const step = filter.stepId !== null ? sql`and ev.step_id = ${filter.stepId}` : sql``;
  const detail = filter.detail !== null ? sql`and ev.detail = ${filter.detail}` : sql``;
  const visible = filter.visibleTo ? sql`and l.owner_id = ${filter.visibleTo}` : sql``;
  const page = after ? sql`and (${SORT_KEY}, l.id) > (${after.key}, ${after.id}::uuid)` : sql``;
  const { rows } = await sql<StatsLeadRow>`
    select l.id, l.first_name, l.last_name, l.email, l.company, ${SORT_KEY} as sort_key
    from leads l
    where l.id in (select ev.record_id from (${events(scope, [filter.kind])}) ev where ev.kind = ${filter.kind} ${step} ${detail})
      ${visible} ${page}
    order by ${SORT_KEY}, l.id
    limit ${limit}`.execute(h);
  return rows;
}

/** The names of some users (the reps of the answer). */
export async function userNames(h: Handle, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await h.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
