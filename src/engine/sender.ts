import type { AppContext } from '../app/context.ts';
import { composeRaw, type OutgoingMessage } from '../mail/compose.ts';
import { recordSmtpBounces, type SmtpBounce } from '../app/smtp-bounces.ts';
import { freshlyCounted, sortByGates, spacedEmails, uncount, type Ready, type Usage } from './send-gates.ts';
import { readRejection } from './smtp-answers.ts';
import { DeliveryError, type SmtpDelivery } from '../mail/transport.ts';
import {
  cancelEmails,
  claimQueuedEmails,
  deferEmails,
  holdForMailboxSpacing,
  insertOutbox,
  loadClaimedEmails,
  loadSendGates,
  markStaleSendingUncertain,
  reclaimOwnQueued,
  recordFailures,
  recordSentAndMarkSending,
  releaseClaims,
  requeueUnsent,
  type ClaimedEmail,
  type FailedSend,
  type SentEmail,
} from '../store/email.repository.ts';
import { recordSenderErrors } from '../store/mailbox-health.repository.ts';

export interface SenderOptions {
  workerId: string;
  batchSize: number;
  /**
   * The worker's lease: how long its claims and its `sending` marks outlive its last
   * renewal (the engine renews every third of it). The work of a worker that dies is
   * anyone's after this long, and the email it was sending is in doubt.
   */
  leaseMs: number;
  /** Parallel SMTP conversations per worker; also the most emails a crash leaves uncertain. */
  concurrency: number;
  /** The most ids of mail its own engine queued that the sender holds to read instead of claiming (see hand). */
  handLimit: number;
  /**
   * How long temporary failures (4xx, a refused connection, a timeout, DNS) are retried,
   * from the first one, before the email is `failed` (SEND_RETRY_HOURS; 72 h by default).
   */
  retryWindowMs: number;
}

const CAP_RETRY_MS = 15 * 60_000;
/** Back-off between retries: 1, 2, 4 … minutes, at most an hour, each with jitter (see retryDelayMs). */
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 3_600_000;
/** While ids are in hand, one send batch in this many is claimed from the queue. */
const QUEUE_TURN_EVERY = 10;

/**
 * The sender stage: claim due queued emails, re-check exits, suppressions and caps at
 * the moment of sending, then deliver each one between `sending` and `sent`.
 */
export class Sender {
  private readonly waiting = new Set<() => void>();
  /** Ids of emails this worker queued already claimed for itself: read instead of claimed. */
  private readonly handed: string[] = [];
  private handTurns = 0;
  /** Left by a failed run, settled by `reconcile`: sends that finished unrecorded, marks whose answer was lost. */
  private unrecorded: Finished[] = [];
  private unmarked: string[] = [];

  constructor(
    private readonly ctx: AppContext,
    private readonly delivery: SmtpDelivery,
    private readonly opts: SenderOptions,
  ) {}

  async recoverStale(now: Date): Promise<number> {
    const inDoubt = (await markStaleSendingUncertain(this.ctx.db, now)).length;
    this.ctx.metrics.recordSends('uncertain', inDoubt);
    return inDoubt;
  }

  /**
   * After a failed run (the database went away): records the sends that finished
   * meanwhile, queues again the emails whose mark was lost (their message never left),
   * and takes back from the database every queued email still claimed for this worker
   * as its hand. What it held is then sent by the next run, once, without waiting for
   * any lease to end.
   */
  async reconcile(now: Date): Promise<void> {
    await this.record(this.unrecorded, []);
    this.unrecorded = [];
    await requeueUnsent(this.ctx.db, this.unmarked, this.opts.workerId);
    this.unmarked = [];
    const held = await reclaimOwnQueued(this.ctx.db, this.opts.workerId, now, new Date(now.getTime() + this.opts.leaseMs));
    this.handed.splice(0, this.handed.length, ...held);
  }

