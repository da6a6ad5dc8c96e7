import type { ExecutedStep } from '../ops/metrics.ts';
import type { StoredCadence } from '../store/cadence.repository.ts';
import type { EnrollmentFailure } from '../store/enrollment.repository.ts';
import type { EnrollmentRow } from '../store/schema.ts';
import type { StepWrites } from './advance-writes.ts';

/**
 * What a batch did, step by step, for the metrics (counted by the engine once the
 * batch is committed): each execution or skip by step type, and each failed enrolment
 * as a `failed` result of the step it was on. The first execution of an enrolment
 * carries when it fell due, for the due-to-executed lag.
 */
export function executedSteps(
  rows: readonly EnrollmentRow[],
  cadences: ReadonlyMap<string, StoredCadence>,
  written: readonly StepWrites[],
  failures: readonly EnrollmentFailure[],
): ExecutedStep[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const typeOf = (row: EnrollmentRow | undefined, stepId: string | null | undefined) =>
    (row && stepId && cadences.get(row.cadence_id)?.definition.steps.find((s) => s.id === stepId)?.type) || 'unknown';
  const steps: ExecutedStep[] = [];
  for (const w of written) {
    const row = byId.get(w.enrollmentId);
    w.executions.forEach((x, i) => {
      steps.push({ type: typeOf(row, x.step_id), result: x.outcome, dueAt: i === 0 ? row?.next_due_at ?? null : null });
    });
  }
  for (const f of failures) {
    const row = byId.get(f.id);
    steps.push({ type: typeOf(row, row?.next_step_id), result: 'failed', dueAt: null });
  }
  return steps;
}
