import type { Insertable } from 'kysely';
import type { StepContent, StepType } from '../domain/cadence.ts';
import { boundMergeValues, htmlToText, isHtmlTemplate, renderBody, renderSubject, renderText, type MergeContext } from '../domain/template.ts';
import { addTracking } from '../mail/tracking.ts';
import type { ThreadParent } from '../store/execution.repository.ts';
import type { LeadWithOwner } from '../store/lead.repository.ts';
import type { EmailTable, TaskTable } from '../store/schema.ts';

/** Content shared by steps and boost actions. */
export type Content = StepContent & { type: StepType };

export function mergeContext(who: LeadWithOwner, cadenceName: string): MergeContext {
  const { lead, owner, mailbox } = who;
  const fullName = [lead.first_name, lead.last_name].filter(Boolean).join(' ') || null;
  const ownerName = owner?.name ?? '';
  return {
    lead: {
      firstName: lead.first_name,
      lastName: lead.last_name,
      fullName,
      email: lead.email,
      company: lead.company,
      phone: lead.phone,
      status: lead.status,
      // Bounded: a custom field holding megabytes must not make every render that touches it huge.
      fields: boundMergeValues(lead.fields ?? {}),
    },
    owner: { name: ownerName, email: owner?.email ?? '', firstName: ownerName.split(' ')[0] || null },
    sender: { name: mailbox?.from_name ?? owner?.name ?? null, email: mailbox?.from_email ?? owner?.email ?? '' },
    cadence: { name: cadenceName },
  };
}

/**
 * A step's content that cannot be rendered for this record (a template over the limits,
 * a value a filter refuses): `message` names the field, for the enrolment's failure reason.
 */
export class ContentError extends Error {
  constructor(readonly field: string, cause: unknown) {
    super(`the ${field} could not be rendered: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ContentError';
  }
}

function rendered<T>(field: string, render: () => T): T {
  try {
    return render();
  } catch (e) {
    throw new ContentError(field, e);
  }
}

const DEFAULT_TITLES: Record<StepType, string> = {
  call: 'Call {{lead.fullName | fallback: lead.email}}',
  task: 'Follow up with {{lead.fullName | fallback: lead.email}}',
  email: 'Email {{lead.fullName | fallback: lead.email}}',
};

/** A task row for a call, a to-do or a manual email, rendered for its record. */
export function buildTask(
  content: Content,
  who: LeadWithOwner,
  cadenceName: string,
  ids: { id: string; enrollmentId: string; stepId: string | null; boostId: string | null; ownerId: string | null },
  dueAt: Date,
  now: Date,
): Insertable<TaskTable> {
  const ctx = mergeContext(who, cadenceName);
  let body: string | null = content.instructions ? rendered('instructions', () => renderText(content.instructions!, ctx)) : null;
  let subject: string | null = null;
  if (content.type === 'email') {
    const email = renderEmailContent(content, ctx);
    subject = email.subject;
    body = email.text;
  }
  return {
    id: ids.id,
    enrollment_id: ids.enrollmentId,
    step_id: ids.stepId,
    boost_id: ids.boostId,
    record_id: who.lead.id,
    owner_id: ids.ownerId,
    type: content.type,
    title: rendered('title', () => renderText(content.title ?? (content.type === 'email' && subject ? `Email: ${subject}` : DEFAULT_TITLES[content.type]), ctx)),
    body,
    subject,
    priority: content.priority,
    due_at: dueAt,
    status: 'open',
    created_at: now,
  };
}

/** Subject and body, each named in the error if it cannot be rendered. */
export function renderEmailContent(content: Content, ctx: MergeContext): { subject: string; html: string; text: string } {
  const subject = rendered('subject', () => renderSubject(content.subject ?? '', ctx));
  return { subject, ...rendered('body', () => renderBody(content.body ?? '', ctx)) };
}

export interface EmailIds {
  id: string;
  token: string;
  enrollmentId: string;
  stepId: string | null;
  boostId: string | null;
}

/** A queued email row: rendered, threaded if asked, tracked, with its Message-ID fixed now. */
export function buildEmail(
  content: Content,
  who: LeadWithOwner,
  cadenceName: string,
  ids: EmailIds,
  parent: ThreadParent | undefined,
  publicUrl: string,
  sendAfter: Date,
  now: Date,
): Insertable<EmailTable> {
  const ctx = mergeContext(who, cadenceName);
  const email = renderEmailContent(content, ctx);
  const threaded = content.threadWithPrevious && parent !== undefined;
  const subject = threaded ? replySubject(parent.subject) : email.subject || '(no subject)';
  const tracked = addTracking(email.html, {
    openPixelUrl: `${publicUrl}/t/o/${ids.token}`,
    clickUrl: (i: number) => `${publicUrl}/t/c/${ids.token}.${i}`,
  });
  return {
    ...envelope(who, ids),
    status: 'queued',
    subject,
    html: tracked.html,
    // The text part of an HTML body is read from the tracked HTML: each link shows as
    // `text (url)` with the same tracked URL as the HTML part, so its clicks count too.
    text: isHtmlTemplate(content.body ?? '') ? htmlToText(tracked.html) : email.text,
    links: JSON.stringify(tracked.links),
    in_reply_to: threaded ? parent.messageId : null,
    refs: threaded ? [...parent.refs, parent.messageId] : [],
    send_after: sendAfter,
    queued_at: now,
  };
}

/** A threaded follow-up's subject: `Re:` once, whatever prefixes the previous one carried. */
export function replySubject(previous: string): string {
  return `Re: ${previous.replace(/^(\s*(re|aw|sv)\s*:\s*)+/i, '')}`;
}

/** The record of an email whose content could not be rendered: failed at once, with why, never sent. */
export function unrenderedEmail(who: LeadWithOwner, ids: EmailIds, error: ContentError, sendAfter: Date, now: Date): Insertable<EmailTable> {
  return {
    ...envelope(who, ids),
    status: 'failed',
    error: error.message,
    subject: '(not rendered)',
    html: '',
    text: '',
    links: '[]',
    in_reply_to: null,
    refs: [],
    send_after: sendAfter,
    queued_at: now,
  };
}

/** Who an email is from and to, and the ids that name it, with its Message-ID fixed now. */
function envelope(who: LeadWithOwner, ids: EmailIds) {
  const fromEmail = who.mailbox?.from_email ?? who.owner?.email ?? 'cadenza@localhost';
  return {
    id: ids.id,
    enrollment_id: ids.enrollmentId,
    step_id: ids.stepId,
    boost_id: ids.boostId,
    record_id: who.lead.id,
    sender_id: who.owner?.id ?? null,
    message_id: `<${ids.id}@${fromEmail.split('@')[1] ?? 'cadenza.local'}>`,
    token: ids.token,
    from_email: fromEmail,
    from_name: who.mailbox?.from_name ?? who.owner?.name ?? null,
    to_email: who.lead.email,
  };
}
