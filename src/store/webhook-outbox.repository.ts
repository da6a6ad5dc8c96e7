import { sql } from 'kysely';
import type { Handle } from './database.ts';

/**
 * The webhook outbox's messages. Triggers write them (migration 0016) with the change
 * they report; here they are read and pruned.
 */

/** How long a settled message is kept (its deliveries show in the log until then). */
export const WEBHOOK_MESSAGE_RETENTION_MS = 30 * 24 * 3600_000;

/** At most this many messages go in one delete: short statements, short locks. */
const PRUNE_BATCH = 5_000;

/**
 * Deletes the messages older than `olderThan` none of whose deliveries is still pending
 * (their deliveries go with them), a batch at a time. Answers how many it deleted.
 */
export async function pruneWebhookMessages(h: Handle, olderThan: Date, batch = PRUNE_BATCH): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await sql`
      delete from webhook_messages where id in (
        select m.id from webhook_messages m
        where m.at < ${olderThan}
          and not exists (select 1 from webhook_deliveries d where d.message_id = m.id and d.status = 'pending')
        limit ${batch})`.execute(h);
    const n = Number(result.numAffectedRows ?? 0);
    deleted += n;
    if (n < batch) return deleted;
  }
}

export interface OutboxMessage {
  id: string;
  type: string;
  at: Date;
  data: Record<string, unknown>;
  /** The endpoints it is to be delivered to, one delivery each. */
  endpointIds: string[];
}

/** Messages in the order they happened, with the endpoints their deliveries go to; `type` filters. */
export async function listWebhookMessages(h: Handle, filter: { type?: string; limit?: number } = {}): Promise<OutboxMessage[]> {
  const { rows } = await sql<OutboxMessage>`
    select m.id, m.type, m.at, m.data,
      coalesce((select array_agg(d.endpoint_id::text order by d.endpoint_id) from webhook_deliveries d where d.message_id = m.id),
        '{}') as "endpointIds"
    from webhook_messages m
    where ${filter.type === undefined ? sql`true` : sql`m.type = ${filter.type}`}
    order by m.at, m.id
    limit ${filter.limit ?? 10_000}`.execute(h);
  return rows;
}
