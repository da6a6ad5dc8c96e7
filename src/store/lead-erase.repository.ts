import { sql } from 'kysely';
import type { Handle } from './database.ts';

/**
 * Erases a lead and everything about them, in set-based statements (one per table):
 * their enrolments (with the steps executed and boosts fired), tasks, emails (with the
 * dev outbox's copies), signals and timeline events, and the rows kept when leads
 * sharing their email were merged. Suppressions are keyed by address and stay: the
 * caller records the lead's own unsubscribe or bounce there first. Run it in a
 * transaction. Answers whether the lead existed.
 */
export async function eraseLead(h: Handle, id: string): Promise<boolean> {
  const enrollments = sql`(select id from enrollments where record_id = ${id})`;
  const emails = sql`(select id from emails where record_id = ${id})`;
  await sql`delete from dev_outbox where email_id in ${emails}`.execute(h);
  await sql`delete from signals where record_id = ${id} or enrollment_id in ${enrollments} or email_id in ${emails}`.execute(h);
  await sql`delete from step_executions where enrollment_id in ${enrollments}`.execute(h);
  await sql`delete from boost_firings where enrollment_id in ${enrollments}`.execute(h);
  await sql`delete from tasks where record_id = ${id} or enrollment_id in ${enrollments}`.execute(h);
  await sql`delete from emails where record_id = ${id} or enrollment_id in ${enrollments}`.execute(h);
  await sql`delete from record_events where record_id = ${id}`.execute(h);
  await sql`delete from enrollments where record_id = ${id}`.execute(h);
  const deleted = await sql`delete from leads where id = ${id}`.execute(h);
  return Number(deleted.numAffectedRows ?? 0) > 0;
}
