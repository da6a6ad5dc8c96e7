import { sql } from 'kysely';
import type { Trx } from './database.ts';

/**
 * For a batch of SMTP rejections of bad addresses, in one statement: the emails' leads
 * marked bounced, their addresses suppressed, and a `bounced` signal per email naming it,
 * with the server's answer. Answers the leads it marked (their enrolments then exit).
 */
export async function markSmtpBounced(
  trx: Trx, bounces: Array<{ emailId: string; reply: string; signalId: string }>, now: Date,
): Promise<string[]> {
  const { rows } = await sql<{ record_id: string }>`
    with b as (
      select b.email_id, b.reply, b.signal_id, e.record_id, e.enrollment_id, e.step_id
      from unnest(${bounces.map((b) => b.emailId)}::uuid[], ${bounces.map((b) => b.reply.slice(0, 2000))}::text[],
        ${bounces.map((b) => b.signalId)}::uuid[]) as b(email_id, reply, signal_id)
      join emails e on e.id = b.email_id),
    marked as (
      update leads l set bounced = true, updated_at = ${now}
      from (select distinct record_id from b) r where l.id = r.record_id
      returning l.id, lower(l.email) as email),
    suppressed as (
      insert into suppressions (email, reason, created_at)
      select distinct email, 'bounced', ${now}::timestamptz from marked
      on conflict (email) do nothing),
    signalled as (
      insert into signals (id, type, record_id, enrollment_id, email_id, step_id, machine, data, at)
      select b.signal_id, 'bounced', b.record_id, b.enrollment_id, b.email_id, b.step_id, false,
        jsonb_build_object('source', 'smtp', 'reply', b.reply), ${now}::timestamptz
      from b)
    select id as record_id from marked`.execute(trx);
  return rows.map((r) => r.record_id);
}
