import { sql, type Insertable } from 'kysely';
import type { Handle } from './database.ts';
import type { SignalTable } from './schema.ts';

export async function insertSignal(h: Handle, row: Insertable<SignalTable>): Promise<void> {
  await h.insertInto('signals').values(row).execute();
}

export async function insertSignals(h: Handle, rows: Insertable<SignalTable>[]): Promise<void> {
  if (rows.length > 0) await h.insertInto('signals').values(rows).execute();
}

/** What an open or click names: a record, an email by its Message-ID (and maybe its record), or an email by tracking token. */
export type IntentTarget =
  | { recordId: string; messageId?: undefined; token?: undefined }
  | { messageId: string; recordId?: string; token?: undefined }
  | { token: string; recordId?: undefined; messageId?: undefined };

export interface LoneIntent {
  id: string;
  type: 'opened' | 'clicked';
  target: IntentTarget;
  /** Flagged as a machine's whatever the timing (its user agent is a proxy's or a scanner's). */
  machine: boolean;
  /** Flagged as a machine's too when its email was sent after this instant (a proxy fetching on delivery). */
  machineIfSentAfter: Date | null;
  /** A rep's id: the record must be its own; null for an admin or a tracking link. */
  visibleTo: string | null;
  /** The signal's `data`, as JSON text. */
  data: string;
  at: Date;
}

export interface RecordedIntent {
  id: string;
  record_id: string;
  email_id: string | null;
}

/**
 * Records opens and clicks in one statement, each of those for which that is all there
 * is to do: the target exists, the caller may see it, and no boost can fire (a
 * machine's signal, no email of an active enrolment, or a cadence with no boost on this
 * kind of signal). Returns those it recorded, by id; the caller takes the full path for
 * the others, which raises the right error or locks the enrolment and fires its boosts.
 * One prepared statement whatever the number (planning took longer than running it).
 */
export async function recordLoneIntents(h: Handle, items: LoneIntent[]): Promise<Map<string, RecordedIntent>> {
  const { rows } = await loneIntentsStatement(items).execute(h);
  return new Map(rows.map((r) => [r.id, r]));
}

/** The statement of recordLoneIntents (its plan is tested). */
export function loneIntentsStatement(items: LoneIntent[]) {
  const column = <T>(f: (s: LoneIntent) => T) => items.map(f);
  // The email is probed by token or by Message-ID, whichever the item names; the record
  // by the email's, else the given one: index lookups all, whatever the mix.
  return sql<RecordedIntent>`/* prepared: record-lone-intents */
    with t as (
      select i.id, i.type, i.data, i.at, l.id as record_id, e.id as email_id, e.enrollment_id, e.step_id,
        i.machine or coalesce(e.sent_at > i.machine_if_sent_after, false) as machine
      from unnest(${column((s) => s.id)}::uuid[], ${column((s) => s.type)}::text[],
          ${column((s) => s.target.token ?? null)}::text[], ${column((s) => s.target.messageId ?? null)}::text[],
          ${column((s) => s.target.recordId ?? null)}::uuid[], ${column((s) => s.machine)}::boolean[],
          ${column((s) => s.machineIfSentAfter)}::timestamptz[], ${column((s) => s.visibleTo)}::uuid[],
          ${column((s) => s.data)}::jsonb[], ${column((s) => s.at)}::timestamptz[])
        as i(id, type, token, message_id, record_id, machine, machine_if_sent_after, visible_to, data, at)
      left join lateral (
        select id, enrollment_id, step_id, record_id, sent_at from emails where token = i.token
        union all
        select id, enrollment_id, step_id, record_id, sent_at from emails where message_id = i.message_id
      ) e on true
      -- Lateral (offset 0 keeps it from being flattened into a join), so that the record
      -- is probed by id once the email is known: with no statistics on leads, a join read
      -- every lead for each batch.
      join lateral (select id, owner_id from leads where id = coalesce(e.record_id, i.record_id) offset 0) l on true
      where (e.id is not null or (i.token is null and i.message_id is null))
        and (i.record_id is null or l.id = i.record_id)
        and (i.visible_to is null or l.owner_id = i.visible_to)
    )
    insert into signals (id, type, record_id, enrollment_id, email_id, step_id, machine, data, at)
    select t.id, t.type, t.record_id, t.enrollment_id, t.email_id, t.step_id, t.machine, t.data, t.at
    from t
    where t.machine or t.enrollment_id is null or not exists (
      select 1 from enrollments en
      join cadences c on c.id = en.cadence_id
      join cadence_versions v on v.cadence_id = c.id and v.version = c.version
      where en.id = t.enrollment_id and en.status = 'active'
        and v.definition->'boosts' @> jsonb_build_array(jsonb_build_object('on', t.type)))
    returning id, record_id, email_id`;
}
