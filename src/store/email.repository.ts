import { sql, type RawBuilder } from 'kysely';
import type { Handle } from './database.ts';
import type { EmailRow, EmailStatus } from './schema.ts';
import { leaseRunning } from './worker-lease.repository.ts';

/** What the sender reads of a claimed email: what it sends, and what decides a retry. */
export type ClaimedEmail = Pick<EmailRow,
  'id' | 'sender_id' | 'attempts' | 'message_id' | 'token' | 'from_email' | 'from_name' | 'to_email'
  | 'subject' | 'html' | 'text' | 'in_reply_to' | 'refs' | 'first_failed_at'>;

/** ClaimedEmail's columns, as the claim returns them and the read of handed ids selects them. */
const CLAIMED_COLUMNS = sql.raw('id, sender_id, attempts, message_id, token, from_email, from_name, to_email, subject, html, text, in_reply_to, refs, first_failed_at');

/**
 * "Still queued (and claimed by `workerId`)", for statements that name their emails by
 * id. Spelt so that the planner cannot answer it from the queue index, which is partial
 * on `status = 'queued'`: with statistics from before a burst of queued mail it took
 * that index for a few rows and scanned every queued email per statement, quadratic in
 * the backlog, instead of probing the ids at hand by primary key.
 */
function queuedFor(alias: RawBuilder<unknown>, workerId?: string): RawBuilder<boolean> {
  return workerId === undefined
    ? sql<boolean>`(case ${alias}.status when 'queued' then true else false end)`
    : sql<boolean>`(case ${alias}.status when 'queued' then ${alias}.claimed_by end) = ${workerId}`;
}

/**
 * Reads the emails this worker queued already claimed for its own sender, by id: those
 * still queued for it. A plain read where a claim would write each email once more.
 * One that another worker took over (ours lapsed while we could not renew it) is not ours.
 */
export async function loadClaimedEmails(h: Handle, ids: string[], workerId: string): Promise<ClaimedEmail[]> {
  const { rows } = await sql<ClaimedEmail>`
    select ${CLAIMED_COLUMNS}
    from emails e
    where e.id = any(${ids}::uuid[]) and ${queuedFor(sql`e`, workerId)}`.execute(h);
  return rows;
}

/**
 * Claims queued emails that are due for this worker. A claim holds while its worker's
 * lease runs (worker-lease.repository), or until `claim_until` (now + `leaseMs`, for
 * workers that keep no lease row). A claim is not a send: a claimed email that its
 * worker never marked `sending` is claimed again by anyone once that worker stops
 * renewing its lease, so a dead worker loses nothing and holds it up for one lease.
 */
export async function claimQueuedEmails(h: Handle, workerId: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedEmail[]> {
  const until = new Date(now.getTime() + leaseMs);
  const { rows } = await sql<ClaimedEmail>`
    update emails set claimed_by = ${workerId}, claim_until = ${until}
    where id in (
      select e.id from emails e
      where e.status = 'queued' and e.send_after <= ${now} and (e.claim_until is null or e.claim_until < ${now})
        and not ${leaseRunning(sql`e.claimed_by`, now)}
      order by e.send_after
      limit ${limit}
      for update of e skip locked)
    returning ${CLAIMED_COLUMNS}`.execute(h);
  return rows;
}

/**
 * After a failure left this worker unsure of what it holds (a commit whose answer was
 * lost, a batch dropped half-way): takes back every due queued email still claimed
 * for it, renewing the claims, and returns their ids, its hand from now on. Scans the
 * due queue, which is why it is kept for recovery.
 */
export async function reclaimOwnQueued(h: Handle, workerId: string, now: Date, until: Date): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    update emails set claim_until = ${until}
    where status = 'queued' and send_after <= ${now} and claimed_by = ${workerId}
    returning id`.execute(h);
  return rows.map((r) => r.id);
}

/**
 * Emails this worker marked `sending` (or may have: the mark's answer was lost) whose
 * message it knows never left, since a message leaves only once its mark is confirmed:
 * queued again, still claimed for it. Not in doubt, so not `uncertain`.
 */
export async function requeueUnsent(h: Handle, ids: string[], workerId: string): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    update emails set status = 'queued', sending_at = null, attempts = greatest(attempts - 1, 0)
    where id = any(${ids}::uuid[]) and status = 'sending' and claimed_by = ${workerId}`.execute(h);
}

