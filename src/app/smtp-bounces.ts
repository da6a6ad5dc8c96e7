import type { Trx } from '../store/database.ts';
import { markSmtpBounced } from '../store/smtp-bounce.repository.ts';
import { exitOnSignal, type ExitedEnrollment } from './exits.ts';

/** A send the recipient's server refused for good because the address is bad (see engine/smtp-answers.ts). */
export interface SmtpBounce {
  emailId: string;
  /** The server's answer, e.g. "550 5.1.1 <ada@example.com>: user unknown": shown on the lead's timeline. */
  reply: string;
  /** The id of the `bounced` signal it records. */
  signalId: string;
}

/**
 * What an inbound hard bounce does (signals.ts applySignalIn), for a batch of SMTP
 * rejections at once: the leads are marked bounced, their addresses suppressed, a
 * `bounced` signal naming the email records the answer (the stats and the mailbox
 * health count it as they count any bounce naming its email), and every live enrolment
 * of those leads exits `bounced` (open tasks and queued emails cancelled). One
 * statement for the leads, suppressions and signals, and the exit path's few, whatever
 * the batch's size; in the caller's transaction, with the emails' failure.
 */
export async function recordSmtpBounces(trx: Trx, bounces: SmtpBounce[], now: Date): Promise<ExitedEnrollment[]> {
  if (bounces.length === 0) return [];
  return exitOnSignal(trx, await markSmtpBounced(trx, bounces, now), 'bounced', now);
}
