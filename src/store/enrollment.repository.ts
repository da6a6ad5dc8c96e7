import { sql, type Insertable } from 'kysely';
import type { Handle, Trx } from './database.ts';
import type { CadenceRow, EnrollmentRow, EnrollmentStatus, EnrollmentTable } from './schema.ts';

/**
 * Claims up to `limit` enrolments due at `now` and locks them for this transaction.
 * SKIP LOCKED lets any number of workers claim side by side without waiting on each
 * other; the partial index on next_due_at keeps the query independent of how many
 * future or finished enrolments the table holds.
 */
export async function claimDue(trx: Trx, now: Date, limit: number): Promise<EnrollmentRow[]> {
  const { rows } = await sql<EnrollmentRow>`
    select e.* from enrollments e
    where e.status = 'active' and e.next_due_at <= ${now}
      and e.cadence_id in (select id from cadences where status = 'active')
    order by e.next_due_at
    limit ${limit}
    for update of e skip locked`.execute(trx);
  return rows;
}

/** Locks the given enrolments (waiting for any other holder) for a use case's transaction. */
export async function lockEnrollments(trx: Trx, ids: string[]): Promise<EnrollmentRow[]> {
  if (ids.length === 0) return [];
  return trx.selectFrom('enrollments').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

/** An enrolment with its record's owner, whose access it follows. */
export async function findEnrollmentWithOwner(
  h: Handle,
  id: string,
): Promise<(EnrollmentRow & { owner_id: string | null; cadence_status: CadenceRow['status'] }) | undefined> {
  return h
    .selectFrom('enrollments as e')
    .innerJoin('leads as l', 'l.id', 'e.record_id')
    .innerJoin('cadences as c', 'c.id', 'e.cadence_id')
    .selectAll('e')
    .select(['l.owner_id', 'c.status as cadence_status'])
    .where('e.id', '=', id)
    .executeTakeFirst();
}

export interface EnrollmentQuery {
  cadenceId?: string;
  recordId?: string;
  status?: EnrollmentStatus;
  limit: number;
  offset: number;
}

/** A page of enrolments, newest first; `visibleTo` (a rep's id, null for an admin) keeps a rep to its records'. */
export async function findEnrollments(
  h: Handle,
  query: EnrollmentQuery,
  visibleTo: string | null,
): Promise<Array<EnrollmentRow & { cadence_status: CadenceRow['status'] }>> {
  let q = h.selectFrom('enrollments as e').innerJoin('leads as l', 'l.id', 'e.record_id')
    .innerJoin('cadences as c', 'c.id', 'e.cadence_id').selectAll('e').select('c.status as cadence_status');
  if (visibleTo !== null) q = q.where('l.owner_id', '=', visibleTo);
  if (query.cadenceId) q = q.where('e.cadence_id', '=', query.cadenceId);
  if (query.recordId) q = q.where('e.record_id', '=', query.recordId);
  if (query.status) q = q.where('e.status', '=', query.status);
  return q.orderBy('e.enrolled_at', 'desc').orderBy('e.id').limit(query.limit).offset(query.offset).execute();
}

/** The status of every enrolment, live or ended, of these records in a cadence: re-enrolment rules read it. */
export async function enrollmentStatusesOfRecords(
  h: Handle,
  cadenceId: string,
  recordIds: string[],
): Promise<Array<{ record_id: string; status: EnrollmentStatus }>> {
  if (recordIds.length === 0) return [];
  return h
    .selectFrom('enrollments')
    .select(['record_id', 'status'])
    .where('cadence_id', '=', cadenceId)
    .where('record_id', 'in', recordIds)
    .execute();
}

/**
 * Inserts enrolments in chunks under PostgreSQL's parameter limit. A record already
 * live in the cadence is skipped by the partial unique index, which settles races with
 * concurrent enrolments; the rows returned are those inserted.
 */
export async function insertEnrollments(h: Handle, rows: Insertable<EnrollmentTable>[]): Promise<Array<{ id: string; record_id: string }>> {
  const inserted: Array<{ id: string; record_id: string }> = [];
  for (let i = 0; i < rows.length; i += 2000) {
    inserted.push(...(await h
      .insertInto('enrollments')
      .values(rows.slice(i, i + 2000))
      .onConflict((oc) => oc.columns(['cadence_id', 'record_id']).where('status', 'in', ['pending', 'active', 'paused']).doNothing())
      .returning(['id', 'record_id'])
      .execute()));
  }
  return inserted;
}

export async function markEnrollmentPaused(h: Handle, id: string, now: Date): Promise<EnrollmentRow> {
  return h.updateTable('enrollments').set({ status: 'paused', updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function markEnrollmentActive(h: Handle, id: string, nextDueAt: Date | null, now: Date): Promise<EnrollmentRow> {
  return h
    .updateTable('enrollments')
    .set({ status: 'active', next_due_at: nextDueAt, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function makeEnrollmentDueNow(h: Handle, id: string, now: Date): Promise<void> {
  await h.updateTable('enrollments').set({ next_due_at: now, updated_at: now }).where('id', '=', id).execute();
}

export interface EnrollmentUpdate {
  id: string;
  status: EnrollmentStatus;
  /** The cadence version the enrolment now follows. */
  cadenceVersion: number;
  exitReason: string | null;
  nextStepId: string | null;
  nextStepIndex: number | null;
  nextDueAt: Date | null;
  anchorAt: Date | null;
  waitTaskId: string | null;
  waitEmailId: string | null;
  endedAt: Date | null;
}

/** Writes a batch of enrolment states in one statement. */
export async function updateEnrollments(trx: Handle, updates: EnrollmentUpdate[], now: Date): Promise<void> {
  if (updates.length === 0) return;
  const col = <K extends keyof EnrollmentUpdate>(k: K) => updates.map((u) => u[k]);
  await sql`
    update enrollments as e set
      status = v.status, exit_reason = v.exit_reason, cadence_version = v.cadence_version,
      next_step_id = v.next_step_id, next_step_index = v.next_step_index,
      next_due_at = v.next_due_at, anchor_at = v.anchor_at,
      wait_task_id = v.wait_task_id, wait_email_id = v.wait_email_id,
      ended_at = v.ended_at, updated_at = ${now}
    from unnest(
      ${col('id')}::uuid[], ${col('status')}::text[], ${col('exitReason')}::text[], ${col('cadenceVersion')}::int[],
      ${col('nextStepId')}::text[], ${col('nextStepIndex')}::int[],
      ${col('nextDueAt')}::timestamptz[], ${col('anchorAt')}::timestamptz[],
      ${col('waitTaskId')}::uuid[], ${col('waitEmailId')}::uuid[], ${col('endedAt')}::timestamptz[]
    ) as v(id, status, exit_reason, cadence_version, next_step_id, next_step_index, next_due_at, anchor_at, wait_task_id, wait_email_id, ended_at)
    where e.id = v.id`.execute(trx);
}

/**
 * Ends live enrolments with a reason, cancelling their open tasks and queued emails,
 * in three set-based statements. Returns the ids that were live and are now exited.
 */
export async function exitEnrollments(trx: Trx, ids: string[], reason: string, now: Date): Promise<string[]> {
  if (ids.length === 0) return [];
  const exited = await trx
    .updateTable('enrollments')
    .set({ status: 'exited', exit_reason: reason, ended_at: now, next_due_at: null, updated_at: now })
    .where('id', 'in', ids)
    .where('status', 'in', ['pending', 'active', 'paused'])
    .returning('id')
    .execute();
  const exitedIds = exited.map((r) => r.id);
  await cancelOpenWork(trx, exitedIds, now, `enrolment exited: ${reason}`);
  return exitedIds;
}

/** Ended enrolments leave nothing behind: their open tasks and queued emails are cancelled. */
async function cancelOpenWork(trx: Trx, enrollmentIds: string[], now: Date, emailError: string): Promise<void> {
  if (enrollmentIds.length === 0) return;
  await trx
    .updateTable('tasks')
    .set({ status: 'cancelled', completed_at: now })
    .where('enrollment_id', 'in', enrollmentIds)
    .where('status', '=', 'open')
    .execute();
  await trx
    .updateTable('emails')
    .set({ status: 'cancelled', error: emailError })
    .where('enrollment_id', 'in', enrollmentIds)
    .where('status', '=', 'queued')
    .execute();
}

export interface EnrollmentFailure {
  id: string;
  reason: string;
}

/**
 * Fails live enrolments, each with its reason, cancelling what they left open as an
 * exit does, in three set-based statements whatever their number.
 */
export async function failEnrollments(trx: Trx, failures: EnrollmentFailure[], now: Date): Promise<string[]> {
  if (failures.length === 0) return [];
  const { rows } = await sql<{ id: string }>`
    update enrollments as e set status = 'failed', failure_reason = f.reason,
      next_due_at = null, ended_at = ${now}, updated_at = ${now}
    from unnest(${failures.map((f) => f.id)}::uuid[], ${failures.map((f) => f.reason)}::text[]) as f(id, reason)
    where e.id = f.id and e.status in ('pending', 'active', 'paused')
    returning e.id`.execute(trx);
  const failedIds = rows.map((r) => r.id);
  await cancelOpenWork(trx, failedIds, now, 'enrolment failed');
  return failedIds;
}

/** Live enrolments of records, with their cadence's current definition version. */
export async function liveEnrollmentsOfRecords(trx: Handle, recordIds: string[]): Promise<EnrollmentRow[]> {
  if (recordIds.length === 0) return [];
  return trx
    .selectFrom('enrollments')
    .selectAll()
    .where('record_id', 'in', recordIds)
    .where('status', 'in', ['pending', 'active', 'paused'])
    .execute();
}

/** Out-of-office pauses end by themselves: later steps keep their time, overdue ones wait for the return. */
export async function resumeDue(h: Handle, now: Date): Promise<number> {
  const r = await sql`
    update enrollments set status = 'active',
      next_due_at = case when next_due_at is null then null else greatest(next_due_at, resume_at) end,
      resume_at = null, updated_at = ${now}
    where status = 'paused' and resume_at <= ${now}`.execute(h);
  return Number(r.numAffectedRows ?? 0);
}

export async function pauseUntil(h: Handle, ids: string[], until: Date, now: Date): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await h
    .updateTable('enrollments')
    .set({ status: 'paused', resume_at: until, updated_at: now })
    .where('id', 'in', ids)
    .where('status', 'in', ['active', 'paused'])
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * A rep's time off: their records' active enrolments pause for the range and resume
 * by themselves when it ends (the planner then waits for the schedule's next opening).
 */
export async function pauseForTimeOff(h: Handle, now: Date): Promise<number> {
  const r = await sql`
    update enrollments e set status = 'paused', resume_at = t.ends_at, updated_at = ${now}
    from leads l, time_off t
    where e.status = 'active' and e.record_id = l.id and l.owner_id = t.user_id
      and t.starts_at <= ${now} and t.ends_at > ${now}`.execute(h);
  return Number(r.numAffectedRows ?? 0);
}
