import type { Insertable } from 'kysely';
import type { Trx } from '../store/database.ts';
import { exitEnrollments, updateEnrollments, type EnrollmentFailure, type EnrollmentUpdate } from '../store/enrollment.repository.ts';
import { insertEmails, insertExecutions, insertTasks } from '../store/execution.repository.ts';
import { inSavepoint, isRowError } from '../store/savepoint.ts';
import type { EmailTable, StepExecutionTable, TaskTable } from '../store/schema.ts';

/** Everything one enrolment's advance writes, kept together so that it can be left out alone. */
export interface StepWrites {
  enrollmentId: string;
  /** The step it executes, as a reason names it ("step 2 (email)"); null when none runs. */
  step: string | null;
  executions: Insertable<StepExecutionTable>[];
  task: Insertable<TaskTable> | null;
  email: Insertable<EmailTable> | null;
  /** Its new state; null when it ends by its cadence's end date (`exited`). */
  update: EnrollmentUpdate | null;
  exited: boolean;
}

/**
 * Writes a batch's steps in a handful of set-based statements (DESIGN §8). Should the
 * database refuse one row (a constraint, invalid data), the batch is halved and each
 * half written again, down to the enrolment whose row it refuses: that one is added
 * to `failures` and the rest is written. The happy path costs one savepoint; one bad
 * row among n costs about 2·log2(n) more attempts. Returns what was written.
 */
export async function writeIsolated(trx: Trx, batch: StepWrites[], now: Date, failures: EnrollmentFailure[]): Promise<StepWrites[]> {
  if (batch.length === 0) return [];
  try {
    await inSavepoint(trx, () => writeAll(trx, batch, now));
    return batch;
  } catch (e) {
    if (!isRowError(e)) throw e;
    if (batch.length === 1) {
      const [one] = batch;
      const what = one.step ? `${one.step}: the database refused its writes` : 'the database refused its update';
      failures.push({ id: one.enrollmentId, reason: `${what}: ${(e as Error).message}` });
      return [];
    }
    const half = Math.ceil(batch.length / 2);
    const first = await writeIsolated(trx, batch.slice(0, half), now, failures);
    return [...first, ...(await writeIsolated(trx, batch.slice(half), now, failures))];
  }
}

async function writeAll(trx: Trx, batch: StepWrites[], now: Date): Promise<void> {
  await insertExecutions(trx, batch.flatMap((w) => w.executions));
  await insertTasks(trx, batch.flatMap((w) => (w.task ? [w.task] : [])));
  await insertEmails(trx, batch.flatMap((w) => (w.email ? [w.email] : [])));
  await updateEnrollments(trx, batch.flatMap((w) => (w.update ? [w.update] : [])), now);
  // An end-date exit cancels what the enrolment left open, like every other exit.
  await exitEnrollments(trx, batch.filter((w) => w.exited).map((w) => w.enrollmentId), 'ended', now);
}
