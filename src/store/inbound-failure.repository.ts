import { sql } from 'kysely';
import type { Handle } from './database.ts';
import type { InboundFailureTable } from './schema.ts';

/** How much of an unparseable message is kept: enough to see what it was, never a whole attachment. */
export const MAX_FAILED_RAW_BYTES = 256 * 1024;

export interface InboundFailure {
  id: string;
  userId: string;
  uidValidity: bigint;
  uid: bigint;
  messageId: string | null;
  error: string;
  raw: Buffer;
  at: Date;
}

/** Records a message the poller skipped; the same message recorded again (a retried pass) stays one row. */
export async function recordInboundFailure(h: Handle, f: InboundFailure): Promise<void> {
  const row: InboundFailureTable = {
    id: f.id,
    user_id: f.userId,
    uid_validity: f.uidValidity.toString(),
    uid: f.uid.toString(),
    message_id: f.messageId?.slice(0, 998) ?? null,
    error: f.error.slice(0, 2000),
    raw: f.raw.subarray(0, MAX_FAILED_RAW_BYTES),
    raw_size: f.raw.length,
    at: f.at,
  };
  await h.insertInto('inbound_failures').values(row).onConflict((oc) => oc.columns(['user_id', 'uid_validity', 'uid']).doNothing()).execute();
}

export interface InboundFailureSummary {
  count: number;
  last: { error: string; messageId: string | null; uid: string; at: Date } | null;
}

/** Per user: how many messages were skipped since `since`, and the latest of them ever. One statement for all users. */
export async function inboundFailureSummaries(h: Handle, since: Date): Promise<Map<string, InboundFailureSummary>> {
  const { rows } = await sql<{ user_id: string; n: number; error: string; message_id: string | null; uid: string; at: Date }>`
    select distinct on (f.user_id) f.user_id, f.error, f.message_id, f.uid::text as uid, f.at,
      (select count(*)::int from inbound_failures c where c.user_id = f.user_id and c.at > ${since}) as n
    from inbound_failures f
    order by f.user_id, f.at desc, f.uid desc`.execute(h);
  return new Map(rows.map((r) => [r.user_id, {
    count: r.n,
    last: { error: r.error, messageId: r.message_id, uid: r.uid, at: new Date(r.at) },
  }]));
}

/**
 * Marks a Message-ID as taken in by a user's mailbox; false when it was already (the
 * folder is read again after a UIDVALIDITY change), so the message is not applied twice.
 */
export async function markInboundSeen(h: Handle, userId: string, messageId: string, at: Date): Promise<boolean> {
  const { rows } = await sql`insert into inbound_seen (user_id, message_id, at) values (${userId}, ${messageId.slice(0, 998)}, ${at})
    on conflict do nothing returning 1 as inserted`.execute(h);
  return rows.length > 0;
}

/** Drops a mailbox's seen Message-IDs older than `before` (a re-read goes back 14 days). */
export async function forgetInboundSeen(h: Handle, userId: string, before: Date): Promise<void> {
  await sql`delete from inbound_seen where user_id = ${userId} and at < ${before}`.execute(h);
}
