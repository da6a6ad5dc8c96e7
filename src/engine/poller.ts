import type { AppContext } from '../app/context.ts';
import { receiveInbound } from '../app/inbound.ts';
import { fetchNewMessages } from '../mail/imap.ts';
import { claimMailboxToPoll, recordPoll } from '../store/mailbox.repository.ts';

export interface PollerOptions {
  intervalMs: number;
  leaseMs: number;
}

/**
 * Reads reps' mailboxes over IMAP and feeds each new message to the inbound use
 * case: replies exit, auto-replies pause, bounces suppress.
 */
export class MailboxPoller {
  constructor(private readonly ctx: AppContext, private readonly opts: PollerOptions) {}

  /** Polls every mailbox that is due; returns how many messages were taken in. */
  async pollDue(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const mailbox = await claimMailboxToPoll(this.ctx.db, now, this.opts.intervalMs, this.opts.leaseMs);
      if (!mailbox) return total;
      const cursor = {
        uidValidity: mailbox.imap_uid_validity === null ? null : BigInt(mailbox.imap_uid_validity),
        lastUid: mailbox.imap_last_uid === null ? null : BigInt(mailbox.imap_last_uid),
      };
      try {
        const batch = await fetchNewMessages(mailbox.imap_url!, cursor, now);
        for (const raw of batch.messages) {
          // One bad message must not hold the mailbox back: it is skipped, the rest go on.
          await receiveInbound(this.ctx, raw).catch(() => undefined);
        }
        total += batch.messages.length;
        await recordPoll(this.ctx.db, mailbox.user_id, { ...batch.cursor, error: null }, now);
      } catch (e) {
        await recordPoll(this.ctx.db, mailbox.user_id, { ...cursor, error: e instanceof Error ? e.message : String(e) }, now);
      }
    }
  }
}
