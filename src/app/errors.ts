/**
 * The expected failures of use cases, keyed by code. The HTTP edge maps each code to
 * a status in one place; anything that is not an AppError is a bug and becomes a 500.
 */
export type AppErrorCode =
  | 'invalid_request'
  | 'invalid_cadence'
  | 'not_found'
  | 'forbidden'
  | 'unauthorized'
  | 'conflict'
  | 'invalid_state'
  /** Understood, but it cannot be done as it stands (a manual email whose merge fields lack values). */
  | 'unprocessable'
  | 'rate_limited';

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) => new AppError('not_found', `${what} ${id} not found`);
export const invalid = (message: string, details?: unknown) => new AppError('invalid_request', message, details);
export const invalidState = (message: string) => new AppError('invalid_state', message);
