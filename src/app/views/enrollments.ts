import type { Enrollment } from '../../contract/enrollments.ts';
import { WAITING_FOR_MESSAGES } from '../../contract/cadences.ts';
import type { ExitReason, WaitingFor } from '../../contract/enums.ts';
import type { CadenceRow, EnrollmentRow } from '../../store/schema.ts';

/**
 * Why a live enrolment does not run now: its cadence is not active (a draft's wait for
 * activation, a paused one's for it to run again, an archived one's for ever), or the
 * throttle holds it. Undefined while it runs, and for an enrolment paused or ended.
 */
export function waitingFor(status: EnrollmentRow['status'], cadenceStatus: CadenceRow['status'] | undefined): WaitingFor | undefined {
  if (status !== 'pending' && status !== 'active') return undefined;
  if (cadenceStatus === 'draft') return 'cadence_activation';
  if (cadenceStatus === 'paused') return 'cadence_resume';
  if (cadenceStatus === 'archived') return 'cadence_archived';
  return status === 'pending' ? 'throttle' : undefined;
}

/**
 * An enrolment as the API answers it: the next step only while it can still run, its
 * due time only while it runs and waits for no task, and why it waits when its cadence
 * (`cadenceStatus`, when known) or the throttle holds it.
 */
export const toEnrollment = (r: EnrollmentRow, cadenceStatus?: CadenceRow['status']): Enrollment => {
  const waiting = waitingFor(r.status, cadenceStatus);
  return {
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
    ...(waiting ? { waitingFor: waiting, heldReason: WAITING_FOR_MESSAGES[waiting] } : {}),
    cadenceVersion: r.cadence_version,
    enrolledAt: r.enrolled_at.toISOString(),
    ...(r.ended_at ? { endedAt: r.ended_at.toISOString() } : {}),
  };
};
