import type { SignalType } from '../domain/rules.ts';
import { isUuid } from '../domain/ids.ts';
import type { Trx } from '../store/database.ts';
import { findEmailByMessageId } from '../store/email.repository.ts';
import { lockEnrollments } from '../store/enrollment.repository.ts';
import { findLead, findLeadsByEmail, insertSuppression, updateLead } from '../store/lead.repository.ts';
import { insertSignal, type IntentTarget } from '../store/signal.repository.ts';
import type { EmailRow, LeadRow } from '../store/schema.ts';
import { assertOwns, type Actor } from './actor.ts';
import { fireBoosts } from './boosts.ts';
import type { AppContext } from './context.ts';
import { AppError, invalid, notFound } from './errors.ts';
import { exitOnSignal, type ExitedEnrollment } from './exits.ts';
import { recordLoneIntent } from './lone-intents.ts';

export interface SignalInput {
  type: SignalType;
  recordId?: string;
  messageId?: string;
  /** The lead's address, instead of recordId or messageId (case-insensitive). */
  email?: string;
  at?: Date;
  /** Machine opens (privacy proxies, link scanners) are recorded but count for nothing. */
  machine?: boolean;
  data?: Record<string, unknown>;
}

export interface SignalOutcome {
  recordId: string;
  emailId: string | null;
  exited: ExitedEnrollment[];
  boosts: string[];
}

/**
 * Applies one signal in one transaction: record it, then let the rules decide which
 * enrolments end (replies, meetings, bounces, unsubscribes, conversions) and which
 * boosts fire (opens, clicks).
 */
export async function applySignal(ctx: AppContext, actor: Actor | null, input: SignalInput): Promise<SignalOutcome> {
  return (await recordLoneOpenOrClick(ctx, actor, input)) ?? applySignalInTransaction(ctx, actor, input);
}

/** The full path of `applySignal`, in a transaction of its own. */
export async function applySignalInTransaction(ctx: AppContext, actor: Actor | null, input: SignalInput): Promise<SignalOutcome> {
  return ctx.db.transaction().execute((trx) => applySignalIn(ctx, trx, actor, input));
}

/**
 * Most opens and clicks change nothing but the signals table: those are recorded in
 * one statement, shared with others arriving together (see lone-intents.ts).
 * Undefined when the full path must run: an error to report, or a boost that may fire.
 */
async function recordLoneOpenOrClick(ctx: AppContext, actor: Actor | null, input: SignalInput): Promise<SignalOutcome | undefined> {
  if (input.type !== 'opened' && input.type !== 'clicked') return undefined;
  const target = intentTarget(input);
  if (!target) return undefined;
  const recorded = await recordLoneIntent(ctx, {
    id: ctx.newId(),
    type: input.type,
    target,
    machine: input.machine ?? false,
    machineIfSentAfter: null,
    visibleTo: actor && actor.role !== 'admin' ? actor.id : null,
    data: JSON.stringify(input.data ?? {}),
    at: input.at ?? ctx.clock.now(),
  });
  return recorded && { recordId: recorded.record_id, emailId: recorded.email_id, exited: [], boosts: [] };
}

function intentTarget(input: SignalInput): IntentTarget | undefined {
  if (input.email !== undefined) return undefined; // the full path finds the lead by address
  if (input.recordId !== undefined && !isUuid(input.recordId)) return undefined;
  if (input.messageId !== undefined) {
    const messageId = input.messageId.startsWith('<') ? input.messageId : `<${input.messageId}>`;
    return { messageId, recordId: input.recordId };
  }
  return input.recordId !== undefined ? { recordId: input.recordId } : undefined;
}

export async function applySignalIn(
  ctx: AppContext,
  trx: Trx,
  actor: Actor | null,
  input: SignalInput,
): Promise<SignalOutcome> {
  const now = ctx.clock.now();
  const { lead, email } = await resolveTarget(trx, input);
  // Named by address, another rep's lead is as unknown as an address no lead has.
  if (actor && input.email !== undefined && actor.role !== 'admin' && lead.owner_id !== actor.id) throw unknownEmail(input.email);
  if (actor) assertOwns(actor, lead.owner_id, 'record', lead.id);
  const at = input.at ?? now;
  // An open or click that may fire a boost locks its enrolment before the signal's
  // foreign key takes a share lock on it: the other way round, two opens of one
  // enrolment deadlock (each holding the share lock the other's update waits for).
  const boosting = (input.type === 'opened' || input.type === 'clicked') && !input.machine ? email?.enrollment_id : null;
  const [enrollment] = boosting ? await lockEnrollments(trx, [boosting]) : [];
  await insertSignal(trx, {
    id: ctx.newId(),
    type: input.type,
    record_id: lead.id,
    enrollment_id: email?.enrollment_id ?? null,
    email_id: email?.id ?? null,
    step_id: email?.step_id ?? null,
    machine: input.machine ?? false,
    data: JSON.stringify(input.data ?? {}),
    at,
  });

  const outcome: SignalOutcome = { recordId: lead.id, emailId: email?.id ?? null, exited: [], boosts: [] };
  switch (input.type) {
    case 'opened':
    case 'clicked': {
      if (enrollment) outcome.boosts = await fireBoosts(ctx, trx, enrollment, input.type, email?.step_id ?? null, now);
      break;
    }
    case 'bounced':
    case 'unsubscribed':
      await suppress(trx, lead, input.type, now);
      outcome.exited = await exitOnSignal(trx, [lead.id], input.type, now);
      break;
    case 'converted':
      await updateLead(trx, lead.id, { converted: true, module: 'contact', updated_at: now });
      outcome.exited = await exitOnSignal(trx, [lead.id], input.type, now);
      break;
    case 'replied':
    case 'meeting_booked':
      outcome.exited = await exitOnSignal(trx, [lead.id], input.type, now);
      break;
  }
  return outcome;
}

/** 404 naming the field: no lead has this address (or none the caller may see). */
function unknownEmail(address: string): AppError {
  const message = `no lead has the address ${address}`;
  return new AppError('not_found', `email: ${message}`, [{ path: 'body.email', message }]);
}

async function resolveTarget(trx: Trx, input: SignalInput): Promise<{ lead: LeadRow; email: EmailRow | null }> {
  if (input.email !== undefined) {
    const [lead] = await findLeadsByEmail(trx, input.email.trim());
    if (!lead) throw unknownEmail(input.email);
    return { lead, email: null };
  }
  let email: EmailRow | null = null;
  let recordId = input.recordId;
  if (input.messageId) {
    const wanted = input.messageId.startsWith('<') ? input.messageId : `<${input.messageId}>`;
    email = (await findEmailByMessageId(trx, wanted)) ?? null;
    if (!email) throw notFound('message', input.messageId);
    if (recordId && recordId !== email.record_id) throw invalid('messageId and recordId name different records');
    recordId = email.record_id;
  }
  if (!recordId) throw invalid('a signal names a recordId or a messageId');
  const lead = isUuid(recordId) ? await findLead(trx, recordId) : undefined;
  if (!lead) throw notFound('record', recordId);
  return { lead, email };
}

async function suppress(trx: Trx, lead: LeadRow, type: 'bounced' | 'unsubscribed', now: Date): Promise<void> {
  await updateLead(trx, lead.id, type === 'bounced' ? { bounced: true, updated_at: now } : { unsubscribed: true, updated_at: now });
  await insertSuppression(trx, lead.email.toLowerCase(), type, now);
}
