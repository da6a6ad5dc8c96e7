import { sql } from 'kysely';
import type { Handle } from './database.ts';

/**
 * Rejects once `timeoutMs` passed: a database that does not answer (a pool waiting to
 * connect, a host that drops packets) must not hold a probe or a scrape for minutes.
 */
async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database gave no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Rejects when the database does not answer `select 1` within `timeoutMs`. */
export async function pingDatabase(h: Handle, timeoutMs: number): Promise<void> {
  await withTimeout(sql`select 1`.execute(h), timeoutMs);
}

export interface QueueDepths {
  /** Active enrolments whose next step is due at `now`. */
  dueEnrollments: number;
  /** Queued emails, and those of them due at `now`. */
  queuedEmails: number;
  queuedEmailsDue: number;
  /** Webhook deliveries due at `now` to enabled endpoints. */
  dueWebhookDeliveries: number;
}

/**
 * The work waiting for the engine and the webhook dispatchers, for the metrics' gauges. Each count reads one
 * partial index only (enrollments_due_idx, emails_queue_idx: an index-only scan on
 * PostgreSQL), so finished enrolments and sent mail, however many, cost nothing.
 */
export async function readQueueDepths(h: Handle, now: Date, timeoutMs: number): Promise<QueueDepths> {
  const [due, queued, webhooks] = await withTimeout(Promise.all([
    sql<{ n: number }>`
      select count(*)::int as n from enrollments where status = 'active' and next_due_at <= ${now}`.execute(h),
    sql<{ n: number; due: number }>`
      select count(*)::int as n, count(*) filter (where send_after <= ${now})::int as due
      from emails where status = 'queued'`.execute(h),
    // The deliveries' due index (pending only): delivered history costs nothing.
    sql<{ n: number }>`
      select count(*)::int as n from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
      where d.status = 'pending' and d.next_attempt_at <= ${now} and e.disabled_at is null`.execute(h),
  ]), timeoutMs);
  return {
    dueEnrollments: Number(due.rows[0].n),
    queuedEmails: Number(queued.rows[0].n),
    queuedEmailsDue: Number(queued.rows[0].due),
    dueWebhookDeliveries: Number(webhooks.rows[0].n),
  };
}
