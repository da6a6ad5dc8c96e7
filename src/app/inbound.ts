import { analyzeInbound, InboundParseError, type InboundAnalysis, type InboundKind } from '../mail/inbound.ts';
import { replySender, sameAddress } from '../domain/reply-sender.ts';
import type { Trx } from '../store/database.ts';
import { findCadences } from '../store/cadence.repository.ts';
import { findEmailsByMessageIds } from '../store/email.repository.ts';
import { exitEnrollments, liveEnrollmentsOfRecords, pauseUntil } from '../store/enrollment.repository.ts';
import { findLeadsByEmails } from '../store/inbound.repository.ts';
import { markInboundSeen } from '../store/inbound-failure.repository.ts';
import { findLeads } from '../store/lead.repository.ts';
import { advanceMailboxCursor, type MailboxPosition } from '../store/mailbox.repository.ts';
import { insertSignal, insertSignals } from '../store/signal.repository.ts';
import type { EmailRow, LeadRow } from '../store/schema.ts';
import { assertAdmin, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { invalid } from './errors.ts';
import type { ExitedEnrollment } from './exits.ts';
import { applySignalIn } from './signals.ts';

export interface InboundResult {
  kind: InboundKind;
  matched: boolean;
  enrollmentId?: string;
  recordId?: string;
  exited?: ExitedEnrollment[];
  pausedUntil?: string;
}

const DEFAULT_OUT_OF_OFFICE_DAYS = 7;

/**
 * The mailbox's cursor was already at or past the message: another poller took it in
 * (this one's claim had run out). Thrown inside the message's transaction, so that
 * nothing of it is applied twice.
 */
export class MessageAlreadyTaken extends Error {
  override name = 'MessageAlreadyTaken';
}

/** `POST /api/inbound/email`: an admin's integration (a mail relay) hands in a message. */
export async function receiveInboundFrom(ctx: AppContext, actor: Actor, raw: Buffer | null): Promise<InboundResult> {
  assertAdmin(actor);
  if (!raw || raw.length === 0) throw invalid('send the raw message with Content-Type: message/rfc822');
  return receiveInbound(ctx, raw);
}

/** As takeInbound; a message that cannot be parsed is a 400. */
export async function receiveInbound(ctx: AppContext, raw: Buffer): Promise<InboundResult> {
  try {
    return await takeInbound(ctx, raw);
  } catch (e) {
    if (e instanceof InboundParseError) throw invalid(`the message cannot be parsed: ${e.message}`);
    throw e;
  }
}

/**
 * Takes one inbound message: says what it is, ties it to what we sent (by
 * In-Reply-To/References, else by the sender's address) and applies its signal, in one
 * transaction. Mail we sent ourselves is never taken for a reply. Throws
 * InboundParseError for a message that cannot be parsed.
 *
 * `position`: where the message sits in a rep's mailbox (the poller). The mailbox's
 * cursor moves to it in the same transaction, so a message is applied exactly once
 * whatever fails when.
 */
export async function takeInbound(ctx: AppContext, raw: Buffer, position?: MailboxPosition): Promise<InboundResult> {
  const analysis = await analyzeInbound(raw, ctx.clock.now());
  return ctx.db.transaction().execute(async (trx) => {
    // A message the mailbox took in before (read again after its folder's UIDVALIDITY changed) is not applied twice.
    const again = position && analysis.messageId && !(await markInboundSeen(trx, position.userId, analysis.messageId, ctx.clock.now()));
    const result = analysis.cadenzaEmailId || again ? { kind: analysis.kind, matched: false } : await applyInbound(ctx, trx, analysis);
    if (position && !(await advanceMailboxCursor(trx, position))) {
      throw new MessageAlreadyTaken(`message ${position.uid} of the mailbox of user ${position.userId} was already taken in`);
    }
    return result;
  });
}

async function applyInbound(ctx: AppContext, trx: Trx, analysis: InboundAnalysis): Promise<InboundResult> {
  const related = await findEmailsByMessageIds(trx, analysis.relatedMessageIds);
  switch (analysis.kind) {
    case 'reply':
    case 'other':
      return takeReply(ctx, trx, analysis, related);
    case 'auto_reply':
      return takeAutoReply(ctx, trx, analysis, related);
    case 'bounce':
    case 'complaint':
      return takeBounceOrComplaint(ctx, trx, analysis, related);
  }
}

/** The email of the thread, and its lead: the one sent to the sender when there is one (the latest otherwise). */
async function threadOf(trx: Trx, related: EmailRow[], from: string | null): Promise<{ email: EmailRow; lead: LeadRow } | null> {
  if (related.length === 0) return null;
  const leads = new Map((await findLeads(trx, [...new Set(related.map((e) => e.record_id))])).map((l) => [l.id, l]));
  const sentToSender = from ? related.find((e) => { const l = leads.get(e.record_id); return l && sameAddress(l.email, from); }) : undefined;
  const email = sentToSender ?? related.find((e) => leads.has(e.record_id));
  return email ? { email, lead: leads.get(email.record_id)! } : null;
}

/** Leads with this address that a cadence is prospecting (a live enrolment). */
async function prospectedLeads(trx: Trx, address: string | null, except: string | null = null): Promise<LeadRow[]> {
  if (!address) return [];
  const leads = (await findLeadsByEmails(trx, [address])).filter((l) => l.id !== except);
  const live = await liveEnrollmentsOfRecords(trx, leads.map((l) => l.id));
  return leads.filter((l) => live.some((e) => e.record_id === l.id));
}

/**
 * A reply counts when it comes from the lead's address (or, under a cadence that says
 * so, from the lead's company). A message on our thread from anyone else is recorded for
 * the lead's timeline and ends nothing. A message without threading headers from a lead
 * we are prospecting is that lead's reply.
 */
async function takeReply(ctx: AppContext, trx: Trx, analysis: InboundAnalysis, related: EmailRow[]): Promise<InboundResult> {
  // A machine's notice (a read receipt, a delivery receipt, daemon chatter) is never a
  // reply, even from the lead's own address on our thread.
  if (analysis.automated && analysis.kind !== 'reply') return { kind: analysis.kind, matched: false };
  const found = await threadOf(trx, related, analysis.from);
  const sender = found ? replySender(analysis.from, found.lead.email) : 'other';
  // Daemon chatter on our thread (a delay notice, a report that is no bounce) is nobody's reply.
  const thread = found && (sender === 'lead' || analysis.kind === 'reply') ? found : null;
  // The sender may be a lead of ours too, replying on someone else's thread: their own reply.
  const senders = await prospectedLeads(trx, analysis.from, thread?.lead.id ?? null);
  if (!thread && senders.length === 0) return { kind: analysis.kind, matched: false };

  const exited: ExitedEnrollment[] = [];
  if (thread && sender === 'lead') {
    exited.push(...(await applySignalIn(ctx, trx, null, { type: 'replied', messageId: thread.email.message_id })).exited);
  } else if (thread) {
    exited.push(...(await takeOthersReply(ctx, trx, analysis, thread, sender === 'colleague')));
  }
  for (const lead of senders) {
    exited.push(...(await applySignalIn(ctx, trx, null, { type: 'replied', recordId: lead.id })).exited);
  }
  const enrollmentId = thread?.email.enrollment_id;
  return {
    kind: 'reply', matched: true,
    ...(enrollmentId ? { enrollmentId } : {}),
    recordId: thread?.lead.id ?? senders[0].id, exited,
  };
}

/**
 * Someone other than the lead answered on the lead's thread: a `reply_other` signal on
 * the lead (its timeline shows it). A colleague's reply ends the enrolments of cadences
 * that count replies from the lead's company; nothing else ends.
 */
async function takeOthersReply(
  ctx: AppContext, trx: Trx, analysis: InboundAnalysis, thread: { email: EmailRow; lead: LeadRow }, colleague: boolean,
): Promise<ExitedEnrollment[]> {
  const now = ctx.clock.now();
  let exited: ExitedEnrollment[] = [];
  if (colleague) {
    const live = await liveEnrollmentsOfRecords(trx, [thread.lead.id]);
    const cadences = await findCadences(trx, [...new Set(live.map((e) => e.cadence_id))]);
    const counting = live.filter((e) => {
      const rules = cadences.get(e.cadence_id)?.definition.exitOn;
      return rules?.onReply === true && rules.replyFrom === 'domain';
    });
    exited = (await exitEnrollments(trx, counting.map((e) => e.id), 'replied', now)).map((id) => ({ id, reason: 'replied' as const }));
  }
  await insertSignal(trx, {
    id: ctx.newId(), type: 'reply_other', record_id: thread.lead.id, enrollment_id: thread.email.enrollment_id,
    email_id: thread.email.id, step_id: thread.email.step_id, machine: false,
    data: JSON.stringify({ from: analysis.from?.slice(0, 320) ?? null, colleague, exited: exited.length }), at: now,
  });
  return exited;
}

/**
 * An out-of-office pauses the enrolments of the lead who sent it (by its address, or the
 * thread's lead when the sender is that lead) until the return date it names, else a week.
 */
async function takeAutoReply(ctx: AppContext, trx: Trx, analysis: InboundAnalysis, related: EmailRow[]): Promise<InboundResult> {
  const now = ctx.clock.now();
  const thread = await threadOf(trx, related, analysis.from);
  const fromThreadLead = thread !== null && analysis.from !== null && sameAddress(thread.lead.email, analysis.from);
  const recordIds = fromThreadLead
    ? [thread.lead.id]
    : analysis.from ? (await findLeadsByEmails(trx, [analysis.from])).map((l) => l.id) : [];
  if (recordIds.length === 0) return { kind: 'auto_reply', matched: false };
  const email = fromThreadLead ? thread.email : null;
  const live = (await liveEnrollmentsOfRecords(trx, recordIds)).filter((e) => e.status === 'active' || e.status === 'paused');
  const until = pauseEnd(analysis.returnDate, now);
  // Recorded for the lead's timeline, with the return date when it pauses anything.
  await insertSignals(trx, recordIds.map((recordId) => ({
    id: ctx.newId(), type: 'auto_reply', record_id: recordId, enrollment_id: email?.enrollment_id ?? null,
    email_id: email?.id ?? null, step_id: email?.step_id ?? null, machine: false,
    data: JSON.stringify(live.length > 0 ? { until: until.toISOString() } : {}), at: now,
  })));
  if (live.length === 0) return { kind: 'auto_reply', matched: !!email };
  await pauseUntil(trx, live.map((e) => e.id), until, now);
  return {
    kind: 'auto_reply', matched: true,
    ...(email?.enrollment_id ? { enrollmentId: email.enrollment_id } : {}),
    recordId: recordIds[0], pausedUntil: until.toISOString(),
  };
}

/**
 * Until when an out-of-office pauses: the return date it names (midnight UTC of that
 * day); "back today" (a responder not yet switched off) until tomorrow; no date, a week.
 */
function pauseEnd(returnDate: Date | null, now: Date): Date {
  if (returnDate && returnDate > now) return returnDate;
  if (returnDate && now.getTime() - returnDate.getTime() < 86_400_000) return new Date(returnDate.getTime() + 86_400_000);
  return new Date(now.getTime() + DEFAULT_OUT_OF_OFFICE_DAYS * 86_400_000);
}

/**
 * A report that is no hard bounce of the address: a soft one (a full mailbox, a
 * greylisting delay, a warning), or a policy refusal of our server (5.7.x: a blocklist,
 * spam filtering), which says nothing about the lead's address. Recorded on the leads it
 * names (their timeline shows it, with the server's words); nothing exits.
 */
function softBounce(analysis: InboundAnalysis): boolean {
  return analysis.kind === 'bounce' && (!analysis.permanent || /^5\.7\./.test(analysis.bounceStatus ?? ''));
}

async function recordSoftBounce(ctx: AppContext, trx: Trx, analysis: InboundAnalysis, related: EmailRow[]): Promise<InboundResult> {
  const named = analysis.bouncedRecipients;
  const thread = named.length > 0 ? null : await threadOf(trx, related, null);
  const leads = named.length > 0 ? await findLeadsByEmails(trx, named) : thread ? [thread.lead] : [];
  const now = ctx.clock.now();
  const data = JSON.stringify({ status: analysis.bounceStatus, reason: analysis.bounceReason?.slice(0, 300) ?? null, permanent: analysis.permanent });
  await insertSignals(trx, leads.map((lead) => {
    const email = related.find((e) => e.record_id === lead.id);
    return {
      id: ctx.newId(), type: 'soft_bounced', record_id: lead.id, enrollment_id: email?.enrollment_id ?? null,
      email_id: email?.id ?? null, step_id: email?.step_id ?? null, machine: false, data, at: now,
    };
  }));
  return { kind: 'bounce', matched: leads.length > 0, ...(leads[0] ? { recordId: leads[0].id } : {}) };
}

/**
 * A hard bounce or a complaint acts on the leads whose addresses the report names as
 * failed, never on the quoted email's lead when that is someone else (a forwarded or
 * reused Message-ID must not suppress the wrong lead). A report that names no recipient
 * falls back to the quoted email's lead.
 */
async function takeBounceOrComplaint(ctx: AppContext, trx: Trx, analysis: InboundAnalysis, related: EmailRow[]): Promise<InboundResult> {
  const kind = analysis.kind as 'bounce' | 'complaint';
  const type = kind === 'bounce' ? 'bounced' : 'unsubscribed';
  if (softBounce(analysis)) return recordSoftBounce(ctx, trx, analysis, related);
  const named = analysis.bouncedRecipients;
  const thread = named.length > 0 ? null : await threadOf(trx, related, null);

  const leads = named.length > 0 ? await findLeadsByEmails(trx, named) : thread ? [thread.lead] : [];
  // The email a lead's bounce is about: the quoted one when it was sent to that lead.
  const emailOf = (lead: LeadRow) => related.find((e) => e.record_id === lead.id);
  const exited: ExitedEnrollment[] = [];
  for (const lead of leads) {
    const email = emailOf(lead);
    // What the server said, for the lead's timeline.
    const data = { source: 'inbound', status: analysis.bounceStatus, reason: analysis.bounceReason?.slice(0, 300) ?? null, feedbackType: analysis.feedbackType };
    const input = email ? { type, messageId: email.message_id, data } as const : { type, recordId: lead.id, data } as const;
    exited.push(...(await applySignalIn(ctx, trx, null, input)).exited);
  }
  const first = leads[0];
  const enrollmentId = first ? emailOf(first)?.enrollment_id : undefined;
  return {
    kind, matched: leads.length > 0,
    ...(enrollmentId ? { enrollmentId } : {}),
    ...(first ? { recordId: first.id } : {}), exited,
  };
}
