import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on standard output (pino), on by default; `LOG_LEVEL` sets the
 * threshold (`silent` turns them off). Every process of one deployment logs the same way.
 */
export function createLogger(env: NodeJS.ProcessEnv = process.env, destination?: pino.DestinationStream): Logger {
  const level = env.LOG_LEVEL || 'info';
  if (!pino.levels.values[level] && level !== 'silent') {
    throw new Error(`LOG_LEVEL must be one of ${Object.keys(pino.levels.values).join(', ')} or silent, not "${level}"`);
  }
  return pino({ level, base: { pid: process.pid } }, destination);
}

/** A logger that writes nothing: tests and library callers that set none. */
export const silentLogger: Logger = pino({ level: 'silent' });
