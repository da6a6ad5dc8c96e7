import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Booking webhooks of scheduling tools (Cal.com, Calendly): their signatures and their
 * payloads. Pure: the raw body, the header and the instant come in, a verdict goes out.
 *
 * - Cal.com: `x-cal-signature-256` = hex HMAC-SHA256(secret, raw body); no timestamp,
 *   so a replay is caught by the booking's uid (a booking counts once).
 * - Calendly: `Calendly-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(signing
 *   key, "<t>.<raw body>")>`; a `t` more than 3 minutes from our clock is refused.
 */

export type BookingProvider = 'calcom' | 'calendly';

/** How far a Calendly signature's timestamp may be from our clock (Calendly's advice: 3 minutes). */
export const CALENDLY_TOLERANCE_MS = 3 * 60_000;

/** The longest signature header read: a few hex digests and a timestamp. */
const MAX_HEADER = 1_000;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

const hmacHex = (secret: string, ...parts: Array<string | Buffer>) => {
  const mac = createHmac('sha256', secret);
  for (const p of parts) mac.update(p);
  return mac.digest();
};

/** Compares a hex digest a caller sent with ours, in constant time (and false for anything not 64 hex digits). */
function sameDigest(expected: Buffer, givenHex: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(givenHex)) return false;
  return timingSafeEqual(expected, Buffer.from(givenHex, 'hex'));
}

export function verifyCalcomSignature(secret: string, raw: Buffer, header: string | undefined): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing x-cal-signature-256 header' };
  if (header.length > MAX_HEADER) return { ok: false, reason: 'x-cal-signature-256 is too long' };
  // Some senders prefix the algorithm (`sha256=…`), as GitHub does.
  const given = header.trim().replace(/^sha256=/i, '');
  return sameDigest(hmacHex(secret, raw), given) ? { ok: true } : { ok: false, reason: 'x-cal-signature-256 does not match the body: check the secret' };
}

export function verifyCalendlySignature(secret: string, raw: Buffer, header: string | undefined, now: Date, toleranceMs = CALENDLY_TOLERANCE_MS): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing Calendly-Webhook-Signature header' };
  if (header.length > MAX_HEADER) return { ok: false, reason: 'Calendly-Webhook-Signature is too long' };
  let t: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (eq < 0) continue;
    if (key === 't') t = value;
    else if (key === 'v1') signatures.push(value);
  }
  if (t === undefined || !/^\d{1,12}$/.test(t)) return { ok: false, reason: 'Calendly-Webhook-Signature has no timestamp (t=)' };
  if (signatures.length === 0) return { ok: false, reason: 'Calendly-Webhook-Signature has no v1= signature' };
  const expected = hmacHex(secret, `${t}.`, raw);
  if (!signatures.some((s) => sameDigest(expected, s))) return { ok: false, reason: 'Calendly-Webhook-Signature does not match the body: check the signing key' };
  // Judged after the signature: an attacker learns nothing about our clock from a forged call.
  if (Math.abs(now.getTime() - Number(t) * 1000) > toleranceMs) {
    return { ok: false, reason: `Calendly-Webhook-Signature timestamp is more than ${toleranceMs / 60_000} minutes from the server's clock (a replay, or a clock that is off)` };
  }
  return { ok: true };
}

/** Signatures a provider sends (tests and the README use them to sign fixtures). */
export const signCalcom = (secret: string, raw: string | Buffer) => hmacHex(secret, raw).toString('hex');
export const signCalendly = (secret: string, raw: string | Buffer, unixSeconds: number) =>
  `t=${unixSeconds},v1=${hmacHex(secret, `${unixSeconds}.`, raw).toString('hex')}`;

// ---- payloads ----

/** A booking, read from a provider's payload. */
export interface Booking {
  kind: 'booking';
  provider: BookingProvider;
  /** The provider's event name (`BOOKING_CREATED`, `invitee.created`…). */
  event: string;
  /** The provider's id of this booking: a repeat of it counts once. */
  uid: string;
  /** A reschedule's original booking: a lead already counted for it is not counted again. */
  rescheduledFrom: string | null;
  /** The attendees' addresses, lower-cased, without repeats (the organizer is not one). */
  emails: string[];
  startTime: string | null;
}

/** An event that books nothing (a cancellation, a ping, a no-show…), or a booking we cannot read. */
export interface Ignored {
  kind: 'ignored';
  event: string;
  /** Set when it looked like a booking but lacked what we need: recorded on the integration. */
  problem: string | null;
}

