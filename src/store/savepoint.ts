import { sql } from 'kysely';
import type { Trx } from './database.ts';

/**
 * Runs `fn` inside a savepoint of `trx`: if it throws, its writes are undone and the
 * transaction goes on, where a failed statement would otherwise abort all of it.
 * Savepoints are taken one after another, never nested, so one name serves.
 */
export async function inSavepoint<T>(trx: Trx, fn: () => Promise<T>): Promise<T> {
  await sql`savepoint cadenza_isolated`.execute(trx);
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    // Should this fail too, the connection is gone: its error, not a row's, goes up.
    await sql`rollback to savepoint cadenza_isolated`.execute(trx);
    await sql`release savepoint cadenza_isolated`.execute(trx);
    throw e;
  }
  await sql`release savepoint cadenza_isolated`.execute(trx);
  return result;
}

/**
 * Whether a statement failed on the data of a row, not on the database: invalid data
 * (SQLSTATE class 22), a constraint (23), a row too large (54), or an exception raised
 * by a trigger (P0001). Connection, lock and serialization failures are not: a retry
 * of the whole batch settles those.
 */
export function isRowError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return ['22', '23', '54'].includes(code.slice(0, 2)) || code === 'P0001';
}