/** Gives up this worker's claim on queued emails: any sender may take them at once. */
export async function releaseClaims(h: Handle, ids: string[], workerId: string): Promise<void> {
  if (ids.length === 0) return;
  await h.updateTable('emails').set({ claimed_by: null, claim_until: null }).where('id', 'in', ids).where(queuedFor(sql`emails`, workerId)).execute();
}

export interface SendGate {
  emailId: string;
  /**
   * Why the email must not go out now, or null. `paused`: not now, while its enrolment is
   * paused (held, not dropped). A manual email (one a rep sent from a task) goes out
   * unless its enrolment exited or failed: the rep chose to send it.
   */
  block: 'enrollment_ended' | 'unsubscribed' | 'bounced' | 'paused' | null;
  smtpUrl: string | null;
  dailyLimit: number | null;
  hourlyLimit: number | null;
  /** The sender's mail of the last day and hour, or null when not counted (no cap, or `known`). */
  usage: { day: number; hour: number } | null;
  /** The mailbox's least spacing between two sends, in seconds (0: none). */
  minIntervalSeconds: number;
}

/**
 * Re-checks, at the moment of sending, the exits and the suppression list, and reads
 * each capped sender's usage of its rolling caps: all claimed emails in one query.
 * Senders without a cap, and those in `known` (whose usage the caller counted a
 * moment ago), are not counted.
 */
export async function loadSendGates(h: Handle, ids: string[], now: Date, known: string[] = []): Promise<Map<string, SendGate>> {
  if (ids.length === 0) return new Map();
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const { rows } = await sql<{
    id: string; enrollment_status: string | null; manual: boolean; unsubscribed: boolean; bounced: boolean; suppressed: string | null;
    smtp_url: string | null; daily_limit: number | null; hourly_limit: number | null; sent_day: number | null; sent_hour: number | null;
    min_interval_seconds: number | null;
  }>`/* prepared: send-gates */
    with senders as (
      select distinct em.sender_id from emails em join mailboxes m on m.user_id = em.sender_id
      where em.id = any(${ids}::uuid[]) and (m.daily_limit is not null or m.hourly_limit is not null)
        and em.sender_id <> all(${known}::uuid[])),
    usage as (
      -- sent mail on emails_sender_sent_idx, mail in flight or in doubt on emails_sender_in_doubt_idx
      select s.sender_id,
        (select count(*) from emails e where e.sender_id = s.sender_id and e.sent_at > ${dayAgo})::int
          + (select count(*) from emails e where e.sender_id = s.sender_id and e.sent_at is null
               and e.status in ('sending', 'uncertain') and e.sending_at > ${dayAgo})::int as sent_day,
        (select count(*) from emails e where e.sender_id = s.sender_id and e.sent_at > ${hourAgo})::int
          + (select count(*) from emails e where e.sender_id = s.sender_id and e.sent_at is null
               and e.status in ('sending', 'uncertain') and e.sending_at > ${hourAgo})::int as sent_hour
      from senders s)
    select em.id, en.status as enrollment_status, em.task_id is not null as manual, l.unsubscribed, l.bounced, s.reason as suppressed,
      m.smtp_url, m.daily_limit, m.hourly_limit, m.min_interval_seconds,
      u.sent_day, u.sent_hour
    from emails em
    join leads l on l.id = em.record_id
    left join enrollments en on en.id = em.enrollment_id
    left join suppressions s on s.email = lower(em.to_email)
    left join mailboxes m on m.user_id = em.sender_id
    left join usage u on u.sender_id = em.sender_id
    where em.id = any(${ids}::uuid[])`.execute(h);
  return new Map(
    rows.map((r) => [r.id, {
      emailId: r.id,
      block: enrollmentEnded(r.enrollment_status, r.manual)
        ? 'enrollment_ended'
        : r.bounced || r.suppressed === 'bounced' ? 'bounced'
        : r.unsubscribed || r.suppressed ? 'unsubscribed'
        : r.enrollment_status === 'paused' && !r.manual ? 'paused' : null,
      smtpUrl: r.smtp_url,
      dailyLimit: r.daily_limit,
      hourlyLimit: r.hourly_limit,
      usage: r.sent_day === null || r.sent_hour === null ? null : { day: r.sent_day, hour: r.sent_hour },
      minIntervalSeconds: r.min_interval_seconds ?? 0,
    }]),
  );
}

