import type { EmailRow } from '../store/schema.ts';
import { toEmail, type Email } from '../store/records.ts';
import type { Actor } from './actor.ts';
import type { AppContext } from './context.ts';

export interface EmailFilter {
  enrollmentId?: string;
  recordId?: string;
  status?: EmailRow['status'];
  limit: number;
  offset: number;
}

export async function listEmails(ctx: AppContext, actor: Actor, filter: EmailFilter): Promise<Email[]> {
  let q = ctx.db.selectFrom('emails as m').innerJoin('leads as l', 'l.id', 'm.record_id').selectAll('m');
  if (actor.role !== 'admin') q = q.where('l.owner_id', '=', actor.id);
  if (filter.enrollmentId) q = q.where('m.enrollment_id', '=', filter.enrollmentId);
  if (filter.recordId) q = q.where('m.record_id', '=', filter.recordId);
  if (filter.status) q = q.where('m.status', '=', filter.status);
  const rows = await q.orderBy('m.queued_at').orderBy('m.id').limit(filter.limit).offset(filter.offset).execute();
  return rows.map(toEmail);
}

/** The dev outbox: what would have been sent without an SMTP server. */
export async function listOutbox(ctx: AppContext, limit: number) {
  const rows = await ctx.db
    .selectFrom('dev_outbox as o')
    .innerJoin('emails as m', 'm.id', 'o.email_id')
    .select(['o.email_id', 'o.raw', 'o.created_at', 'm.to_email', 'm.subject', 'm.from_email'])
    .orderBy('o.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ emailId: r.email_id, from: r.from_email, to: r.to_email, subject: r.subject, createdAt: r.created_at.toISOString(), raw: r.raw }));
}
