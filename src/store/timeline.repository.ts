import { sql, type RawBuilder } from 'kysely';
import type { Handle } from './database.ts';

/**
 * One lead's history, read from where each event is already recorded: enrolments
 * (enrolled, ended), emails (sent), signals (opens, clicks, replies, others' replies,
 * bounces, auto-replies, unsubscribes, conversions, meetings), tasks (created, done, skipped),
 * step executions (skipped steps) and record_events (pauses, resumes, field changes;
 * migration 0008). One statement: each source gives its newest `limit` rows after the
 * cursor from its own index on the record, and the union keeps the newest of those.
 */

export type TimelineRowType =
  | 'enrolled' | 'completed' | 'exited' | 'email_sent' | 'signal' | 'task_created' | 'task_completed'
  | 'task_skipped' | 'step_skipped' | 'paused' | 'resumed' | 'field_changed';

export interface TimelineRow {
  at: Date;
  /**
   * `rank:id`. Orders events of one instant so that a consequence comes above its cause
   * (newest first): 0 enrolled, 1 field changed, 2 signals, 3 task done or skipped, 4 step
   * skipped, 5 email sent, 6 task created, 7 paused or resumed, 8 exited or completed.
   * With the instant it makes the cursor exact.
   */
  key: string;
  type: TimelineRowType;
  /** For `signal` rows: the signal's own type. */
  signal_type: string | null;
  enrollment_id: string | null;
  email_id: string | null;
  task_id: string | null;
  machine: boolean | null;
  cadence_name: string | null;
  /** An email's subject or a task's title. */
  subject: string | null;
  task_type: string | null;
  outcome: string | null;
  note: string | null;
  /** Why an enrolment ended or a step was skipped. */
  reason: string | null;
  step_index: number | null;
  data: Record<string, unknown> | null;
}

export interface TimelineCursor {
  at: Date;
  key: string;
}

/** Signal types the timeline shows, as stored. */
export const TIMELINE_SIGNALS = ['opened', 'clicked', 'replied', 'reply_other', 'bounced', 'soft_bounced', 'auto_reply', 'unsubscribed', 'converted', 'meeting_booked'];

/** The newest `limit` events of a record before `before` (all when null), newest first. */
export async function findTimeline(h: Handle, recordId: string, limit: number, before: TimelineCursor | null): Promise<TimelineRow[]> {
  const older = (at: RawBuilder<unknown>, key: RawBuilder<unknown>) =>
    before ? sql`and (${at}, ${key}) < (${before.at}::timestamptz, ${before.key}::text)` : sql``;
  const page = sql`order by at desc, key desc limit ${limit}`;
  // Columns of every branch, in order: at, key, type, signal_type, enrollment_id, email_id,
  // task_id, machine, cadence_name, subject, task_type, outcome, note, reason, step_index, data.
  const branches: RawBuilder<unknown>[] = [
    sql`select e.enrolled_at as at, '0:' || e.id as key, 'enrolled' as type, null::text as signal_type,
        e.id as enrollment_id, null::uuid as email_id, null::uuid as task_id, null::boolean as machine,
        c.name as cadence_name, null::text as subject, null::text as task_type, null::text as outcome,
        null::text as note, null::text as reason, null::int as step_index, null::jsonb as data
      from enrollments e join cadences c on c.id = e.cadence_id
      where e.record_id = ${recordId} ${older(sql`e.enrolled_at`, sql`'0:' || e.id`)} ${page}`,
    sql`select e.ended_at as at, '8:' || e.id as key, case e.status when 'completed' then 'completed' else 'exited' end, null,
        e.id, null, null, null, c.name, null, null, null, null,
        case when e.status = 'failed' then 'failed: ' || coalesce(e.failure_reason, 'unknown') else e.exit_reason end, null, null
      from enrollments e join cadences c on c.id = e.cadence_id
      where e.record_id = ${recordId} and e.ended_at is not null and e.status in ('completed', 'exited', 'failed')
        ${older(sql`e.ended_at`, sql`'8:' || e.id`)} ${page}`,
    sql`select m.sent_at as at, '5:' || m.id as key, 'email_sent', null, m.enrollment_id, m.id, m.task_id, null, null, m.subject,
        null, null, null, null, null, null
      from emails m
      where m.record_id = ${recordId} and m.status = 'sent' and m.sent_at is not null
        ${older(sql`m.sent_at`, sql`'5:' || m.id`)} ${page}`,
    sql`select s.at as at, '2:' || s.id as key, 'signal', s.type, s.enrollment_id, s.email_id, null, s.machine, null, m.subject,
        null, null, null, null, null, s.data
      from signals s left join emails m on m.id = s.email_id
      where s.record_id = ${recordId} and s.type = any(${TIMELINE_SIGNALS}::text[])
        ${older(sql`s.at`, sql`'2:' || s.id`)} ${page}`,
    sql`select t.created_at as at, '6:' || t.id as key, 'task_created', null, t.enrollment_id, null, t.id, null, null, t.title,
        t.type, null, null, null, null, null
      from tasks t
      where t.record_id = ${recordId} ${older(sql`t.created_at`, sql`'6:' || t.id`)} ${page}`,
    sql`select t.completed_at as at, '3:' || t.id as key, case t.status when 'completed' then 'task_completed' else 'task_skipped' end, null,
        t.enrollment_id, m.id, t.id, null, null, t.title, t.type, case t.status when 'completed' then t.outcome end, t.note,
        null, null, null
      from tasks t left join emails m on m.task_id = t.id
      where t.record_id = ${recordId} and t.completed_at is not null
        and (t.status = 'completed' or (t.status = 'cancelled' and t.outcome = 'skipped'))
        ${older(sql`t.completed_at`, sql`'3:' || t.id`)} ${page}`,
    sql`select x.at as at, '4:' || x.enrollment_id || ':' || x.step_id as key, 'step_skipped', null, x.enrollment_id, null, null, null,
        c.name, null, null, null, null, x.reason, pos.step_index, null
      from step_executions x
      join enrollments e on e.id = x.enrollment_id
      join cadences c on c.id = e.cadence_id
      left join cadence_versions v on v.cadence_id = e.cadence_id and v.version = x.cadence_version
      left join lateral (
        select (s.n - 1)::int as step_index
        from jsonb_array_elements(v.definition -> 'steps') with ordinality as s(step, n)
        where s.step ->> 'id' = x.step_id limit 1
      ) pos on true
      where e.record_id = ${recordId} and x.outcome = 'skipped'
        ${older(sql`x.at`, sql`'4:' || x.enrollment_id || ':' || x.step_id`)} ${page}`,
    sql`select r.at as at, case r.type when 'field_changed' then '1:' else '7:' end || r.id as key, r.type, null, r.enrollment_id, null,
        null, null, c.name, null, null, null, null, null, null, r.data
      from record_events r
      left join enrollments e on e.id = r.enrollment_id
      left join cadences c on c.id = e.cadence_id
      where r.record_id = ${recordId}
        ${older(sql`r.at`, sql`case r.type when 'field_changed' then '1:' else '7:' end || r.id`)} ${page}`,
  ];
  const union = sql.join(branches.map((b) => sql`(${b})`), sql` union all `);
  const { rows } = await sql<TimelineRow>`select * from (${union}) as items order by at desc, key desc limit ${limit}`.execute(h);
  return rows;
}