/** An automatic email goes only while its enrolment runs; a manual one unless the enrolment exited or failed. */
function enrollmentEnded(status: string | null, manual: boolean): boolean {
  if (status === null || status === 'active' || status === 'paused') return false;
  return !manual || status === 'exited' || status === 'failed';
}

export async function cancelEmails(h: Handle, ids: string[], reason: string, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await endAndWake(h, sql`
    update emails e set status = 'cancelled', error = ${reason}, claimed_by = null
    where e.id = any(${ids}::uuid[]) and ${queuedFor(sql`e`)}
    returning e.id, true as wake`, now);
}

/** Over a cap: deferred, never dropped. */
export async function deferEmails(h: Handle, ids: string[], until: Date): Promise<void> {
  if (ids.length === 0) return;
  await h.updateTable('emails').set({ send_after: until, claimed_by: null, claim_until: null }).where('id', 'in', ids).where(queuedFor(sql`emails`)).execute();
}

/**
 * Spaces each mailbox's sends by its `min_interval_seconds`, across all workers, for
 * a batch cleared to go (`ids`, all from mailboxes with an interval): in one statement,
 * each mailbox whose slot is free (`next_send_at` passed) takes it, moving it one
 * interval on, and its first email goes now. Its other emails, and those of a mailbox
 * whose slot another send holds, wait: deferred to the slot's time, one interval
 * apart in their order, never dropped. The update's row lock serialises two workers
 * after one mailbox's slot: the second re-reads it taken. Returns the ids deferred.
 */
export async function holdForMailboxSpacing(h: Handle, ids: string[], now: Date): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ id: string }>`
    with batch as (
      select e.id, e.sender_id, row_number() over (partition by e.sender_id order by e.send_after, e.id) as rank
      from emails e where e.id = any(${ids}::uuid[])),
    slots as (
      update mailboxes m set next_send_at = ${now}::timestamptz + m.min_interval_seconds * interval '1 second'
      where m.user_id in (select sender_id from batch) and m.min_interval_seconds > 0
        and (m.next_send_at is null or m.next_send_at <= ${now})
      returning m.user_id)
    update emails e set claimed_by = null, claim_until = null,
      send_after = (case when s.user_id is null then greatest(m.next_send_at, ${now}::timestamptz) else ${now}::timestamptz end)
        + (b.rank - 1) * m.min_interval_seconds * interval '1 second'
    from batch b
    join mailboxes m on m.user_id = b.sender_id
    left join slots s on s.user_id = b.sender_id
    where e.id = b.id and m.min_interval_seconds > 0 and (s.user_id is null or b.rank > 1) and ${queuedFor(sql`e`)}
    returning e.id`.execute(h);
  return rows.map((r) => r.id);
}

export interface SentEmail {
  id: string;
  /** How it left: `smtp`, or `outbox` when no SMTP server is configured. */
  transport: string;
}

/**
 * The sender's bookkeeping in one statement, so one round trip serves several emails:
 * records the sends that finished (and wakes the enrolments waiting on them), and
 * marks the next emails `sending`, the point of no return. Only a queued email this
 * worker still holds becomes `sending`; the ids that did are returned (one missing
 * was cancelled, or re-claimed by another worker after our lease ran out).
 */
