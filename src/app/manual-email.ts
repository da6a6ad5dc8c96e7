import type { ManualEmailDraft, SendManualEmailInput, SentManualEmail } from '../contract/manual-email.ts';
import type { StepContent } from '../domain/cadence.ts';
import { renderDraft, type Draft, type DraftMode } from '../domain/merge-draft.ts';
import { collapseNewlines, isHtmlTemplate, renderSubject, type MergeContext } from '../domain/template.ts';
import type { Handle } from '../store/database.ts';
import { loadThreadParents, type ThreadParent } from '../store/execution.repository.ts';
import { findLead, findSuppressions, type LeadWithOwner } from '../store/lead.repository.ts';
import { findSender, findTaskById, findTaskTemplate, insertManualEmail } from '../store/manual-email.repository.ts';
import type { TaskRow } from '../store/schema.ts';
import { markTaskCompleted } from '../store/task.repository.ts';
import { assertOwns, type Actor } from './actor.ts';
import { newToken } from './advance.ts';
import type { AppContext } from './context.ts';
import { AppError, invalid, invalidState, notFound } from './errors.ts';
import { buildEmail, ContentError, mergeContext, replySubject } from './step-content.ts';
import { lockOpenTask, moveEnrollmentOn } from './tasks.ts';
import { toEmail } from './views/emails.ts';
import { toTask } from './views/tasks.ts';

/**
 * A manual email step makes a task for the rep; the rep reviews the draft, may edit it,
 * and sends it. It then goes exactly as an automatic step's email: queued for the
 * sender from the task owner's mailbox (caps, suppressions and the outbox or SMTP
 * apply), tracked, threaded, and the task completes, which moves the enrolment on.
 */

/** What a manual email is made of, for one task and its lead. */
interface Prepared {
  task: TaskRow;
  who: LeadWithOwner;
  merge: MergeContext;
  cadenceName: string;
  content: Pick<StepContent, 'subject' | 'body' | 'threadWithPrevious'>;
  parent: ThreadParent | undefined;
}

export async function manualEmailDraft(ctx: AppContext, actor: Actor, taskId: string): Promise<ManualEmailDraft> {
  const task = await findTaskById(ctx.db, taskId);
  if (!task) throw notFound('task', taskId);
  assertOwns(actor, task.owner_id, 'task', taskId);
  if (task.status !== 'open') throw invalidState(`the task is already ${task.status}`);
  const p = await prepare(ctx.db, actor, assertManualEmail(task));
  const threaded = p.parent !== undefined;
  const body = renderTemplate('the step\u2019s body', p.content.body ?? '', bodyMode(p.content.body ?? ''), p.merge);
  const subject = threaded ? null : renderTemplate('the step\u2019s subject', p.content.subject ?? '', 'text', p.merge);
  const from = p.who.mailbox?.from_email ?? p.who.owner?.email ?? 'cadenza@localhost';
  const fromName = p.who.mailbox?.from_name ?? p.who.owner?.name ?? null;
  return {
    to: p.who.lead.email,
    from: fromName ? `${fromName} <${from}>` : from,
    subject: threaded ? replySubject(p.parent!.subject) : collapseNewlines(subject!.output),
    body: body.output,
    format: bodyMode(p.content.body ?? ''),
    threaded,
    missing: [...new Set([...(subject?.missing ?? []), ...body.missing])],
  };
}

/**
 * Sends the task's email, with the rep's edits if any, and completes the task, in one
 * transaction: refused while a merge field lacks a value (422, naming them), for a lead
 * that unsubscribed or bounced (409), and for a task that is not an open manual email.
 */
