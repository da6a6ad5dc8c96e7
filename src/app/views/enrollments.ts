import type { Enrollment } from '../../contract/enrollments.ts';
import type { ExitReason } from '../../contract/enums.ts';
import type { EnrollmentRow } from '../../store/schema.ts';

/**
 * An enrolment as the API answers it: the next step only while it can still run, its
 * due time only while it runs and waits for no task.
 */
export const toEnrollment = (r: EnrollmentRow): Enrollment => ({
  id: r.id,
  cadenceId: r.cadence_id,
  recordId: r.record_id,
  status: r.status,
  ...(r.exit_reason ? { exitReason: r.exit_reason as ExitReason } : {}),
  ...(r.failure_reason ? { failureReason: r.failure_reason } : {}),
  ...(r.next_step_id && (r.status === 'active' || r.status === 'paused' || r.status === 'pending')
    ? { nextStepId: r.next_step_id }
    : {}),
  ...(r.next_due_at && r.status === 'active' && !r.wait_task_id ? { nextDueAt: r.next_due_at.toISOString() } : {}),
  cadenceVersion: r.cadence_version,
  enrolledAt: r.enrolled_at.toISOString(),
  ...(r.ended_at ? { endedAt: r.ended_at.toISOString() } : {}),
});
