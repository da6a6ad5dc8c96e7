import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Claims are short leases that a live worker keeps renewing: each worker renews its
 * one row here every third of its lease, and what it claimed (its hand of queued
 * emails, its sends in flight) stays its own while the row lives. One write a beat,
 * however much it holds; a worker that dies stops renewing, and within the lease its
 * claims are anyone's and its sends in doubt (src/store/worker-lease.repository.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    create table worker_leases (
      worker_id text primary key,
      alive_until timestamptz not null
    );
  `);
}
