import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database.ts';
import type { Clock } from './clock.ts';
import { silentLogger, type Logger } from '../ops/logger.ts';
import { Metrics } from '../ops/metrics.ts';

export interface AppConfig {
  /** Base of tracking and unsubscribe links. */
  publicUrl: string;
  /** Default SMTP server for mailboxes that name none; without it mail goes to the dev outbox. */
  smtpUrl: string | null;
}

/** What every use case is handed: the database, the clock, the settings. No globals. */
export interface AppContext {
  db: Db;
  clock: Clock;
  config: AppConfig;
  newId: () => string;
  /** Structured logs (pino); silent unless the caller gives one. */
  log: Logger;
  /** This process's Prometheus counters and histograms. */
  metrics: Metrics;
}

export function createContext(
  db: Db,
  clock: Clock,
  config: AppConfig,
  ops: { log?: Logger; metrics?: Metrics } = {},
): AppContext {
  return { db, clock, config, newId: randomUUID, log: ops.log ?? silentLogger, metrics: ops.metrics ?? new Metrics() };
}
