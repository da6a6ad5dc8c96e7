import { sql, type RawBuilder } from 'kysely';
import type { Handle } from './database.ts';

/**
 * A worker's heartbeat: its lease runs until `until`, and with it every claim it holds
 * (migration 0004). Leases that ran out are dropped on the way: they hold nothing.
 */
export async function renewWorkerLease(h: Handle, workerId: string, now: Date, until: Date): Promise<void> {
  await sql`
    with expired as (delete from worker_leases where alive_until < ${now} and worker_id <> ${workerId})
    insert into worker_leases (worker_id, alive_until) values (${workerId}, ${until})
    on conflict (worker_id) do update set alive_until = excluded.alive_until`.execute(h);
}

/** A worker that stops holds nothing any more: its lease ends now. */
export async function endWorkerLease(h: Handle, workerId: string): Promise<void> {
  await sql`delete from worker_leases where worker_id = ${workerId}`.execute(h);
}

/**
 * "`claimedBy` is a worker whose lease is running at `now`": a claim of a live worker
 * holds however old it is; one of a worker that stopped renewing is anyone's.
 */
export function leaseRunning(claimedBy: RawBuilder<unknown>, now: Date): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from worker_leases w where w.worker_id = ${claimedBy} and w.alive_until >= ${now})`;
}
