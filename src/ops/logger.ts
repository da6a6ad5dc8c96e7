import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Credentials never reach the logs, should a line carry the headers of a request or a
 * response, or an error carry its request's (request lines log no header at all).
 */
const REDACTED = [
  'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
  'headers.authorization', 'headers.cookie', 'err.headers.authorization', 'err.config.headers.authorization',
];

/**
 * Structured JSON logs on standard output (pino), on by default; `LOG_LEVEL` sets the
 * threshold (`silent` turns them off). Every process of one deployment logs the same way.
 */
export function createLogger(env: NodeJS.ProcessEnv = process.env, destination?: pino.DestinationStream): Logger {
  const level = env.LOG_LEVEL || 'info';
  if (!pino.levels.values[level] && level !== 'silent') {
    throw new Error(`LOG_LEVEL must be one of ${Object.keys(pino.levels.values).join(', ')} or silent, not "${level}"`);
  }
  return pino({
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED, censor: '[redacted]' },
  }, destination);
}

/** A logger that writes nothing: tests and library callers that set none. */
export const silentLogger: Logger = pino({ level: 'silent' });
