import { sql } from 'kysely';
import type { Handle } from './database.ts';

/**
 * The first instant after `after` at which the engine has something to do: an active
 * enrolment's next step, a queued email's send time, a paused enrolment's return.
 * Lets a caller that drives the engine with explicit instants (the demo's history)
 * run it exactly when work falls due instead of on a fixed tick.
 */
export async function nextEngineWorkAfter(h: Handle, after: Date): Promise<Date | null> {
  const { rows } = await sql<{ at: Date | null }>`
    select least(
      (select min(next_due_at) from enrollments where status = 'active' and next_due_at > ${after}),
      (select min(send_after) from emails where status = 'queued' and send_after > ${after}),
      (select min(resume_at) from enrollments where status = 'paused' and resume_at > ${after})
    ) as at`.execute(h);
  const at = rows[0]?.at;
  return at ? new Date(at) : null;
}
