import { sql } from 'kysely';
import type { Trx } from '../store/database.ts';
import { exitOnSignal, type ExitedEnrollment } from './exits.ts';

/** A send the recipient's server refused for good because the address is bad (see engine/smtp-answers.ts). */
export interface SmtpBounce {
  emailId: string;
  /** The server's answer, e.g. "550 5.1.1 <ada@example.com>: user unknown": shown on the lead's timeline. */
  reply: string;
  /** The id of the `bounced` signal it records. */
  signalId: string;
}

/**
 * What an inbound hard bounce does (signals.ts applySignalIn), for a batch of SMTP
 * rejections at once: the leads are marked bounced, their addresses suppressed, a
 * `bounced` signal naming the email records the answer (the stats and the mailbox
 * health count it as they count any bounce naming its email), and every live enrolment
 * of those leads exits `bounced` (open tasks and queued emails cancelled). One
 * statement for the leads, suppressions and signals, and the exit path's few, whatever
 * the batch's size; in the caller's transaction, with the emails' failure.
 */
export async function recordSmtpBounces(trx: Trx, bounces: SmtpBounce[], now: Date): Promise<ExitedEnrollment[]> {
  if (bounces.length === 0) return [];
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
  return exitOnSignal(trx, rows.map((r) => r.record_id), 'bounced', now);
}