export async function recordSentAndMarkSending(
  h: Handle, sent: SentEmail[], next: string[], workerId: string, now: Date,
): Promise<Set<string>> {
  const { rows } = await sql<{ id: string }>`/* prepared: record-sent-mark-sending */
    ${sentAndSendingStatement(sent, next, workerId, now)}`.execute(h);
  return new Set(rows.map((r) => r.id));
}

/** recordSentAndMarkSending's statement, bare: the tests look at its plan. */
export function sentAndSendingStatement(sent: SentEmail[], next: string[], workerId: string, now: Date): RawBuilder<{ id: string }> {
  // Ids as arrays compared with "= any": a few primary-key probes, and the cheapest
  // statement to plan, which PostgreSQL does at every execution.
  const outbox = sent.filter((s) => s.transport === 'outbox').map((s) => s.id);
  return sql<{ id: string }>`
    with sent as (
      update emails e set status = 'sent', sent_at = ${now}, claimed_by = null, claim_until = null,
        transport = case when e.id = any(${outbox}::uuid[]) then 'outbox' else 'smtp' end
      where e.id = any(${sent.map((s) => s.id)}::uuid[]) and e.status = 'sending'
      returning e.id),
    woken as (
      update enrollments en set next_due_at = ${now}, updated_at = ${now}
      from sent where en.wait_email_id = sent.id and en.status = 'active'),
    marked as (
      update emails e set status = 'sending', sending_at = ${now}, attempts = e.attempts + 1
      where e.id = any(${next}::uuid[]) and ${queuedFor(sql`e`, workerId)}
      returning e.id, e.sender_id),
    -- A mailbox that spaces its sends took its slot when the batch was cleared; its next
    -- slot counts from now, the moment the message leaves, however long it waited for a lane.
    spaced as (
      update mailboxes m set next_send_at = greatest(m.next_send_at, ${now}::timestamptz + m.min_interval_seconds * interval '1 second')
      from marked where m.user_id = marked.sender_id and m.min_interval_seconds > 0)
    select id from marked`;
}

export interface FailedSend {
  id: string;
  /** `failed` and `uncertain` end the email; `queued` puts it back in the queue, at `retryAt`. */
  status: 'failed' | 'uncertain' | 'queued';
  error: string;
  retryAt: Date | null;
}

/**
 * Records failed sends in one statement, and wakes the enrolments waiting on those
 * that ended. An email goes back to the queue only from `sending`: a temporary
 * failure before the server took the message.
 */
export async function recordFailures(h: Handle, failures: FailedSend[], now: Date): Promise<void> {
  if (failures.length === 0) return;
  await endAndWake(h, sql`
    update emails e set status = f.status, error = f.error, claimed_by = null, claim_until = null,
      send_after = coalesce(f.retry_at, e.send_after),
      first_failed_at = case when f.status = 'queued' then coalesce(e.first_failed_at, ${now}) else e.first_failed_at end
    from unnest(${failures.map((f) => f.id)}::uuid[], ${failures.map((f) => f.status)}::text[],
      ${failures.map((f) => f.error)}::text[], ${failures.map((f) => f.retryAt)}::timestamptz[]) as f(id, status, error, retry_at)
    where e.id = f.id and (f.status <> 'queued' or e.status = 'sending')
    returning e.id, f.status <> 'queued' as wake`, now);
}

/**
 * Emails left `sending` by a worker that stopped renewing its lease belong to a process
 * that died between the SMTP conversation and its commit: they may have gone out, so
 * they become `uncertain`, surfaced and never resent. A live worker's send, however
 * long, is never taken from it. (`sent_at is null` lets the in-doubt index answer.)
 */
export async function markStaleSendingUncertain(h: Handle, now: Date): Promise<string[]> {
  return endAndWake(h, sql`
    update emails e set status = 'uncertain', error = 'the sending process stopped before recording the result',
      claimed_by = null, claim_until = null
    where e.status = 'sending' and e.sent_at is null and (e.claim_until is null or e.claim_until < ${now})
      and not ${leaseRunning(sql`e.claimed_by`, now)}
    returning e.id, true as wake`, now);
}

