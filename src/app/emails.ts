import { findEmails, findOutboxEntries, type EmailQuery } from '../store/email.repository.ts';
import type { Email } from '../contract/emails.ts';
import { toEmail } from './views/emails.ts';
import { assertAdmin, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';

export type EmailFilter = EmailQuery;

export async function listEmails(ctx: AppContext, actor: Actor, filter: EmailFilter): Promise<Email[]> {
  const rows = await findEmails(ctx.db, filter, actor.role !== 'admin' ? actor.id : null);
  return rows.map(toEmail);
}

/** The dev outbox: what would have been sent without an SMTP server. */
export async function listOutbox(ctx: AppContext, actor: Actor, limit: number) {
  assertAdmin(actor);
  const rows = await findOutboxEntries(ctx.db, limit);
  return rows.map((r) => ({ emailId: r.email_id, from: r.from_email, to: r.to_email, subject: r.subject, createdAt: r.created_at.toISOString(), raw: r.raw }));
}
