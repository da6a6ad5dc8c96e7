import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the sender did with an email (README "Running in production"). */
export type SendOutcome = 'sent' | 'failed' | 'retried' | 'deferred' | 'cancelled' | 'uncertain';

/** What a webhook attempt came to: delivered, retried later, failed (schedule over), gone (a 410: failed, endpoint disabled). */
export type WebhookOutcome = 'delivered' | 'retried' | 'failed' | 'gone';

/** One step the engine executed (or skipped), for the counters once its batch committed. */
export interface ExecutedStep {
  type: string;
  result: string;
  /** When the enrolment's step fell due (null: none, it was not waiting on time). */
  dueAt: Date | null;
}

/** The gauges of shared state, read from the database at scrape time. */
export interface QueueGauges {
  dueEnrollments: number;
  queuedEmails: number;
  queuedEmailsDue: number;
  /** Webhook deliveries due to enabled endpoints (absent: not read). */
  dueWebhookDeliveries?: number;
}

/**
 * The process's Prometheus metrics (GET /metrics). Counters and histograms are this
 * process's own; gauges of shared state (due backlog, queued emails) are read from the
 * database at scrape time, so any one process reports them for the whole deployment.
 * One instance per context, never prom-client's global registry: tests build many.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly stepExecutions = new Counter({
    name: 'cadenza_step_executions_total',
    help: 'Steps executed by this process, by step type and result',
    labelNames: ['type', 'result'] as const,
    registers: [this.registry],
  });
  readonly sends = new Counter({
    name: 'cadenza_email_sends_total',
    help: 'Emails handled by this process\'s sender, by outcome (sent, failed, retried, deferred, cancelled, uncertain)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly dueLag = new Histogram({
    name: 'cadenza_step_lag_seconds',
    help: 'From the instant a step fell due to the instant it was executed',
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'cadenza_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly dueEnrollments = new Gauge({
    name: 'cadenza_due_enrollments',
    help: 'Active enrolments whose next step is due now (the engine\'s backlog, whole deployment)',
    registers: [this.registry],
  });
  readonly queuedEmails = new Gauge({
    name: 'cadenza_queued_emails',
    help: 'Emails waiting to be sent (whole deployment): due now, or later (a delay, a retry, a cap)',
    labelNames: ['due'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'cadenza_webhook_deliveries_total',
    help: 'Webhook delivery attempts made by this process, by outcome (delivered, retried, failed, gone)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly dueWebhookDeliveries = new Gauge({
    name: 'cadenza_webhook_backlog',
    help: 'Webhook deliveries due now to enabled endpoints (the dispatchers\' backlog, whole deployment)',
    registers: [this.registry],
  });

  constructor(opts: { processMetrics?: boolean } = {}) {
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'cadenza_' });
    // Present from the first scrape, at zero, so that rates and alerts have a series.
    for (const outcome of ['sent', 'failed', 'retried', 'deferred', 'cancelled', 'uncertain'] satisfies SendOutcome[]) {
      this.sends.inc({ outcome }, 0);
    }
    for (const outcome of ['delivered', 'retried', 'failed', 'gone'] satisfies WebhookOutcome[]) {
      this.webhookDeliveries.inc({ outcome }, 0);
    }
  }

  /** Counts the steps of a committed batch, and how long after falling due each ran. */
  recordSteps(steps: readonly ExecutedStep[], at: Date): void {
    for (const s of steps) {
      this.stepExecutions.inc({ type: s.type, result: s.result });
      if (s.dueAt) this.dueLag.observe(Math.max(0, at.getTime() - s.dueAt.getTime()) / 1000);
    }
  }

  recordSends(outcome: SendOutcome, count: number): void {
    if (count > 0) this.sends.inc({ outcome }, count);
  }

  recordWebhookDeliveries(outcome: WebhookOutcome, count: number): void {
    if (count > 0) this.webhookDeliveries.inc({ outcome }, count);
  }

  /** The text format, with the gauges of shared state set from `readGauges` first. */
  async render(readGauges?: () => Promise<QueueGauges>): Promise<string> {
    if (readGauges) {
      const g = await readGauges();
      this.dueEnrollments.set(g.dueEnrollments);
      this.queuedEmails.set({ due: 'now' }, g.queuedEmailsDue);
      this.queuedEmails.set({ due: 'later' }, g.queuedEmails - g.queuedEmailsDue);
      if (g.dueWebhookDeliveries !== undefined) this.dueWebhookDeliveries.set(g.dueWebhookDeliveries);
    }
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
