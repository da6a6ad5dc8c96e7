import { analyzeInbound, InboundParseError, type InboundAnalysis, type InboundKind } from '../mail/inbound.ts';
import { findEmailsByMessageIds } from '../store/email.repository.ts';
import { liveEnrollmentsOfRecords, pauseUntil } from '../store/enrollment.repository.ts';
import { findLeadsByEmail } from '../store/lead.repository.ts';
import { insertSignals } from '../store/signal.repository.ts';
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

/** `POST /api/inbound/email`: an admin's integration (a mail relay) hands in a message. */
export async function receiveInboundFrom(ctx: AppContext, actor: Actor, raw: Buffer | null): Promise<InboundResult> {
  assertAdmin(actor);
  if (!raw || raw.length === 0) throw invalid('send the raw message with Content-Type: message/rfc822');
  return receiveInbound(ctx, raw);
}

/**
 * Takes one inbound message: says what it is, ties it to what we sent (by
 * In-Reply-To/References, else by the sender's address) and applies its signal.
 * Mail we sent ourselves is never taken for a reply.
 * Called as it is for mail the server fetched itself (the mailbox poller).
 */
export async function receiveInbound(ctx: AppContext, raw: Buffer): Promise<InboundResult> {
  const now = ctx.clock.now();
  let analysis: InboundAnalysis;
  try {
    analysis = await analyzeInbound(raw, now);
  } catch (e) {
    if (e instanceof InboundParseError) throw invalid(`the message cannot be parsed: ${e.message}`);
    throw e;
  }
  if (analysis.cadenzaEmailId) return { kind: analysis.kind, matched: false };

  return ctx.db.transaction().execute(async (trx) => {
    const related = await findEmailsByMessageIds(trx, analysis.relatedMessageIds);
    const email: EmailRow | undefined = related[0];
    switch (analysis.kind) {
      case 'reply':
      case 'other': {
        let leads: LeadRow[] = [];
        if (!email && analysis.from) {
          leads = await findLeadsByEmail(trx, analysis.from);
          const live = await liveEnrollmentsOfRecords(trx, leads.map((l) => l.id));
          leads = leads.filter((l) => live.some((e) => e.record_id === l.id));
        }
        if (!email && leads.length === 0) return { kind: analysis.kind, matched: false };
        // A message from a lead we are prospecting is a reply even without threading headers.
        const exited: ExitedEnrollment[] = [];
        if (email) {
          exited.push(...(await applySignalIn(ctx, trx, null, { type: 'replied', messageId: email.message_id })).exited);
        }
        for (const lead of leads) {
          exited.push(...(await applySignalIn(ctx, trx, null, { type: 'replied', recordId: lead.id })).exited);
        }
        return {
          kind: 'reply', matched: true,
          ...(email?.enrollment_id ? { enrollmentId: email.enrollment_id } : {}),
          recordId: email?.record_id ?? leads[0].id, exited,
        };
      }
      case 'auto_reply': {
        const leads = email ? [] : analysis.from ? await findLeadsByEmail(trx, analysis.from) : [];
        const recordIds = email ? [email.record_id] : leads.map((l) => l.id);
        const live = (await liveEnrollmentsOfRecords(trx, recordIds)).filter((e) => e.status === 'active' || e.status === 'paused');
        const until = analysis.returnDate && analysis.returnDate > now
          ? analysis.returnDate
          : new Date(now.getTime() + DEFAULT_OUT_OF_OFFICE_DAYS * 86_400_000);
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
      case 'bounce':
      case 'complaint': {
        const type = analysis.kind === 'bounce' ? 'bounced' : 'unsubscribed';
        if (analysis.kind === 'bounce' && !analysis.permanent) return { kind: 'bounce', matched: !!email };
        const targets = new Map<string, string | undefined>();
        if (email) targets.set(email.record_id, email.message_id);
        for (const address of analysis.bouncedRecipients) {
          for (const lead of await findLeadsByEmail(trx, address)) if (!targets.has(lead.id)) targets.set(lead.id, undefined);
        }
        const exited: ExitedEnrollment[] = [];
        for (const [recordId, messageId] of targets) {
          const input = messageId ? { type, messageId } as const : { type, recordId } as const;
          exited.push(...(await applySignalIn(ctx, trx, null, input)).exited);
        }
        return {
          kind: analysis.kind, matched: targets.size > 0,
          ...(email?.enrollment_id ? { enrollmentId: email.enrollment_id } : {}),
          ...(targets.size ? { recordId: [...targets.keys()][0] } : {}), exited,
        };
      }
    }
  });
}
