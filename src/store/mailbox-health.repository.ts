import { sql } from 'kysely';
import type { Handle } from './database.ts';
import type { MailboxRow, UserRow } from './schema.ts';

/** Every user's mailbox and its health, for the admin's settings: one statement. */
export interface MailboxHealthRow {
  user: UserRow;
  mailbox: MailboxRow | null;
  sent_day: number;
  sent_hour: number;
  queued: number;
  deferred: number;
  sent_month: number;
  bounced_month: number;
  failed_day: number;
  smtp_error: string | null;
  smtp_error_at: Date | null;
}

/**
 * One statement for all users (a workspace has tens of them). Each user's counts are
 * index range scans: sends on emails_sender_sent_idx (as the send gates count them),
 * mail in flight or in doubt on emails_sender_in_doubt_idx, failed mail on
 * emails_sender_failed_idx, the queue on emails_queue_idx, bounces of the last 30
 * days on signals_bounced_idx (migration 0010).
 */
export async function findMailboxHealth(h: Handle, now: Date): Promise<MailboxHealthRow[]> {
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const monthAgo = new Date(now.getTime() - 30 * 86_400_000);
  const { rows } = await sql<MailboxHealthRow>`
    with waiting as (
      select sender_id, count(*)::int as queued, count(*) filter (where send_after > ${now})::int as deferred
      from emails where status = 'queued' and sender_id is not null
      group by sender_id),
    bounced as (
      -- A bounce names its email, or only its lead (a DSN matched by address): then the
      -- last email sent to that lead before it bounced. An SMTP rejection's email was
      -- never sent: it counts by when it was handed to the server.
      select e.sender_id, count(distinct e.id)::int as bounced_month
      from signals s
      join emails e on e.id = coalesce(s.email_id, (
        select l.id from emails l where l.record_id = s.record_id and l.sent_at <= s.at order by l.sent_at desc limit 1))
      where s.type = 'bounced' and s.at > ${monthAgo} and coalesce(e.sent_at, e.sending_at) > ${monthAgo} and e.sender_id is not null
      group by e.sender_id)
    select to_jsonb(u) as "user", to_jsonb(m) as mailbox,
      se.sent_day + fl.in_flight_day as sent_day, se.sent_hour + fl.in_flight_hour as sent_hour, se.sent_month,
      coalesce(w.queued, 0) as queued, coalesce(w.deferred, 0) as deferred,
      coalesce(b.bounced_month, 0) as bounced_month, fa.failed_day,
      er.error as smtp_error, er.at as smtp_error_at
    from users u
    left join mailboxes m on m.user_id = u.id
    cross join lateral (
      select count(*) filter (where e.sent_at > ${dayAgo})::int as sent_day,
        count(*) filter (where e.sent_at > ${hourAgo})::int as sent_hour,
        count(*)::int as sent_month
      from emails e where e.sender_id = u.id and e.sent_at > ${monthAgo}) se
    cross join lateral (
      select count(*)::int as in_flight_day, count(*) filter (where e.sending_at > ${hourAgo})::int as in_flight_hour
      from emails e where e.sender_id = u.id and e.sent_at is null and e.status in ('sending', 'uncertain')
        and e.sending_at > ${dayAgo}) fl
    cross join lateral (
      select count(*)::int as failed_day
      from emails e where e.sender_id = u.id and e.status = 'failed' and e.queued_at > ${dayAgo}) fa
    left join waiting w on w.sender_id = u.id
    left join bounced b on b.sender_id = u.id
    left join sender_errors er on er.user_id = u.id
    order by u.deactivated_at nulls first, u.created_at, u.id`.execute(h);
  return rows;
}

/** Records the last SMTP error of these senders (the latest one each, when several failed at once). */
export async function recordSenderErrors(h: Handle, errors: Array<{ senderId: string; error: string }>, now: Date): Promise<void> {
  const latest = new Map(errors.map((e) => [e.senderId, e.error.slice(0, 2000)]));
  if (latest.size === 0) return;
  await sql`
    insert into sender_errors (user_id, error, at)
    select e.user_id, e.error, ${now}
    from unnest(${[...latest.keys()]}::uuid[], ${[...latest.values()]}::text[]) as e(user_id, error)
    join users u on u.id = e.user_id
    on conflict (user_id) do update set error = excluded.error, at = excluded.at`.execute(h);
}
