import type { Logger } from '../ops/logger.ts';

/** The longest wait between two tries while passes fail: the work a worker holds goes on soon after the database is back. */
const MAX_BACKOFF_MS = 5_000;
/** While passes keep failing, one reminder line at most this often. */
const REMIND_EVERY_MS = 60_000;

/** Errors that say the database cannot be reached (or is going away), not that a statement is wrong. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const CONNECTION_MESSAGE = /connection terminated|not queryable|terminating connection|the database system is (starting up|shutting down)/i;

export function isConnectionError(e: unknown): boolean {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code))) return true;
  return typeof message === 'string' && CONNECTION_MESSAGE.test(message);
}

/**
 * What a worker's loop does when a pass fails: tries again with exponential back-off
 * (the poll interval, doubled up to 5 s), and says so in a bounded number of lines: one
 * when passes start failing (a stack trace only for what is not a lost database), a
 * reminder at most once a minute while they keep failing, one when a pass succeeds
 * again. Time is the engine's clock.
 */
export class PassFailures {
  private since: number | null = null;
  private attempts = 0;
  private remindedAt = 0;
  private lost = false;

  constructor(private readonly log: Logger, private readonly pollMs: number) {}

  /** Records a failed pass; returns how long to wait before the next. */
  failed(e: unknown, now: Date): number {
    const at = now.getTime();
    const lost = isConnectionError(e);
    this.attempts++;
    if (this.since === null || lost !== this.lost) {
      this.since ??= at;
      this.remindedAt = at;
      this.lost = lost;
      if (lost) this.log.warn({ error: errorMessage(e) }, 'engine: database unreachable; retrying with back-off');
      else this.log.error({ err: e }, 'engine: pass failed; retrying with back-off');
    } else if (at - this.remindedAt >= REMIND_EVERY_MS) {
      this.remindedAt = at;
      this.log.warn({ error: errorMessage(e), failingForMs: at - this.since, attempts: this.attempts },
        `engine: ${lost ? 'database still unreachable' : 'passes still failing'}`);
    }
    return Math.min(this.pollMs * 2 ** (this.attempts - 1), Math.max(MAX_BACKOFF_MS, this.pollMs));
  }

  /** Records a pass that went through; says so once after failures. */
  succeeded(now: Date): void {
    if (this.since === null) return;
    this.log.info({ failedForMs: now.getTime() - this.since, attempts: this.attempts },
      `engine: ${this.lost ? 'database reachable again' : 'passes succeed again'}; resuming`);
    this.since = null;
    this.attempts = 0;
  }

  /** Whether the last pass failed: what it held must be settled before the next goes on. */
  get failing(): boolean {
    return this.since !== null;
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
