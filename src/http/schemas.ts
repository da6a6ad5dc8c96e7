import { AppError } from '../app/errors.ts';
import { isUuid } from '../domain/ids.ts';

/**
 * HTTP-only bits of validation. Request and response shapes live in src/contract, which
 * the web app imports too.
 */

/** An id that cannot exist is simply not found. */
export function knownId(id: string, what: string): string {
  if (!isUuid(id)) throw new AppError('not_found', `${what} ${id} not found`);
  return id;
}
