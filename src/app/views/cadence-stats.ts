import type { CadenceStats } from '../../contract/cadences.ts';
import type { CadenceStatRows } from '../../store/stats.repository.ts';

/** A cadence's stats as the API answers them: every status and every step, zero when nothing happened. */
export function toCadenceStats(rows: CadenceStatRows, stepIds: string[]): CadenceStats {
  const enrollments = { pending: 0, active: 0, paused: 0, completed: 0, exited: 0, failed: 0 };
  for (const r of rows.byStatus) enrollments[r.status as keyof typeof enrollments] = r.n;
  const exitReasons: Record<string, number> = {};
  for (const r of rows.byReason) exitReasons[r.reason] = r.n;
  const steps = stepIds.map((stepId) => {
    const signal = (type: string) => rows.signals.find((r) => r.step_id === stepId && r.type === type)?.n ?? 0;
    const x = rows.executions.find((r) => r.step_id === stepId);
    return {
      stepId,
      executed: x?.executed ?? 0,
      skipped: x?.skipped ?? 0,
      sent: rows.emails.find((r) => r.step_id === stepId)?.sent ?? 0,
      opened: signal('opened'),
      clicked: signal('clicked'),
      replied: signal('replied'),
      bounced: signal('bounced'),
      unsubscribed: signal('unsubscribed'),
      tasksCompleted: rows.tasks.find((r) => r.step_id === stepId)?.n ?? 0,
    };
  });
  return { enrollments, exitReasons, steps };
}
