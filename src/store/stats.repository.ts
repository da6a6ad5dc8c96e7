import { sql } from 'kysely';
import type { Handle } from './database.ts';

export interface StepStats {
  stepId: string;
  executed: number;
  skipped: number;
  sent: number;
  opened: number;
  clicked: number;
  replied: number;
  bounced: number;
  unsubscribed: number;
  tasksCompleted: number;
}

export interface CadenceStats {
  enrollments: Record<'pending' | 'active' | 'paused' | 'completed' | 'exited' | 'failed', number>;
  exitReasons: Record<string, number>;
  steps: StepStats[];
}

/** Stats in four grouped queries, whatever the number of steps. Opens exclude machine opens. */
export async function cadenceStats(h: Handle, cadenceId: string, stepIds: string[]): Promise<CadenceStats> {
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
  const enrollments = { pending: 0, active: 0, paused: 0, completed: 0, exited: 0, failed: 0 };
  for (const r of byStatus.rows) enrollments[r.status as keyof typeof enrollments] = r.n;
  const exitReasons: Record<string, number> = {};
  for (const r of byReason.rows) exitReasons[r.reason] = r.n;
  const steps = stepIds.map((stepId) => {
    const signal = (type: string) => signals.rows.find((r) => r.step_id === stepId && r.type === type)?.n ?? 0;
    const x = executions.rows.find((r) => r.step_id === stepId);
    return {
      stepId,
      executed: x?.executed ?? 0,
      skipped: x?.skipped ?? 0,
      sent: emails.rows.find((r) => r.step_id === stepId)?.sent ?? 0,
      opened: signal('opened'),
      clicked: signal('clicked'),
      replied: signal('replied'),
      bounced: signal('bounced'),
      unsubscribed: signal('unsubscribed'),
      tasksCompleted: tasks.rows.find((r) => r.step_id === stepId)?.n ?? 0,
    };
  });
  return { enrollments, exitReasons, steps };
}
