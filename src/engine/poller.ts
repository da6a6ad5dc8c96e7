import type { AppContext } from '../app/context.ts';
import { receiveInbound } from '../app/inbound.ts';
import { fetchNewMessages } from '../mail/imap.ts';
import { claimMailboxToPoll, recordPoll, releaseMailboxPoll } from '../store/mailbox.repository.ts';
import { isConnectionError } from './pass-failures.ts';

export interface PollerOptions {
  intervalMs: number;
  leaseMs: number;
}

/**
 * Reads reps' mailboxes over IMAP and feeds each new message to the inbound use
 * case: replies exit, auto-replies pause, bounces suppress.
 */
export class MailboxPoller {
  /** The mailbox this poller claimed and has not recorded yet: a failed pass leaves it claimed. */
  private polling: string | null = null;

  constructor(private readonly ctx: AppContext, private readonly opts: PollerOptions) {}

  /** After a failed pass: the mailbox it was polling is due again now, not when its claim ends. */
  async release(): Promise<void> {
    if (this.polling === null) return;
    await releaseMailboxPoll(this.ctx.db, this.polling);
    this.polling = null;
  }

  /** Polls every mailbox that is due; returns how many messages were taken in. */
  async pollDue(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const mailbox = await claimMailboxToPoll(this.ctx.db, now, this.opts.intervalMs, this.opts.leaseMs);
      if (!mailbox) return total;
      this.polling = mailbox.user_id;
      const cursor = {
        uidValidity: mailbox.imap_uid_validity === null ? null : BigInt(mailbox.imap_uid_validity),
        lastUid: mailbox.imap_last_uid === null ? null : BigInt(mailbox.imap_last_uid),
      };
      try {
        const batch = await fetchNewMessages(mailbox, cursor, now);
        for (const raw of batch.messages) {
          // One bad message must not hold the mailbox back: it is skipped, the rest go on.
          // A lost database is no bad message: the poll fails, and the messages come again.
          await receiveInbound(this.ctx, raw).catch((e: unknown) => { if (isConnectionError(e)) throw e; });
        }
        total += batch.messages.length;
        await recordPoll(this.ctx.db, mailbox.user_id, { ...batch.cursor, error: null }, now);
      } catch (e) {
        await recordPoll(this.ctx.db, mailbox.user_id, { ...cursor, error: e instanceof Error ? e.message : String(e) }, now);
      }
      this.polling = null;
    }
  }
}