/** A body that is no provider's payload: answered 400 naming the field. */
export interface Unreadable {
  kind: 'unreadable';
  path: string;
  message: string;
}

export type BookingEvent = Booking | Ignored | Unreadable;

const MAX_ATTENDEES = 100;
const text = z.string().max(2_000);
// Addresses are only compared with leads' (case-insensitively): a light check is enough.
const address = z.string().trim().max(320).regex(/^[^\s@]+@[^\s@]+$/);

const calcomBody = z.object({
  triggerEvent: z.string().min(1).max(100),
  payload: z.unknown().optional(),
});
const calcomBooking = z.object({
  uid: text.min(1),
  startTime: text.nullish(),
  rescheduleUid: text.nullish(),
  attendees: z.array(z.object({ email: z.unknown().optional() }).loose()).max(MAX_ATTENDEES),
}).loose();

const calendlyBody = z.object({
  event: z.string().min(1).max(100),
  payload: z.unknown().optional(),
});
const calendlyInvitee = z.object({
  uri: text.min(1),
  email: z.unknown().optional(),
  old_invitee: text.nullish(),
  scheduled_event: z.object({
    start_time: text.nullish(),
    event_guests: z.array(z.object({ email: z.unknown().optional() }).loose()).max(MAX_ATTENDEES).nullish(),
  }).loose().nullish(),
}).loose();

const CALCOM_BOOKINGS = new Set(['BOOKING_CREATED', 'BOOKING_RESCHEDULED']);
const CALENDLY_BOOKINGS = new Set(['invitee.created']);

function firstIssue(error: z.ZodError, prefix: string): Unreadable {
  const issue = error.issues[0];
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  return { kind: 'unreadable', path: path || 'body', message: issue.message };
}

const emailsOf = (values: unknown[]) =>
  [...new Set(values.flatMap((v) => {
    const parsed = address.safeParse(v);
    return parsed.success ? [parsed.data.toLowerCase()] : [];
  }))];

/** A Cal.com webhook body (already JSON-parsed): `{triggerEvent, createdAt, payload: {uid, attendees, startTime…}}`. */
export function readCalcomEvent(body: unknown): BookingEvent {
  const envelope = calcomBody.safeParse(body);
  if (!envelope.success) return firstIssue(envelope.error, 'body');
  const event = envelope.data.triggerEvent;
  if (!CALCOM_BOOKINGS.has(event)) return { kind: 'ignored', event, problem: null };
  const booking = calcomBooking.safeParse(envelope.data.payload);
  if (!booking.success) return { kind: 'ignored', event, problem: `${event} not understood: ${describe(booking.error, 'payload')}` };
  const emails = emailsOf(booking.data.attendees.map((a) => a.email));
  if (emails.length === 0) return { kind: 'ignored', event, problem: `${event} ${booking.data.uid} names no attendee email` };
  return {
    kind: 'booking', provider: 'calcom', event, uid: booking.data.uid,
    rescheduledFrom: event === 'BOOKING_RESCHEDULED' ? booking.data.rescheduleUid ?? null : null,
    emails, startTime: instantOrNull(booking.data.startTime),
  };
}

/** A Calendly webhook body: `{event, created_at, payload: {uri, email, old_invitee, scheduled_event: {start_time…}}}`. */
export function readCalendlyEvent(body: unknown): BookingEvent {
  const envelope = calendlyBody.safeParse(body);
  if (!envelope.success) return firstIssue(envelope.error, 'body');
  const event = envelope.data.event;
  if (!CALENDLY_BOOKINGS.has(event)) return { kind: 'ignored', event, problem: null };
  const invitee = calendlyInvitee.safeParse(envelope.data.payload);
  if (!invitee.success) return { kind: 'ignored', event, problem: `${event} not understood: ${describe(invitee.error, 'payload')}` };
  const scheduled = invitee.data.scheduled_event;
  const emails = emailsOf([invitee.data.email, ...(scheduled?.event_guests ?? []).map((g) => g.email)]);
  if (emails.length === 0) return { kind: 'ignored', event, problem: `${event} ${invitee.data.uri} names no invitee email` };
  return {
    kind: 'booking', provider: 'calendly', event, uid: invitee.data.uri,
    rescheduledFrom: invitee.data.old_invitee ?? null,
    emails, startTime: instantOrNull(scheduled?.start_time),
  };
}

function describe(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  return `${[prefix, ...issue.path.map(String)].join('.')}: ${issue.message}`;
}

function instantOrNull(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