  /**
   * Sends everything due at `now` over at most `concurrency` SMTP conversations at a
   * time; returns how many emails it handled (sent, failed, cancelled or deferred).
   * While `moreComing()` holds (the engine is still queueing mail), an empty claim
   * waits for `nudge()` instead of ending the run.
   *
   * An email turns `sending` just before its message leaves and `sent` after. A free
   * lane starts its next conversation at once: the envelope goes out while a statement
   * marks the email `sending`, and the message follows only once that mark is
   * committed. One statement is out at a time; it records the sends that finished and
   * marks the ones about to leave, so a lane's finished email is recorded by the very
   * statement that marks its next one: a lane holds one email in `sending` at a time,
   * and a crash leaves at most `concurrency` in doubt.
   */
  async sendDue(now: Date, moreComing: () => boolean = () => false): Promise<number> {
    const { concurrency } = this.opts;
    const queue: Ready[] = [];
    const finished: Finished[] = [];
    const toMark: Mark[] = [];
    const usage: Usage = new Map();
    let handled = 0;
    let lanesBusy = 0;
    let recording = false; // one bookkeeping statement out at a time; marks wait and ride together
    let claiming = false;
    let exhausted = false;
    let failure: unknown = null;
    let wake = () => {};

    const refill = () => {
      claiming = true;
      this.claimBatch(now, usage)
        .then(async ({ claimed, fromHand, ready }) => {
          handled += claimed;
          queue.push(...ready);
          // Ids handed over while the claim was out, or left in the hand, are taken by the next refill.
          if (claimed > 0 || fromHand || this.handed.length > 0) return;
          if (moreComing()) await this.nudged();
          else exhausted = true;
        })
        .catch((e: unknown) => { failure ??= e; })
        .finally(() => {
          claiming = false;
          wake();
        });
    };
    const launch = (item: Ready) => {
      lanesBusy++;
      const mark = (id: string) =>
        new Promise<boolean>((open) => {
          toMark.push({ id, open });
          wake();
        });
      void this.sendOne(item, mark).then((outcome) => {
        lanesBusy--;
        if (outcome !== null) finished.push(outcome);
        wake();
      });
    };

    for (;;) {
      if (failure === null && !exhausted && !claiming && queue.length < concurrency) refill();
      while (failure === null && lanesBusy < concurrency && queue.length > 0) launch(queue.shift()!);
      if (failure === null && !recording && (finished.length > 0 || toMark.length > 0)) {
        const marks = toMark.splice(0);
        const done = finished.splice(0);
        recording = true;
        this.record(done, marks.map((m) => m.id))
          .then(
            (started) => { for (const m of marks) m.open(started.has(m.id)); },
            (e: unknown) => {
              failure ??= e;
              // Unknown whether it was written: settled by reconcile once the database answers.
              this.unrecorded.push(...done);
              this.unmarked.push(...marks.map((m) => m.id));
              for (const m of marks) m.open(false);
            },
          )
          .finally(() => {
            recording = false;
            wake();
          });
        continue;
      }
      if (failure !== null) for (const m of toMark.splice(0)) m.open(false);
      const idle = lanesBusy === 0 && !recording && !claiming;
      if (idle && (queue.length === 0 || failure !== null)) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    // After a database failure, sends that finished meanwhile are recorded by reconcile;
    // emails claimed and not yet marked are still claimed for us, and reconcile takes
    // them back. Should the worker die first, they are anyone's once its lease ends.
    if (failure !== null) {
      this.unrecorded.push(...finished.splice(0));
      throw failure;
    }
    return handled;
  }

  /**
   * Takes the ids of emails this worker's engine queued due now, claimed for this
   * sender: the next batches read them by id instead of claiming them, a second write
   * of each email. Were the worker to die first, they are claimed by anyone once its
   * lease ends, as any claimed batch; one another worker took over meanwhile is not read.
   */
  hand(ids: string[]): void {
    for (const id of ids) this.handed.push(id);
  }

  /** How many more ids it takes by hand (`handLimit` in all; ids are small, the rows stay in the database). */
  room(): number {
    return Math.max(0, this.opts.handLimit - this.handed.length);
  }

  /** Puts back in the queue, for any sender, the mail handed over and not sent (on stop). */
  async releaseHanded(): Promise<void> {
    await releaseClaims(this.ctx.db, this.handed.splice(0), this.opts.workerId);
  }

  /** More mail was queued: a run waiting on an empty claim looks again. */
  nudge(): void {
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const resolve of waiting) resolve();
  }

  private nudged(): Promise<void> {
    return new Promise((resolve) => this.waiting.add(resolve));
  }

