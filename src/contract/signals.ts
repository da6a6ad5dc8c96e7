import { z } from 'zod';
import { id, instant, instantInput } from './common.ts';
import { EXIT_REASONS, INBOUND_KINDS, SIGNAL_TYPES } from './enums.ts';

/** Signals from outside (API.md `POST /api/signals`) and inbound mail. */

export const signalInput = z
  .object({
    type: z.enum(SIGNAL_TYPES),
    recordId: z.string().min(1).optional(),
    messageId: z.string().min(1).max(998).optional(),
    /** The lead's address (compared case-insensitively), instead of recordId or messageId. */
    email: z.string().trim().min(3).max(320).regex(/^[^\s@]+@[^\s@]+$/, { message: 'expected an email address' }).optional(),
    at: instantInput.optional(),
  })
  .refine((s) => s.recordId !== undefined || s.messageId !== undefined || s.email !== undefined, {
    message: 'a signal names the lead by recordId, messageId or email',
    path: ['recordId'],
  })
  .refine((s) => s.email === undefined || (s.recordId === undefined && s.messageId === undefined), {
    message: 'name the lead one way: email, or recordId/messageId, not both',
    path: ['email'],
  });
export type SignalInput = z.infer<typeof signalInput>;

export const exitedEnrollment = z.object({ id, reason: z.enum(EXIT_REASONS) });

/** `202`: the signal was recorded; which enrolments it ended and which boosts it fired. */
export const signalAccepted = z.object({
  accepted: z.literal(true),
  recordId: id,
  exited: z.array(exitedEnrollment),
  boosts: z.array(z.string()),
});
export type SignalAccepted = z.infer<typeof signalAccepted>;

/** `POST /api/inbound/email` → `202`: what the message is, and whether it was tied to an enrolment. */
export const inboundResult = z.object({
  kind: z.enum(INBOUND_KINDS),
  matched: z.boolean(),
  enrollmentId: id.optional(),
  recordId: id.optional(),
  exited: z.array(exitedEnrollment).optional(),
  /** An auto-reply pauses the lead's enrolments until its return date (or a week). */
  pausedUntil: instant.optional(),
});
export type InboundResult = z.infer<typeof inboundResult>;
