import { sql } from 'kysely';
import type { Handle } from './database.ts';
import type { CadenceRow } from './schema.ts';

export interface CadenceListRow extends CadenceRow {
  step_count: number;
  pending: number; active: number; paused: number; completed: number; exited: number; failed: number;
  started: number;
  replied: number;
  meetings: number;
}

/**
 * Every cadence with its enrolments per state and how many had a human reply or a
 * meeting (a signal on the enrolment, or its exit for that reason): one statement,
 * enrolments and signals grouped once, whatever the number of cadences.
 */
export async function listCadencesWithCounts(h: Handle): Promise<CadenceListRow[]> {
  const { rows } = await sql<CadenceListRow>`
    select c.*, jsonb_array_length(v.definition->'steps')::int as step_count,
      coalesce(a.pending, 0)::int as pending, coalesce(a.active, 0)::int as active, coalesce(a.paused, 0)::int as paused,
      coalesce(a.completed, 0)::int as completed, coalesce(a.exited, 0)::int as exited, coalesce(a.failed, 0)::int as failed,
      coalesce(a.started, 0)::int as started, coalesce(a.replied, 0)::int as replied, coalesce(a.meetings, 0)::int as meetings
    from cadences c
    join cadence_versions v on v.cadence_id = c.id and v.version = c.version
    left join (
      select e.cadence_id,
        count(*) filter (where e.status = 'pending') as pending,
        count(*) filter (where e.status = 'active') as active,
        count(*) filter (where e.status = 'paused') as paused,
        count(*) filter (where e.status = 'completed') as completed,
        count(*) filter (where e.status = 'exited') as exited,
        count(*) filter (where e.status = 'failed') as failed,
        count(*) filter (where e.started_at is not null) as started,
        count(*) filter (where e.exit_reason = 'replied' or s.replied) as replied,
        count(*) filter (where e.exit_reason = 'meeting_booked' or s.meeting) as meetings
      from enrollments e
      left join (
        select enrollment_id, bool_or(type = 'replied') as replied, bool_or(type = 'meeting_booked') as meeting
        from signals
        where enrollment_id is not null and type in ('replied', 'meeting_booked') and not machine
        group by enrollment_id
      ) s on s.enrollment_id = e.id
      group by e.cadence_id
    ) a on a.cadence_id = c.id
    order by c.created_at desc, c.id`.execute(h);
  return rows;
}