  /**
   * Claims a batch and re-checks, at the moment of sending, exits, suppressions and the
   * senders' caps: blocked emails are cancelled, those over a cap deferred.
   */
  private async claimBatch(now: Date, usage: Usage): Promise<{ claimed: number; fromHand: boolean; ready: Ready[] }> {
    const { db } = this.ctx;
    // Every so many batches from the hand, one from the queue: mail queued elsewhere (a
    // retry, a rep's completed task) does not wait behind a long hand.
    const fromQueue = this.handed.length === 0 || ++this.handTurns % QUEUE_TURN_EVERY === 0;
    const claimedFromQueue = fromQueue ? await claimQueuedEmails(db, this.opts.workerId, now, this.opts.leaseMs, this.opts.batchSize) : [];
    const fromHand = claimedFromQueue.length > 0 ? [] : this.handed.splice(0, this.opts.batchSize);
    const claimed = fromHand.length > 0 ? await loadClaimedEmails(db, fromHand, this.opts.workerId) : claimedFromQueue;
    if (claimed.length === 0) return { claimed: 0, fromHand: fromHand.length > 0, ready: [] };
    const gates = await loadSendGates(db, claimed.map((e) => e.id), now, freshlyCounted(usage, performance.now()));
    const sorted = sortByGates(claimed, gates, usage, this.ctx.config.smtpUrl, performance.now());
    const { blocked, deferred } = sorted;
    for (const [reason, ids] of blocked) await cancelEmails(db, ids, `not sent: ${reason}`, now);
    await deferEmails(db, deferred, new Date(now.getTime() + CAP_RETRY_MS));
    // A mailbox with a least interval between sends: one statement takes the free slots,
    // by the clock's time now rather than the run's start (a run may last). Those that
    // took one go first, so that their message leaves close to the slot.
    const spaced = spacedEmails(sorted.ready, gates);
    const held = new Set(await holdForMailboxSpacing(db, spaced, this.ctx.clock.now()));
    let ready = sorted.ready;
    if (spaced.length > 0) {
      uncount(usage, ready.filter((r) => held.has(r.email.id)).map((r) => r.email));
      const first = new Set(spaced);
      ready = [...ready.filter((r) => first.has(r.email.id) && !held.has(r.email.id)), ...ready.filter((r) => !first.has(r.email.id))];
    }
    this.ctx.metrics.recordSends('cancelled', [...blocked.values()].reduce((n, ids) => n + ids.length, 0));
    this.ctx.metrics.recordSends('deferred', deferred.length + held.size);
    return { claimed: claimed.length, fromHand: fromHand.length > 0, ready };
  }

  /** Records finished sends and marks `next` sending; returns the ids that may go out. */
  private async record(done: Finished[], next: string[]): Promise<Set<string>> {
    const { db, clock } = this.ctx;
    const now = clock.now();
    const sent: SentEmail[] = [];
    const failed: FailedSend[] = [];
    const bounces: SmtpBounce[] = [];
    const senderErrors: Array<{ senderId: string; error: string }> = [];
    for (const f of done) {
      if (f.error === null) {
        sent.push({ id: f.email.id, transport: f.transport });
        continue;
      }
      failed.push(this.failure(f.email, f.error, now));
      const rejection = f.error.kind === 'permanent' ? readRejection(f.error.message) : null;
      // A bad address is the lead's bounce; any other answer is the mailbox's trouble, shown in its health.
      if (rejection?.target === 'recipient') bounces.push({ emailId: f.email.id, reply: rejection.reply, signalId: this.ctx.newId() });
      else if (f.email.sender_id) senderErrors.push({ senderId: f.email.sender_id, error: f.error.message });
    }
    if (bounces.length === 0) await recordFailures(db, failed, now);
    else {
      // The email's failure and the lead's bounce together: a crash between them would leave the lead mailed again.
      await db.transaction().execute(async (trx) => {
        await recordFailures(trx, failed, now);
        await recordSmtpBounces(trx, bounces, now);
      });
    }
    await recordSenderErrors(db, senderErrors, now);
    for (const f of failed) this.ctx.metrics.recordSends(f.status === 'queued' ? 'retried' : f.status, 1);
    if (sent.length === 0 && next.length === 0) return new Set();
    const started = await recordSentAndMarkSending(db, sent, next, this.opts.workerId, now);
    this.ctx.metrics.recordSends('sent', sent.length);
    // Not marked: cancelled or taken over meanwhile, or the mark did not happen; one still
    // claimed for us is let go, since a live worker's claim would otherwise hold it for good.
    const notStarted = next.filter((id) => !started.has(id));
    if (notStarted.length > 0) await releaseClaims(db, notStarted, this.opts.workerId);
    return started;
  }

