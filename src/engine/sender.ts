import type { AppContext } from '../app/context.ts';
import { buildMailOptions, composeRaw, type OutgoingMessage } from '../mail/compose.ts';
import { DeliveryError, type SmtpDelivery } from '../mail/transport.ts';
import {
  cancelEmails,
  claimQueuedEmails,
  deferEmails,
  insertOutbox,
  loadSendGates,
  markFailed,
  markStaleSendingUncertain,
  markUncertain,
  recordSentAndMarkSending,
  requeue,
  type SentEmail,
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

  /**
   * Sends everything due at `now` over at most `concurrency` SMTP conversations at a
   * time; returns how many emails it handled (sent, failed, cancelled or deferred).
   *
   * An email turns `sending` just before its conversation and `sent` after it. Marks
   * that fall due while a statement is out ride together in the next one, which both
   * records the finished sends and starts the next ones; the next batch is claimed
   * while the last of the current one is still out, so no lane waits on a batch end.
   * A lane holds one email in `sending` at a time: a crash leaves at most
   * `concurrency` emails in doubt.
   */
  async sendDue(now: Date): Promise<number> {
    const queue: Ready[] = [];
    const finished: Finished[] = [];
    const usage: Usage = new Map();
    let handled = 0;
    let inFlight = 0;
    let claiming = false;
    let exhausted = false;
    let failure: unknown = null;
    let wake = () => {};
    const refill = () => {
      claiming = true;
      this.claimBatch(now, usage)
        .then(({ claimed, ready }) => {
          handled += claimed;
          exhausted = claimed === 0;
          queue.push(...ready);
        })
        .catch((e: unknown) => {
          failure = e;
          exhausted = true;
        })
        .finally(() => {
          claiming = false;
          wake();
        });
    };
    for (;;) {
      if (!exhausted && !claiming && queue.length < this.opts.concurrency) refill();
      const next = queue.splice(0, this.opts.concurrency - inFlight);
      if (finished.length === 0 && next.length === 0) {
        if (inFlight === 0 && !claiming && queue.length === 0) break;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const started = await this.record(finished.splice(0), next.map((r) => r.email.id));
      for (const item of next) {
        if (!started.has(item.email.id)) continue;
        inFlight++;
        void this.sendOne(item).then((outcome) => {
          inFlight--;
          finished.push(outcome);
          wake();
        });
      }
    }
    if (failure) throw failure;
    return handled;
  }

  /**
   * Claims a batch and re-checks, at the moment of sending, exits, suppressions and the
   * senders' caps: blocked emails are cancelled, those over a cap deferred.
   */
  private async claimBatch(now: Date, usage: Usage): Promise<{ claimed: number; ready: Ready[] }> {
    const { db } = this.ctx;
    const claimed = await claimQueuedEmails(db, this.opts.workerId, now, this.opts.leaseMs, this.opts.batchSize);
    if (claimed.length === 0) return { claimed: 0, ready: [] };
    const gates = await loadSendGates(db, claimed.map((e) => e.id), now);

    const blocked = new Map<string, string[]>();
    const deferred: string[] = [];
    const ready: Ready[] = [];
    for (const email of claimed) {
      const gate = gates.get(email.id);
      if (!gate) continue;
      if (gate.block) {
        blocked.set(gate.block, [...(blocked.get(gate.block) ?? []), email.id]);
        continue;
      }
      // What this run admitted may not be `sending` yet, so the database alone would
      // undercount it: take the larger of the two.
      const key = email.sender_id ?? email.from_email;
      const ours = usage.get(key);
      const used = {
        day: Math.max(gate.sentLastDay, ours ? ours.day : 0),
        hour: Math.max(gate.sentLastHour, ours ? ours.hour : 0),
      };
      if ((gate.dailyLimit !== null && used.day >= gate.dailyLimit) || (gate.hourlyLimit !== null && used.hour >= gate.hourlyLimit)) {
        deferred.push(email.id);
        continue;
      }
      usage.set(key, { day: used.day + 1, hour: used.hour + 1 });
      ready.push({ email, smtpUrl: gate.smtpUrl ?? this.ctx.config.smtpUrl });
    }
    for (const [reason, ids] of blocked) await cancelEmails(db, ids, `not sent: ${reason}`, now);
    await deferEmails(db, deferred, new Date(now.getTime() + CAP_RETRY_MS));
    return { claimed: claimed.length, ready };
  }

  /** Records finished sends and marks `next` sending; returns the ids that may go out. */
  private async record(done: Finished[], next: string[]): Promise<Set<string>> {
    const { db, clock } = this.ctx;
    const now = clock.now();
    const sent: SentEmail[] = [];
    for (const f of done) {
      if (f.error === null) sent.push({ id: f.email.id, transport: f.transport });
      else await this.recordFailure(f.email, f.error, now); // rare: one statement each
    }
    if (sent.length === 0 && next.length === 0) return new Set();
    return recordSentAndMarkSending(db, sent, next, this.opts.workerId, now);
  }

  private async recordFailure(email: EmailRow, error: DeliveryError, now: Date): Promise<void> {
    const { db } = this.ctx;
    if (error.kind === 'uncertain') {
      await markUncertain(db, email.id, error.message, now);
    } else if (error.kind === 'permanent' || email.attempts + 1 >= this.opts.maxAttempts) {
      await markFailed(db, email.id, error.message, now);
    } else {
      const backoffMs = 60_000 * 2 ** email.attempts;
      await requeue(db, email.id, error.message, new Date(now.getTime() + backoffMs));
    }
  }

  /** One SMTP conversation (or the dev outbox); never throws: the outcome says how it went. */
  private async sendOne({ email, smtpUrl }: Ready): Promise<Finished> {
    const message: OutgoingMessage = {
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
    };
    try {
      if (smtpUrl === null) {
        // No SMTP server configured: the dev outbox keeps the message, and it counts as sent.
        const raw = await composeRaw(message);
        await insertOutbox(this.ctx.db, email.id, raw.toString('utf8'), this.ctx.clock.now());
        return { email, transport: 'outbox', error: null };
      }
      await this.delivery.send(smtpUrl, { from: email.from_email, to: [email.to_email] }, buildMailOptions(message));
      return { email, transport: 'smtp', error: null };
    } catch (e) {
      return { email, transport: null, error: e instanceof DeliveryError ? e : new DeliveryError(String(e), 'uncertain') };
    }
  }
}

/** Per sender: how much of each rolling cap this run has used, its own sends included. */
type Usage = Map<string, { day: number; hour: number }>;

interface Ready {
  email: EmailRow;
  smtpUrl: string | null;
}

type Finished =
  | { email: EmailRow; transport: 'smtp' | 'outbox'; error: null }
  | { email: EmailRow; transport: null; error: DeliveryError };
