import { sql, type RawBuilder } from 'kysely';
import type { TaskDueBucket, TaskSort } from '../contract/enums.ts';
import type { Handle } from './database.ts';
import type { TaskQuery } from './task.repository.ts';
import type { TaskRow } from './schema.ts';

/**
 * How long an intent keeps a lead hot: a human click, a reply, or a boost firing on
 * the task's enrolment within the last HOT_WINDOW_MS before the app clock's now.
 * Opens do not count on their own (machine opens make them noise); an open that
 * mattered fired a boost, which counts.
 */
export const HOT_WINDOW_MS = 3 * 24 * 3600_000;

export interface TaskQueueQuery extends TaskQuery {
  due?: TaskDueBucket;
  sort?: TaskSort;
}

export interface TaskQueueRow extends TaskRow {
  lead_first_name: string | null;
  lead_last_name: string | null;
  lead_email: string;
  lead_company: string | null;
  lead_phone: string | null;
  lead_timezone: string | null;
  cadence_name: string | null;
  cadence_ref: string | null;
  step_index: number | null;
  step_count: number | null;
  hot_reason: 'replied' | 'clicked' | 'boost' | null;
  /** When that intent happened (the latest one that makes the lead hot). */
  hot_at: Date | null;
}

/**
 * One page of the queue with everything a row shows, in one statement. The page is
 * chosen first (tasks_queue_idx gives a rep's open tasks in (due_at, id) order, so
 * `sort=due` reads only the page); the lead, cadence and step position are joined
 * to the page's rows only. `sort=priority` needs hotness before the limit.
 */
export function taskQueuePage(q: TaskQueueQuery, visibleTo: string | null, now: Date, awayUntil: Date | null = null) {
  const since = new Date(now.getTime() - HOT_WINDOW_MS);
  const where: RawBuilder<unknown>[] = [];
  if (visibleTo !== null) where.push(sql`t.owner_id = ${visibleTo}`);
  if (q.ownerId) where.push(sql`t.owner_id = ${q.ownerId}`);
  if (q.status) where.push(sql`t.status = ${q.status}`);
  if (q.enrollmentId) where.push(sql`t.enrollment_id = ${q.enrollmentId}`);
  if (q.recordId) where.push(sql`t.record_id = ${q.recordId}`);
  if (q.due) where.push(dueCondition(q.due, visibleTo ?? q.ownerId ?? null, now, awayUntil));
  const filter = where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``;
  const intent = sql`(s.type = 'replied' or (s.type = 'clicked' and not s.machine))`;
  const recent = sql`
    select s.enrollment_id, case when s.type = 'replied' then 'replied' else 'clicked' end as reason, s.at
      from signals s where s.at >= ${since} and s.at <= ${now} and ${intent}
    union all
    select b.enrollment_id, 'boost', b.fired_at from boost_firings b where b.fired_at >= ${since} and b.fired_at <= ${now}`;
  // By due: the page is read in index order and only its rows probe for intent. By
  // priority: every candidate needs its hotness, so the few recent intents are read
  // once by time (signals_recent_intent_idx) and hashed against the candidates.
  const hot = q.sort === 'priority'
    ? sql`left join (
        select distinct on (x.enrollment_id) x.enrollment_id, x.reason, x.at from (${recent}) x
        where x.enrollment_id is not null order by x.enrollment_id, x.at desc
      ) hot on hot.enrollment_id = t.enrollment_id`
    : sql`left join lateral (
        select x.reason, x.at from (${recent}) x where x.enrollment_id = t.enrollment_id order by x.at desc limit 1
      ) hot on true`;
  const order = q.sort === 'priority'
    ? sql`order by (hot.reason is not null) desc, t.due_at, t.id`
    : sql`order by t.due_at, t.id`;
  const pageOrder = q.sort === 'priority'
    ? sql`order by (p.hot_reason is not null) desc, p.due_at, p.id`
    : sql`order by p.due_at, p.id`;
  return sql<TaskQueueRow>`
    select p.*,
      l.first_name as lead_first_name, l.last_name as lead_last_name, l.email as lead_email,
      l.company as lead_company, l.phone as lead_phone, l.timezone as lead_timezone,
      c.id as cadence_ref, c.name as cadence_name,
      pos.step_index, jsonb_array_length(cv.definition -> 'steps') as step_count
    from (
      select t.*, hot.reason as hot_reason, hot.at as hot_at from tasks t ${hot}
      ${filter} ${order} limit ${q.limit} offset ${q.offset}
    ) p
    join leads l on l.id = p.record_id
    left join enrollments e on e.id = p.enrollment_id
    left join cadences c on c.id = e.cadence_id
    left join cadence_versions cv on cv.cadence_id = e.cadence_id and cv.version = e.cadence_version
    left join lateral (
      select (s.n - 1)::int as step_index
      from jsonb_array_elements(cv.definition -> 'steps') with ordinality as s(step, n)
      where s.step ->> 'id' = p.step_id limit 1
    ) pos on true
    ${pageOrder}`;
}

