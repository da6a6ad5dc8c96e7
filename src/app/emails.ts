import { findEmails, findOutboxEntries, type EmailQuery } from '../store/email.repository.ts';
import type { Email } from '../contract/emails.ts';
import { toEmail } from './views/emails.ts';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { OutboxList } from '../contract/ops.ts';
import { assertAdmin, type Actor } from './actor.ts';
import { invalid } from './errors.ts';
import type { AppContext } from './context.ts';

export type EmailFilter = EmailQuery;

export async function listEmails(ctx: AppContext, actor: Actor, filter: EmailFilter): Promise<Email[]> {
  const rows = await findEmails(ctx.db, filter, actor.role !== 'admin' ? actor.id : null);
  return rows.map(toEmail);
}

/** The dev outbox: what would have been sent without an SMTP server, each message decoded. */
export async function listOutbox(ctx: AppContext, actor: Actor, query: { limit: number; q?: string; cursor?: string }): Promise<OutboxList> {
  assertAdmin(actor);
  const after = query.cursor ? parseCursor(query.cursor) : undefined;
  const rows = await findOutboxEntries(ctx.db, query.limit + 1, query.q || undefined, after);
  const page = rows.slice(0, query.limit);
  const items = await Promise.all(page.map(async (r) => ({
    emailId: r.email_id, from: r.from_email, to: r.to_email, subject: r.subject, createdAt: r.created_at.toISOString(), raw: r.raw,
    ...(await decodeOutboxMessage(r.raw)),
  })));
  const last = page.at(-1);
  return {
    items,
    ...(rows.length > query.limit && last ? { nextCursor: `${last.created_at.getTime()}_${last.email_id}` } : {}),
    smtpConfigured: ctx.config.smtpUrl !== null,
  };
}

function parseCursor(cursor: string): { at: Date; emailId: string } {
  const [ms, emailId] = cursor.split('_');
  const at = new Date(Number(ms));
  if (Number.isNaN(at.getTime()) || !emailId) throw invalid('querystring.cursor: expected the nextCursor of the page before');
  return { at, emailId };
}

const header = (parsed: ParsedMail, name: string): string | null => {
  const line = parsed.headerLines.find((l) => l.key === name);
  return line ? line.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim() : null;
};

/** The parts of a composed message a person reads: sender, threading and unsubscribe headers, HTML and text. */
async function decodeOutboxMessage(raw: string) {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  return {
    fromHeader: parsed.from?.text ?? '',
    headers: {
      messageId: header(parsed, 'message-id'),
      inReplyTo: header(parsed, 'in-reply-to'),
      references: header(parsed, 'references'),
      listUnsubscribe: header(parsed, 'list-unsubscribe'),
      listUnsubscribePost: header(parsed, 'list-unsubscribe-post'),
    },
    html: typeof parsed.html === 'string' ? parsed.html : null,
    text: parsed.text ?? null,
  };
}
