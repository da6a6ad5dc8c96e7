import { z } from 'zod';
import { instant, instantInput } from './common.ts';

/** Health, the dev clock and outbox. */

/** `GET /api/health`: 200 only while the database answers (503 otherwise). */
export const health = z.object({ ok: z.literal(true) });

/** `POST /api/dev/clock` (CADENZA_CLOCK=manual only): move forward by a duration or to an instant. */
export const clockInput = z
  .object({
    advance: z.iso.duration({ message: 'expected an ISO-8601 duration such as "P3D" or "PT2H"' }).optional(),
    to: instantInput.optional(),
  })
  .refine((b) => (b.advance === undefined) !== (b.to === undefined), { message: 'give exactly one of advance or to' });
export const clockAnswer = z.object({ now: instant });

/**
 * `GET /api/dev/outbox`: newest first; `q` matches the recipient, the sender or the
 * subject; `cursor` is the `nextCursor` of the page before.
 */
export const outboxQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(200).regex(/^[0-9]+_[0-9a-f-]{36}$/, 'expected the nextCursor of the page before').optional(),
});
/** The headers of an outbox message that say how it threads and unsubscribes (null: absent). */
export const outboxHeaders = z.object({
  messageId: z.string().nullable(),
  inReplyTo: z.string().nullable(),
  references: z.string().nullable(),
  listUnsubscribe: z.string().nullable(),
  listUnsubscribePost: z.string().nullable(),
});
/** What would have been sent, had an SMTP server been configured: `raw` is the message byte for byte. */
export const outboxEntry = z.object({
  emailId: z.string(), from: z.string(), to: z.string(), subject: z.string(), createdAt: instant, raw: z.string(),
  /** Decoded from `raw`: the sender with its name, the headers, the HTML and text parts (the HTML is the sender's, never to be run). */
  fromHeader: z.string(),
  headers: outboxHeaders,
  html: z.string().nullable(),
  text: z.string().nullable(),
});
export type OutboxEntry = z.infer<typeof outboxEntry>;
export const outboxList = z.object({
  items: z.array(outboxEntry),
  nextCursor: z.string().optional(),
  /** Whether the server has an SMTP_URL: mail of mailboxes without their own server then goes out rather than here. */
  smtpConfigured: z.boolean(),
});
export type OutboxList = z.infer<typeof outboxList>;