/**
 * Runs `change`, an update of emails returning `id` and `wake` (whether that email is
 * done with), and wakes the enrolments waiting on those done with, so that the planner
 * reads why: in one statement, since a crash between two would leave them waiting for
 * good. Returns the ids changed.
 */
async function endAndWake(h: Handle, change: RawBuilder<unknown>, now: Date): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with changed as (${change}),
    woken as (
      update enrollments en set next_due_at = ${now}, updated_at = ${now}
      from changed where changed.wake and en.wait_email_id = changed.id and en.status = 'active')
    select id from changed`.execute(h);
  return rows.map((r) => r.id);
}

export async function insertOutbox(h: Handle, emailId: string, raw: string, now: Date): Promise<void> {
  await h.insertInto('dev_outbox').values({ email_id: emailId, raw, created_at: now }).onConflict((oc) => oc.doNothing()).execute();
}

export interface EmailQuery {
  enrollmentId?: string;
  recordId?: string;
  status?: EmailStatus;
  limit: number;
  offset: number;
}

/** A page of emails, oldest queued first; `visibleTo` (a rep's id, null for an admin) keeps a rep to its records'. */
export async function findEmails(h: Handle, query: EmailQuery, visibleTo: string | null): Promise<EmailRow[]> {
  let q = h.selectFrom('emails as m').innerJoin('leads as l', 'l.id', 'm.record_id').selectAll('m');
  if (visibleTo !== null) q = q.where('l.owner_id', '=', visibleTo);
  if (query.enrollmentId) q = q.where('m.enrollment_id', '=', query.enrollmentId);
  if (query.recordId) q = q.where('m.record_id', '=', query.recordId);
  if (query.status) q = q.where('m.status', '=', query.status);
  return q.orderBy('m.queued_at').orderBy('m.id').limit(query.limit).offset(query.offset).execute();
}

/** The latest `limit` messages of the dev outbox, with the email each one carried. */
/**
 * A page of the dev outbox, newest first: `q` matches the recipient, sender or subject
 * (case-insensitive), `after` is the last entry of the page before.
 */
export async function findOutboxEntries(h: Handle, limit: number, q?: string, after?: { at: Date; emailId: string }) {
  let query = h
    .selectFrom('dev_outbox as o')
    .innerJoin('emails as m', 'm.id', 'o.email_id')
    .select(['o.email_id', 'o.raw', 'o.created_at', 'm.to_email', 'm.subject', 'm.from_email']);
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('m.to_email', 'ilike', like), eb('m.from_email', 'ilike', like), eb('m.subject', 'ilike', like)]));
  }
  if (after) {
    query = query.where((eb) => eb.or([
      eb('o.created_at', '<', after.at),
      eb.and([eb('o.created_at', '=', after.at), eb('o.email_id', '<', after.emailId)]),
    ]));
  }
  return query.orderBy('o.created_at', 'desc').orderBy('o.email_id', 'desc').limit(limit).execute();
}

/** The emails carrying these Message-IDs, the latest queued first: the thread an inbound message belongs to. */
export async function findEmailsByMessageIds(h: Handle, messageIds: string[]): Promise<EmailRow[]> {
  if (messageIds.length === 0) return [];
  return h.selectFrom('emails').selectAll().where('message_id', 'in', messageIds).orderBy('queued_at', 'desc').execute();
}

export async function findEmailByMessageId(h: Handle, messageId: string): Promise<EmailRow | undefined> {
  return h.selectFrom('emails').selectAll().where('message_id', '=', messageId).executeTakeFirst();
}

/** What tracking and unsubscribe links need of the email their token names. */
export async function findEmailByToken(h: Handle, token: string) {
  return h.selectFrom('emails').select(['id', 'message_id', 'sent_at', 'links', 'record_id', 'to_email']).where('token', '=', token).executeTakeFirst();
}
