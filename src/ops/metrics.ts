import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
    help: 'Emails handled by this process\'s sender, by outcome',
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
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(opts: { processMetrics?: boolean } = {}) {
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'cadenza_' });
  }
}
