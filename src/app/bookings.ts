import {
  readCalcomEvent, readCalendlyEvent, verifyCalcomSignature, verifyCalendlySignature, type BookingEvent, type BookingProvider, type SignatureCheck,
} from '../webhooks/booking-webhooks.ts';
import { findUnstorableText } from '../domain/storable-text.ts';
import {
  deleteIntegration, findBookingLeads, findIntegrationSecret, listIntegrationStatus, lockIntegration, recordIntegrationCall, upsertIntegration,
  type IntegrationStatus,
} from '../store/integration.repository.ts';
import { assertAdmin, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { AppError, invalid, notFound } from './errors.ts';
import type { ExitedEnrollment } from './exits.ts';
import { applySignalIn } from './signals.ts';

/** Booking tools' webhooks (Cal.com, Calendly): a booking by a lead's email is a `meeting_booked` signal. */

export const PROVIDERS: readonly BookingProvider[] = ['calcom', 'calendly'];

export interface IntegrationView {
  provider: BookingProvider;
  configured: boolean;
  webhookUrl: string;
  updatedAt: string | null;
  lastReceivedAt: string | null;
  lastError: string | null;
}

const webhookUrlOf = (ctx: AppContext, provider: BookingProvider) => `${ctx.config.publicUrl.replace(/\/+$/, '')}/api/integrations/${provider}`;

function toView(ctx: AppContext, provider: BookingProvider, row: IntegrationStatus | undefined): IntegrationView {
  return {
    provider,
    configured: row !== undefined,
    webhookUrl: webhookUrlOf(ctx, provider),
    updatedAt: row?.updated_at.toISOString() ?? null,
    lastReceivedAt: row?.last_received_at?.toISOString() ?? null,
    lastError: row?.last_error ?? null,
  };
}

/** Every provider, set up or not, with the address to give it; never a secret. */
export async function listIntegrations(ctx: AppContext, actor: Actor): Promise<IntegrationView[]> {
  assertAdmin(actor);
  const rows = new Map((await listIntegrationStatus(ctx.db)).map((r) => [r.provider, r]));
  return PROVIDERS.map((p) => toView(ctx, p, rows.get(p)));
}

export async function setIntegration(ctx: AppContext, actor: Actor, provider: BookingProvider, secret: string): Promise<IntegrationView> {
  assertAdmin(actor);
  return toView(ctx, provider, await upsertIntegration(ctx.db, provider, secret, ctx.clock.now()));
}

export async function removeIntegration(ctx: AppContext, actor: Actor, provider: BookingProvider): Promise<void> {
  assertAdmin(actor);
  if (!(await deleteIntegration(ctx.db, provider))) throw notFound('integration', provider);
}

export interface BookingHeaders {
  calcomSignature?: string;
  calendlySignature?: string;
}

export interface BookingOutcome {
  kind: 'booking' | 'ignored';
  matched: boolean;
  recordId?: string;
  recordIds?: string[];
  exited?: ExitedEnrollment[];
  /** Leads this booking had already been counted for (a provider's retry, a replay). */
  alreadyCounted?: string[];
}

const unauthorized = (reason: string) => new AppError('unauthorized', reason);

/**
 * A provider's webhook call, first step: the signature, checked on the exact bytes
 * received before anything is parsed. A call that is not signed by the provider's secret
 * (or that names a provider not set up) is a 401 that writes nothing.
 */
export async function verifyBookingCall(ctx: AppContext, provider: BookingProvider, raw: Buffer, headers: BookingHeaders): Promise<void> {
  const secret = await findIntegrationSecret(ctx.db, provider);
  if (secret === undefined) throw unauthorized(`${provider} is not set up: an admin gives its signing secret with PUT /api/integrations/${provider}`);
  const check: SignatureCheck = provider === 'calcom'
    ? verifyCalcomSignature(secret, raw, headers.calcomSignature)
    : verifyCalendlySignature(secret, raw, headers.calendlySignature, ctx.clock.now());
  if (!check.ok) throw unauthorized(check.reason);
}

/**
 * Second step, once verified and parsed: a booking by one or more leads' addresses is a
 * `meeting_booked` signal for each (their enrolments exit as their cadences say), once
 * per booking whatever the number of deliveries; other events are acknowledged.
 */
export async function applyBookingCall(ctx: AppContext, provider: BookingProvider, body: unknown): Promise<BookingOutcome> {
  const event = readEvent(provider, body);
  if (event.kind === 'unreadable') throw invalid(`${event.path}: ${event.message}`, [{ path: event.path, message: event.message }]);

  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    // Deliveries of one provider apply one after another: a retry racing the first sees its signal.
    if (!(await lockIntegration(trx, provider))) throw unauthorized(`${provider} is not set up`);
    if (event.kind === 'ignored') {
      await recordIntegrationCall(trx, provider, now, event.problem);
      return { kind: 'ignored', matched: false };
    }
    const uids = [event.uid, ...(event.rescheduledFrom ? [event.rescheduledFrom] : [])];
    const leads = await findBookingLeads(trx, provider, event.emails, uids);
    const outcome: BookingOutcome = { kind: 'booking', matched: leads.length > 0, exited: [] };
    for (const lead of leads.filter((l) => !l.counted)) {
      const applied = await applySignalIn(ctx, trx, null, {
        type: 'meeting_booked',
        recordId: lead.id,
        data: { provider, event: event.event, bookingUid: event.uid, ...(event.startTime ? { startTime: event.startTime } : {}) },
      });
      outcome.exited!.push(...applied.exited);
    }
    if (leads.length > 0) {
      outcome.recordId = leads[0].id;
      outcome.recordIds = leads.map((l) => l.id);
      const counted = leads.filter((l) => l.counted).map((l) => l.id);
      if (counted.length) outcome.alreadyCounted = counted;
    }
    await recordIntegrationCall(trx, provider, now, null);
    return outcome;
  });
}

function readEvent(provider: BookingProvider, body: unknown): BookingEvent {
  const event = provider === 'calcom' ? readCalcomEvent(body) : readCalendlyEvent(body);
  // A problem is recorded on the integration: it quotes the payload, so it is made storable.
  if (event.kind === 'ignored' && event.problem) return { ...event, problem: event.problem.slice(0, 500).replace(/[\u0000\p{Cs}]/gu, '\uFFFD') };
  if (event.kind !== 'booking') return event;
  // Only these strings are stored (the signal's data): NULs and lone surrogates are refused.
  const hit = findUnstorableText({ uid: event.uid, event: event.event, emails: event.emails }, 'payload');
  return hit ? { kind: 'unreadable', path: hit.path, message: hit.message } : event;
}
