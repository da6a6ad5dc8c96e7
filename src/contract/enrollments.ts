import { z } from 'zod';
import { id, instant, pageQuery, uuidInput } from './common.ts';
import { ENROLLMENT_STATUSES, EXIT_REASONS, STEP_OUTCOMES, WAITING_FOR } from './enums.ts';

/** A record's run through a cadence. */
export const enrollment = z.object({
  id,
  cadenceId: id,
  recordId: id,
  status: z.enum(ENROLLMENT_STATUSES),
  exitReason: z.enum(EXIT_REASONS).optional(),
  /** Why a `failed` enrolment failed. */
  failureReason: z.string().optional(),
  nextStepId: z.string().optional(),
  nextDueAt: instant.optional(),
  /**
   * Set while a live enrolment (`pending`, `active`) does not run for a reason outside
   * itself: its cadence is a draft, paused or archived, or the throttle holds it.
   */
  waitingFor: z.enum(WAITING_FOR).optional(),
  /** `waitingFor` in words, for the UI: "Starts when the cadence is activated". */
  heldReason: z.string().optional(),
  cadenceVersion: z.number().int(),
  enrolledAt: instant,
  endedAt: instant.optional(),
});
export type Enrollment = z.infer<typeof enrollment>;

/** A step executed or skipped, and why. */
export const stepRecord = z.object({
  stepId: z.string(),
  outcome: z.enum(STEP_OUTCOMES),
  reason: z.string().optional(),
  at: instant,
  cadenceVersion: z.number().int(),
});
export type StepRecord = z.infer<typeof stepRecord>;

/** `GET /api/enrollments/:id`: the enrolment with its history. */
export const enrollmentWithHistory = enrollment.extend({ history: z.array(stepRecord) });
export const enrollmentList = z.object({ items: z.array(enrollment) });

export const enrollmentQuery = z.object({
  cadenceId: uuidInput('a cadence').optional(),
  recordId: uuidInput('a record').optional(),
  status: z.enum(ENROLLMENT_STATUSES).optional(),
  ...pageQuery,
});
export type EnrollmentQuery = z.infer<typeof enrollmentQuery>;
