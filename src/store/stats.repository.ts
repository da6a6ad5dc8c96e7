import { sql } from 'kysely';
import type { Handle } from './database.ts';

/** The grouped counts behind a cadence's stats; src/app/views/cadence-stats.ts shapes them. */
export interface CadenceStatRows {
  byStatus: Array<{ status: string; n: number }>;
  byReason: Array<{ reason: string; n: number }>;
  executions: Array<{ step_id: string; executed: number; skipped: number }>;
  emails: Array<{ step_id: string; sent: number }>;
  signals: Array<{ step_id: string; type: string; n: number }>;
  tasks: Array<{ step_id: string; n: number }>;
}

/** Stats in six grouped queries, whatever the number of steps. Opens exclude machine opens. */
export async function cadenceStatRows(h: Handle, cadenceId: string): Promise<CadenceStatRows> {
  const [byStatus, byReason, executions, emails, signals, tasks] = await Promise.all([
    sql<{ status: string; n: number }>`
      select status, count(*)::int as n from enrollments where cadence_id = ${cadenceId} group by status`.execute(h),
    sql<{ reason: string; n: number }>`
      select exit_reason as reason, count(*)::int as n from enrollments
      where cadence_id = ${cadenceId} and status = 'exited' group by exit_reason`.execute(h),
    sql<{ step_id: string; executed: number; skipped: number }>`
      select x.step_id, count(*) filter (where x.outcome = 'executed')::int as executed,
        count(*) filter (where x.outcome = 'skipped')::int as skipped
      from step_executions x join enrollments e on e.id = x.enrollment_id
      where e.cadence_id = ${cadenceId} group by x.step_id`.execute(h),
    sql<{ step_id: string; sent: number }>`
      select m.step_id, count(*)::int as sent from emails m join enrollments e on e.id = m.enrollment_id
      where e.cadence_id = ${cadenceId} and m.status = 'sent' and m.step_id is not null group by m.step_id`.execute(h),
    sql<{ step_id: string; type: string; n: number }>`
      select s.step_id, s.type, count(distinct s.enrollment_id)::int as n
      from signals s join enrollments e on e.id = s.enrollment_id
      where e.cadence_id = ${cadenceId} and s.step_id is not null and not s.machine
      group by s.step_id, s.type`.execute(h),
    sql<{ step_id: string; n: number }>`
      select t.step_id, count(*)::int as n from tasks t join enrollments e on e.id = t.enrollment_id
      where e.cadence_id = ${cadenceId} and t.status = 'completed' and t.step_id is not null group by t.step_id`.execute(h),
  ]);
  return {
    byStatus: byStatus.rows, byReason: byReason.rows, executions: executions.rows, emails: emails.rows, signals: signals.rows, tasks: tasks.rows,
  };
}
