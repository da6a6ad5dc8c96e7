import { Engine, defaultEngineOptions } from '../engine/engine.ts';
import { Metrics } from '../ops/metrics.ts';
import { findEmails } from '../store/email.repository.ts';
import { nextEngineWorkAfter } from '../store/next-work.repository.ts';
import type { EmailRow, TaskRow } from '../store/schema.ts';
import { findTasks } from '../store/task.repository.ts';
import { ManualClock } from './clock.ts';
import type { AppContext } from './context.ts';

interface Scheduled {
  at: number;
  seq: number;
  run: () => Promise<void>;
}

/**
 * The demo's past, lived through the real code: a context whose clock starts days
 * ago, an engine run at each instant work falls due, and the scripted events (an
 * enrolment, an open, a reply, a call's outcome) each at its own instant through the
 * use cases. Its mail goes to the dev outbox, never to an SMTP server: a message
 * "sent" last week must not leave today.
 */
export class DemoTimeline {
  readonly clock: ManualClock;
  readonly ctx: AppContext;
  private readonly engine: Engine;
  private readonly events: Scheduled[] = [];

  constructor(base: AppContext, start: Date) {
    this.clock = new ManualClock(start);
    // Its own metrics: the server's must not count last week's steps as its own.
    this.ctx = { ...base, clock: this.clock, config: { ...base.config, smtpUrl: null }, metrics: new Metrics() };
    this.engine = new Engine(this.ctx, defaultEngineOptions(`demo-history:${process.pid}`));
  }

  /** Schedules `run` at `at`; events at one instant run in the order they were scheduled. */
  at(at: Date, run: () => Promise<void>): void {
    this.events.push({ at: at.getTime(), seq: this.events.length, run });
  }

  /**
   * Moves the clock to `until`, stopping at every scripted event and at every instant
   * the engine has work (a step falling due, an email to send, a pause ending).
   */
  async playUntil(until: Date): Promise<void> {
    const end = until.getTime();
    const events = [...this.events].sort((a, b) => a.at - b.at || a.seq - b.seq);
    let i = 0;
    try {
      for (let guard = 0; guard < 10_000; guard++) {
        const work = await nextEngineWorkAfter(this.ctx.db, this.clock.now());
        const t = Math.min(work?.getTime() ?? Infinity, events[i]?.at ?? Infinity);
        if (t > end) break;
        if (t > this.clock.now().getTime()) this.clock.set(new Date(t));
        // What fell due goes first (an email sent at 10:00 is there to open at 10:00),
        // then the events of this instant, then whatever they made due now.
        await this.settle();
        while (i < events.length && events[i].at <= t) await events[i++].run();
        await this.settle();
      }
      if (i < events.length) throw new Error(`demo history: ${events.length - i} events left after the last instant`);
      this.clock.set(until);
      await this.settle();
    } finally {
      await this.engine.stop();
    }
  }

  /** Engine passes at the clock's instant while work is due at it (none when nothing is: a pass is a dozen statements). */
  private async settle(): Promise<void> {
    const now = this.clock.now();
    for (let pass = 0; pass < 100; pass++) {
      const due = await nextEngineWorkAfter(this.ctx.db, new Date(0));
      if (!due || due > now) return;
      const r = await this.engine.runOnce(now);
      if (r.advanced + r.sent === 0) return;
    }
  }

  /** The emails an enrolment sent, oldest first. */
  async sentEmails(enrollmentId: string): Promise<EmailRow[]> {
    const rows = await findEmails(this.ctx.db, { enrollmentId, status: 'sent', limit: 100, offset: 0 }, null);
    return rows;
  }

  async lastSentEmail(enrollmentId: string): Promise<EmailRow> {
    const sent = await this.sentEmails(enrollmentId);
    const last = sent.at(-1);
    if (!last) throw new Error(`demo history: enrolment ${enrollmentId} has sent no email by ${this.clock.now().toISOString()}`);
    return last;
  }

  /** The enrolment's open task (the step it waits on). */
  async openTask(enrollmentId: string): Promise<TaskRow> {
    const [task] = await findTasks(this.ctx.db, { enrollmentId, status: 'open', limit: 1, offset: 0 }, null);
    if (!task) throw new Error(`demo history: enrolment ${enrollmentId} has no open task at ${this.clock.now().toISOString()}`);
    return task;
  }
}
