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

export const outboxQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
/** What would have been sent, had an SMTP server been configured. */
export const outboxEntry = z.object({ emailId: z.string(), from: z.string(), to: z.string(), subject: z.string(), createdAt: instant, raw: z.string() });
export const outboxList = z.object({ items: z.array(outboxEntry) });