export async function findTaskQueuePage(h: Handle, q: TaskQueueQuery, visibleTo: string | null, now: Date): Promise<TaskQueueRow[]> {
  const owner = visibleTo ?? q.ownerId ?? null;
  const awayUntil = q.due && owner !== null ? await timeOffEnd(h, owner, now) : null;
  return (await taskQueuePage(q, visibleTo, now, awayUntil).execute(h)).rows;
}

/** When the user's time off running at `now` ends (the latest, if several overlap); null when at work. */
async function timeOffEnd(h: Handle, userId: string, now: Date): Promise<Date | null> {
  const row = await h.selectFrom('time_off').select((eb) => eb.fn.max('ends_at').as('ends_at'))
    .where('user_id', '=', userId).where('starts_at', '<=', now).where('ends_at', '>', now).executeTakeFirst();
  return row?.ends_at ?? null;
}

/**
 * Calendar days in the owner's zone (the organisation's when the owner has none):
 * `overdue` was due before today began, `today` falls within today, `upcoming` from
 * tomorrow on. With one owner the zone is read once, so the bounds are constants
 * and the queue index serves the range; otherwise each task's owner decides.
 *
 * An owner on time off has nothing due until it ends (SPEC: their cadences pause):
 * each task counts as due at the later of its due time and the end (`awayUntil` for
 * one owner, looked up beforehand so that the range stays on the index; for many,
 * each owner's own).
 */
function dueCondition(due: TaskDueBucket, owner: string | null, now: Date, awayUntil: Date | null): RawBuilder<unknown> {
  const zone = owner !== null
    ? sql`(select coalesce(u.timezone, o.timezone) from organization o left join users u on u.id = ${owner} limit 1)`
    : sql`coalesce((select u.timezone from users u where u.id = t.owner_id), (select o.timezone from organization o limit 1))`;
  const today = sql`(date_trunc('day', ${now}::timestamptz at time zone ${zone}) at time zone ${zone})`;
  const tomorrow = sql`((date_trunc('day', ${now}::timestamptz at time zone ${zone}) + interval '1 day') at time zone ${zone})`;
  if (owner === null) {
    const away = sql`(select max(o.ends_at) from time_off o where o.user_id = t.owner_id and o.starts_at <= ${now} and o.ends_at > ${now})`;
    const dueAt = sql`greatest(t.due_at, ${away})`;
    return bucket(due, dueAt, today, tomorrow);
  }
  if (awayUntil === null) return bucket(due, sql`t.due_at`, today, tomorrow);
  // Away: due at the later of the two, with the index range kept where it can be.
  switch (due) {
    case 'overdue': return sql`false`;
    case 'today': return sql`t.due_at < ${tomorrow} and ${awayUntil}::timestamptz < ${tomorrow}`;
    case 'upcoming': return sql`(t.due_at >= ${tomorrow} or ${awayUntil}::timestamptz >= ${tomorrow})`;
  }
}

function bucket(due: TaskDueBucket, dueAt: RawBuilder<unknown>, today: RawBuilder<unknown>, tomorrow: RawBuilder<unknown>): RawBuilder<unknown> {
  switch (due) {
    case 'overdue': return sql`${dueAt} < ${today}`;
    case 'today': return sql`${dueAt} >= ${today} and ${dueAt} < ${tomorrow}`;
    case 'upcoming': return sql`${dueAt} >= ${tomorrow}`;
  }
}
