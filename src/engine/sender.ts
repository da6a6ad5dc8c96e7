import type { AppContext } from '../app/context.ts';
import { composeRaw } from '../mail/compose.ts';
import { DeliveryError, type SmtpDelivery } from '../mail/transport.ts';
import {
  cancelEmails,
  claimQueuedEmails,
  deferEmails,
  insertOutbox,
  loadSendGates,
  markFailed,
  markSending,
  markSent,
  markStaleSendingUncertain,
  markUncertain,
  requeue,
} from '../store/email.repository.ts';
import type { EmailRow } from '../store/schema.ts';

export interface SenderOptions {
  workerId: string;
  batchSize: number;
  /** How long a claim holds, and how long `sending` may last before it is in doubt. */
  leaseMs: number;
  /** Parallel SMTP conversations per worker; also the most emails a crash leaves uncertain. */
  concurrency: number;
  maxAttempts: number;
}

const CAP_RETRY_MS = 15 * 60_000;

/**
 * The sender stage: claim due queued emails, re-check exits, suppressions and caps at
 * the moment of sending, then deliver each one between `sending` and `sent`.
 */
export class Sender {
  constructor(
    private readonly ctx: AppContext,
    private readonly delivery: SmtpDelivery,
    private readonly opts: SenderOptions,
  ) {}

  async recoverStale(now: Date): Promise<number> {
    return (await markStaleSendingUncertain(this.ctx.db, new Date(now.getTime() - this.opts.leaseMs), now)).length;
  }

  /** One batch; returns how many emails it handled (sent, failed, cancelled or deferred). */
  async runBatch(now: Date): Promise<number> {
    const { db } = this.ctx;
    const claimed = await claimQueuedEmails(db, this.opts.workerId, now, this.opts.leaseMs, this.opts.batchSize);
    if (claimed.length === 0) return 0;
    const gates = await loadSendGates(db, claimed.map((e) => e.id), now);

    const blocked = new Map<string, string[]>();
    const deferred: string[] = [];
    const ready: Array<{ email: EmailRow; smtpUrl: string | null }> = [];
    const usage = new Map<string, { day: number; hour: number }>();
    for (const email of claimed) {
      const gate = gates.get(email.id);
      if (!gate) continue;
      if (gate.block) {
        blocked.set(gate.block, [...(blocked.get(gate.block) ?? []), email.id]);
        continue;
      }
      const key = email.sender_id ?? email.from_email;
      const used = usage.get(key) ?? { day: gate.sentLastDay, hour: gate.sentLastHour };
      if ((gate.dailyLimit !== null && used.day >= gate.dailyLimit) || (gate.hourlyLimit !== null && used.hour >= gate.hourlyLimit)) {
        deferred.push(email.id);
        continue;
      }
      usage.set(key, { day: used.day + 1, hour: used.hour + 1 });
      ready.push({ email, smtpUrl: gate.smtpUrl ?? this.ctx.config.smtpUrl });
    }
    for (const [reason, ids] of blocked) await cancelEmails(db, ids, `not sent: ${reason}`, now);
    await deferEmails(db, deferred, new Date(now.getTime() + CAP_RETRY_MS));

    let next = 0;
    const worker = async () => {
      while (next < ready.length) {
        const item = ready[next++];
        await this.sendOne(item.email, item.smtpUrl);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, ready.length) }, worker));
    return claimed.length;
  }

  private async sendOne(email: EmailRow, smtpUrl: string | null): Promise<void> {
    const { db, clock } = this.ctx;
    if (!(await markSending(db, email.id, this.opts.workerId, clock.now()))) return;
    const raw = await composeRaw({
      messageId: email.message_id,
      from: { email: email.from_email, name: email.from_name },
      to: email.to_email,
      subject: email.subject,
      html: email.html,
      text: email.text,
      inReplyTo: email.in_reply_to,
      references: email.refs,
      unsubscribeUrl: `${this.ctx.config.publicUrl}/u/${email.token}`,
      emailId: email.id,
    });
    if (smtpUrl === null) {
      // No SMTP server configured: the dev outbox keeps the message, and it counts as sent.
      await db.transaction().execute(async (trx) => {
        await insertOutbox(trx, email.id, raw.toString('utf8'), clock.now());
        await markSent(trx, email.id, 'outbox', clock.now());
      });
      return;
    }
    try {
      await this.delivery.send(smtpUrl, { from: email.from_email, to: [email.to_email] }, raw);
    } catch (e) {
      const error = e instanceof DeliveryError ? e : new DeliveryError(String(e), 'uncertain');
      const now = clock.now();
      if (error.kind === 'uncertain') {
        await markUncertain(db, email.id, error.message, now);
      } else if (error.kind === 'permanent' || email.attempts + 1 >= this.opts.maxAttempts) {
        await markFailed(db, email.id, error.message, now);
      } else {
        const backoffMs = 60_000 * 2 ** email.attempts;
        await requeue(db, email.id, error.message, new Date(now.getTime() + backoffMs));
      }
      return;
    }
    await markSent(db, email.id, 'smtp', clock.now());
  }
}
