import { z } from 'zod';
import { timeZoneSchema } from '../domain/cadence.ts';
import { AppError } from '../app/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { CALL_OUTCOMES, TASK_DUE_BUCKETS, TASK_SORTS } from '../contract/enums.ts';

/** Request shapes of the API: each validates, types the handler and documents itself. */

/** Instants the calendar arithmetic and both databases handle. */
const inRange = (s: string) => {
  const t = Date.parse(s);
  return t >= Date.UTC(1970, 0, 1) && t < Date.UTC(3000, 0, 1);
};
const RANGE_MESSAGE = { message: 'expected an instant between 1970 and 3000' };
export const MAX_INSTANT = Date.UTC(3000, 0, 1);

/** At least 10 characters; the upper bound only keeps one request's hashing small. */
const password = z.string().min(10, { message: 'expected a password of at least 10 characters' }).max(1000);
const email = z.email({ message: 'expected an email address' });

export const userBody = z.object({
  name: z.string().trim().min(1).max(200),
  email,
  role: z.enum(['admin', 'rep']),
  timezone: timeZoneSchema.optional(),
  password: password.optional(),
});

export const setupBody = z.object({ name: z.string().trim().min(1).max(200), email, password });
/** Any string: a wrong pair gets the one 401, whatever its shape. */
export const loginBody = z.object({ email: z.string().min(1).max(1000), password: z.string().min(1).max(1000) });
export const passwordChangeBody = z.object({ current: z.string().min(1).max(1000), password });

const smtpUrl = z.string().regex(/^smtps?:\/\/[^\s]+$/, 'expected smtp://host:port or smtps://user:pass@host:port');
const imapUrl = z.string().regex(/^imaps?:\/\/[^\s]+$/, 'expected imap://host:port or imaps://user:pass@host:port');

export const mailboxBody = z.object({
  fromEmail: z.email({ message: 'expected an email address' }),
  // null means "not set": what the mailbox answers, PUT accepts unchanged.
  fromName: z.string().trim().max(200).nullable().optional(),
  smtpUrl: smtpUrl.nullable().optional(),
  imapUrl: imapUrl.nullable().optional(),
  dailyLimit: z.number().int().min(1).max(100_000).optional(),
  hourlyLimit: z.number().int().min(1).max(100_000).optional(),
  minIntervalSeconds: z.number().int().min(0).max(86_400).optional(),
});

export const bulkLeadsBody = z.object({
  records: z.array(z.unknown()).min(1).max(10_000),
});

export const enrollBody = z.object({
  recordIds: z.array(z.string().min(1).max(100)).min(1).max(10_000),
});

export const signalBody = z
  .object({
    type: z.enum(['replied', 'opened', 'clicked', 'bounced', 'meeting_booked', 'unsubscribed']),
    recordId: z.string().min(1).optional(),
    messageId: z.string().min(1).max(998).optional(),
    at: z.iso.datetime({ offset: true }).refine(inRange, RANGE_MESSAGE).optional(),
  })
  .refine((s) => s.recordId !== undefined || s.messageId !== undefined, {
    message: 'a signal names a recordId or a messageId',
    path: ['recordId'],
  });

/** An instant both databases store and the calendar arithmetic handles (PostgreSQL has no year 0). */
const instant = z.iso.datetime({ offset: true }).refine(inRange, RANGE_MESSAGE);

export const timeOffBody = z.object({
  from: instant,
  to: instant,
  note: z.string().max(500).optional(),
});

export const completeTaskBody = z.object({
  outcome: z.enum(CALL_OUTCOMES, { message: `expected one of ${CALL_OUTCOMES.join(', ')}` }).optional(),
  note: z.string().max(10_000).optional(),
}).nullish();

export const skipTaskBody = z.object({ note: z.string().max(10_000).optional() }).nullish();
export const snoozeTaskBody = z.object({ until: instant });
export const reassignTaskBody = z.object({ ownerId: z.uuid({ message: 'expected a user id' }) });

export const clockBody = z
  .object({
    advance: z.iso.duration({ message: 'expected an ISO-8601 duration such as "P3D" or "PT2H"' }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((b) => (b.advance === undefined) !== (b.to === undefined), { message: 'give exactly one of advance or to' });

const page = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};

export const taskQuery = z.object({
  status: z.enum(['open', 'completed', 'cancelled']).optional(),
  ownerId: z.uuid().optional(),
  enrollmentId: z.uuid().optional(),
  recordId: z.uuid().optional(),
  due: z.enum(TASK_DUE_BUCKETS).optional(),
  sort: z.enum(TASK_SORTS).optional(),
  ...page,
});

export const emailQuery = z.object({
  enrollmentId: z.uuid().optional(),
  recordId: z.uuid().optional(),
  status: z.enum(['queued', 'sending', 'sent', 'failed', 'cancelled', 'uncertain']).optional(),
  ...page,
});

export const enrollmentQuery = z.object({
  cadenceId: z.uuid().optional(),
  recordId: z.uuid().optional(),
  status: z.enum(['pending', 'active', 'paused', 'completed', 'exited', 'failed']).optional(),
  ...page,
});

export const idParams = z.object({ id: z.string() });


/** An id that cannot exist is simply not found. */
export function knownId(id: string, what: string): string {
  if (!isUuid(id)) throw new AppError('not_found', `${what} ${id} not found`);
  return id;
}