  /**
   * What a failed send becomes: in doubt, failed for good, or queued again after a
   * back-off, while the retry window from its first temporary failure lasts. The last
   * retry falls at the window's end, so that it ends at the time it says.
   */
  private failure(email: ClaimedEmail, error: DeliveryError, now: Date): FailedSend {
    const { id } = email;
    if (error.kind === 'uncertain') return { id, status: 'uncertain', error: error.message, retryAt: null };
    if (error.kind === 'permanent') return { id, status: 'failed', error: error.message, retryAt: null };
    const giveUpAt = (email.first_failed_at ?? now).getTime() + this.opts.retryWindowMs;
    if (now.getTime() >= giveUpAt) {
      const hours = Math.round(this.opts.retryWindowMs / 360_000) / 10;
      return { id, status: 'failed', error: `gave up after ${hours} h of temporary failures; last: ${error.message}`, retryAt: null };
    }
    const retryAt = Math.min(now.getTime() + retryDelayMs(email.attempts), giveUpAt);
    return { id, status: 'queued', error: error.message, retryAt: new Date(retryAt) };
  }

  /**
   * One SMTP conversation (or the dev outbox); never throws: the outcome says how it
   * went, or is null when the email was not cleared to leave (`mark` found it no longer
   * queued for us: cancelled, or claimed by another worker), and nothing was sent.
   */
  private async sendOne({ email, smtpUrl }: Ready, mark: (id: string) => Promise<boolean>): Promise<Finished | null> {
    let raw: Buffer;
    try {
      // Composed once, as bytes: the dev outbox and the SMTP server get the same message.
      raw = composeRaw(outgoingMessage(email, this.ctx.config.publicUrl));
    } catch (e) {
      // Nothing left: a message that cannot be composed fails, and is not in doubt.
      return { email, transport: null, error: new DeliveryError(`could not compose the message: ${String(e)}`, 'permanent') };
    }
    const cleared = mark(email.id);
    if (smtpUrl === null) {
      if (!(await cleared)) return null;
      try {
        // No SMTP server configured: the dev outbox keeps the message, and it counts as sent.
        await insertOutbox(this.ctx.db, email.id, raw.toString('utf8'), this.ctx.clock.now());
        return { email, transport: 'outbox', error: null };
      } catch (e) {
        return { email, transport: null, error: new DeliveryError(String(e), 'uncertain') };
      }
    }
    const [sent, clearedToLeave] = await Promise.allSettled([
      this.delivery.send({ smtpUrl, senderId: email.sender_id }, { from: email.from_email, to: [email.to_email] }, raw, cleared),
      cleared,
    ]);
    // The mark decides: an email never marked `sending` has nothing to record.
    if (clearedToLeave.status === 'rejected' || !clearedToLeave.value) return null;
    if (sent.status === 'fulfilled') return { email, transport: 'smtp', error: null };
    const e = sent.reason;
    return { email, transport: null, error: e instanceof DeliveryError ? e : new DeliveryError(String(e), 'uncertain') };
  }
}

/**
 * The wait before retry number `attempts` (0 for the first): 1, 2, 4 … minutes, at most
 * an hour, the second half of it random ("equal jitter"), so that the mail an outage
 * failed together does not come back to the server all at once.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(FIRST_RETRY_MS * 2 ** Math.min(attempts, 20), LONGEST_RETRY_MS);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** What a queued email says, as the composer takes it. */
export function outgoingMessage(email: ClaimedEmail, publicUrl: string): OutgoingMessage {
  return {
    messageId: email.message_id,
    from: { email: email.from_email, name: email.from_name },
    to: email.to_email,
    subject: email.subject,
    html: email.html,
    text: email.text,
    inReplyTo: email.in_reply_to,
    references: email.refs,
    unsubscribeUrl: `${publicUrl}/u/${email.token}`,
    emailId: email.id,
  };
}

/** An email waiting for the statement that marks it `sending`; `open` says whether it did. */
interface Mark {
  id: string;
  open: (cleared: boolean) => void;
}

type Finished =
  | { email: ClaimedEmail; transport: 'smtp' | 'outbox'; error: null }
  | { email: ClaimedEmail; transport: null; error: DeliveryError };
