import { z } from 'zod';
import { id, instant, pageQuery, uuidInput } from './common.ts';
import { EMAIL_STATUSES } from './enums.ts';

/** Emails sent or queued for enrolments. */
export const email = z.object({
  id,
  messageId: z.string(),
  status: z.enum(EMAIL_STATUSES),
  /** `Name <address>` or the address alone. */
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  enrollmentId: id.nullable(),
  stepId: z.string().nullable(),
  boostId: z.string().optional(),
  recordId: id,
  inReplyTo: z.string().optional(),
  queuedAt: instant,
  sendAfter: instant,
  sentAt: instant.optional(),
  error: z.string().optional(),
});
export type Email = z.infer<typeof email>;
export const emailList = z.object({ items: z.array(email) });

export const emailQuery = z.object({
  enrollmentId: uuidInput('an enrollment').optional(),
  recordId: uuidInput('a record').optional(),
  status: z.enum(EMAIL_STATUSES).optional(),
  ...pageQuery,
});
export type EmailQuery = z.infer<typeof emailQuery>;
