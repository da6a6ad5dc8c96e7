import type { AppContext } from '../app/context.ts';
import { MessageAlreadyTaken, takeInbound } from '../app/inbound.ts';
import { fetchNewMessages, type ImapMessage } from '../mail/imap.ts';
import { InboundParseError } from '../mail/inbound.ts';
import { forgetInboundSeen, recordInboundFailure } from '../store/inbound-failure.repository.ts';
import { advanceMailboxCursor, claimMailboxToPoll, recordPoll, releaseMailboxPoll } from '../store/mailbox.repository.ts';
import type { MailboxRow } from '../store/schema.ts';

/** How long a mailbox remembers the Message-IDs it took in: longer than a re-read reaches back (14 days). */
const SEEN_KEPT_MS = 30 * 86_400_000;

export interface PollerOptions {
  intervalMs: number;
  leaseMs: number;
}

/**
 * Reads reps' mailboxes over IMAP and feeds each new message to the inbound use
 * case: replies exit, auto-replies pause, bounces suppress.
 *
 * No message is lost: they are taken in UID order, and each moves the mailbox's cursor
 * in the transaction that applies it. Only a message that cannot be parsed is skipped,
 * and it is recorded (inbound_failures, shown in the mailbox health). Any other failure
 * (the database, a bug) ends the mailbox's pass with the cursor after the last message
 * fully handled: the next pass starts again from the one that failed.
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
      total += await this.pollOne(mailbox, now);
      this.polling = null;
    }
  }

  private async pollOne(mailbox: MailboxRow, now: Date): Promise<number> {
    const cursor = {
      uidValidity: mailbox.imap_uid_validity === null ? null : BigInt(mailbox.imap_uid_validity),
      lastUid: mailbox.imap_last_uid === null ? null : BigInt(mailbox.imap_last_uid),
    };
    let taken = 0;
    try {
      const batch = await fetchNewMessages(mailbox, cursor, now);
      for (const message of batch.messages) {
        const position = { userId: mailbox.user_id, uidValidity: batch.cursor.uidValidity, uid: message.uid };
        try {
          await takeInbound(this.ctx, message.source, position);
        } catch (e) {
          // Another poller took it in after this one's claim ran out: it goes on from there.
          if (e instanceof MessageAlreadyTaken) return taken;
          if (!(e instanceof InboundParseError)) throw e;
          await this.skipUnparseable(position, message, e, now);
        }
        taken++;
      }
      await recordPoll(this.ctx.db, mailbox.user_id, { cursor: batch.cursor, error: null }, now);
      await forgetInboundSeen(this.ctx.db, mailbox.user_id, new Date(now.getTime() - SEEN_KEPT_MS));
    } catch (e) {
      // The cursor stays after the last message handled; the pass ends, and the next one
      // (after the poll interval) starts from the message that failed. Should the
      // database itself be gone, this fails too and the engine's pass reports it.
      await recordPoll(this.ctx.db, mailbox.user_id, { error: e instanceof Error ? e.message : String(e) }, now);
    }
    return taken;
  }

  /** A message nothing can read: recorded for a person to look at, and passed. */
  private async skipUnparseable(
    position: { userId: string; uidValidity: bigint; uid: bigint }, message: ImapMessage, e: InboundParseError, now: Date,
  ): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      await recordInboundFailure(trx, {
        id: this.ctx.newId(), userId: position.userId, uidValidity: position.uidValidity, uid: position.uid,
        messageId: messageIdOf(message.source), error: e.message, raw: message.source, at: now,
      });
      await advanceMailboxCursor(trx, position);
    });
  }
}

/** The Message-ID of a message that cannot be parsed, when its header block has one. */
function messageIdOf(raw: Buffer): string | null {
  const head = raw.subarray(0, 64 * 1024).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const m = /^message-id:[ \t]*(<[^<>\s]{1,500}>)/im.exec(end >= 0 ? head.slice(0, end) : head);
  return m ? m[1] : null;
}