export async function sendManualEmail(ctx: AppContext, actor: Actor, taskId: string, input: SendManualEmailInput): Promise<SentManualEmail> {
  const edits = input ?? {};
  return ctx.db.transaction().execute(async (trx) => {
    const task = assertManualEmail(await lockOpenTask(trx, actor, taskId));
    const p = await prepare(trx, actor, task);
    await assertReachable(trx, p.who);
    const subject = edits.subject ?? p.content.subject ?? '';
    const body = edits.body ?? p.content.body ?? '';
    // A threaded email's subject is `Re: …` unless the rep wrote one.
    const subjectMissing = edits.subject !== undefined || !p.parent
      ? renderTemplate(edits.subject !== undefined ? 'body.subject' : 'the step\u2019s subject', subject, 'text', p.merge).missing
      : [];
    const bodyMissing = renderTemplate(edits.body !== undefined ? 'body.body' : 'the step\u2019s body', body, bodyMode(body), p.merge).missing;
    const missing = [...new Set([...subjectMissing, ...bodyMissing])];
    if (missing.length > 0) {
      const where = [subjectMissing.length ? `subject: ${subjectMissing.join(', ')}` : '', bodyMissing.length ? `body: ${bodyMissing.join(', ')}` : '']
        .filter(Boolean).join('; ');
      throw new AppError('unprocessable', `merge fields without a value (${where}): fill them in or give them a fallback`, { missing });
    }
    const now = ctx.clock.now();
    const content = { ...p.content, subject, body, type: 'email' as const, mode: 'manual' as const, title: null, instructions: null, priority: 'normal' as const };
    let row;
    try {
      row = buildEmail(content, p.who, p.cadenceName, {
        id: ctx.newId(), token: newToken(), enrollmentId: task.enrollment_id ?? '', stepId: task.step_id, boostId: task.boost_id,
      }, p.parent, ctx.config.publicUrl, now, now);
      if (edits.subject !== undefined) row.subject = renderEditedSubject(edits.subject, p.merge);
    } catch (e) {
      if (e instanceof ContentError) throw new AppError('unprocessable', e.message);
      throw e;
    }
    const email = await insertManualEmail(trx, { ...row, enrollment_id: task.enrollment_id, task_id: task.id });
    const done = await markTaskCompleted(trx, task.id, { outcome: null, note: null }, now);
    await moveEnrollmentOn(ctx, trx, task, now);
    return { task: toTask(done), email: toEmail(email) };
  });
}

function assertManualEmail(task: TaskRow): TaskRow {
  if (task.type !== 'email') throw invalidState(`task ${task.id} is a ${task.type === 'call' ? 'call' : 'to-do'}, not a manual email`);
  return task;
}

/** The lead, the task owner's mailbox, the templates and the email it follows up, for one task. */
async function prepare(h: Handle, actor: Actor, task: TaskRow): Promise<Prepared> {
  const [lead, template] = await Promise.all([findLead(h, task.record_id), findTaskTemplate(h, task)]);
  if (!lead) throw notFound('record', task.record_id);
  // From the task owner's mailbox: a task handed to another rep is sent by that rep.
  const ownerId = task.owner_id ?? lead.owner_id ?? actor.id;
  const sender = await findSender(h, ownerId);
  const who: LeadWithOwner = { lead, owner: sender?.user ?? null, mailbox: sender?.mailbox ?? null };
  // A task whose step no version has any more is sent as it was rendered when created.
  const content = template?.content ?? { subject: task.subject, body: task.body, threadWithPrevious: false };
  const cadenceName = template?.cadenceName ?? '';
  const parent = content.threadWithPrevious && task.enrollment_id
    ? (await loadThreadParents(h, [task.enrollment_id])).get(task.enrollment_id)
    : undefined;
  return { task, who, merge: mergeContext(who, cadenceName), cadenceName, content, parent };
}

/** No email to an address that unsubscribed or bounced, whichever lead carries it. */
async function assertReachable(h: Handle, who: LeadWithOwner): Promise<void> {
  const { lead } = who;
  const [suppressed] = await findSuppressions(h, [lead.email.toLowerCase()]);
  const why = lead.bounced || suppressed?.reason === 'bounced' ? 'bounced' : lead.unsubscribed || suppressed ? 'unsubscribed' : null;
  if (why) throw invalidState(`${lead.email} ${why === 'bounced' ? 'bounced' : 'unsubscribed'}: no email may be sent to it`);
}

/** The rep's own subject wins over `Re: …`; the email still goes in the thread. */
function renderEditedSubject(source: string, merge: MergeContext): string {
  try {
    return renderSubject(source, merge) || '(no subject)';
  } catch (e) {
    throw new ContentError('subject', e);
  }
}

const bodyMode = (source: string): DraftMode => (isHtmlTemplate(source) ? 'html' : 'text');

/**
 * Renders a template as a draft. One that does not parse or goes over the limits is
 * the rep's bad input when it is an edit (`body.subject`, `body.body`: 400), else the
 * cadence's (422).
 */
function renderTemplate(where: string, source: string, mode: DraftMode, merge: MergeContext): Draft {
  try {
    return renderDraft(source, mode, merge);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (where.startsWith('body.')) throw invalid(`${where}: cannot be rendered: ${message}`, [{ path: where, message }]);
    throw new AppError('unprocessable', `${where} cannot be rendered for this lead: ${message}`);
  }
}
