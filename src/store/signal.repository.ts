import { sql, type Insertable } from 'kysely';
import type { Handle } from './database.ts';
import type { SignalTable } from './schema.ts';

export async function insertSignal(h: Handle, row: Insertable<SignalTable>): Promise<void> {
  await h.insertInto('signals').values(row).execute();
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

/**
 * Records an open or click in one statement, when that is all there is to do: the
 * target exists, the caller may see it, and no boost can fire (a machine's signal, no
 * email of an active enrolment, or a cadence with no boost on this kind of signal).
 * Returns what was recorded, or undefined when nothing was: the caller then takes the
 * full path, which raises the right error or locks the enrolment and fires its boosts.
 * Saves the transaction and the four round trips of the full path for most opens.
 */
export async function recordLoneIntent(h: Handle, s: LoneIntent): Promise<{ record_id: string; email_id: string | null } | undefined> {
  const { token, messageId, recordId = null } = s.target;
  const by = token !== undefined ? 'token' : messageId !== undefined ? 'message' : 'record';
  const email = by === 'token' ? sql`token = ${token}` : by === 'message' ? sql`message_id = ${messageId}` : sql`false`;
  // The record is looked up by a scalar (the email's record, else the given id), so
  // that both probes are index lookups whichever way the target is named. Prepared
  // (one statement per way): planning took twice as long as running it.
  const { rows } = await sql<{ record_id: string; email_id: string | null }>`${sql.raw(`/* prepared: lone-intent-by-${by} */`)}
    with e as (
      select id, enrollment_id, step_id, record_id, sent_at from emails where ${email}
    ), t as (
      select l.id as record_id, l.owner_id, e.id as email_id, e.enrollment_id, e.step_id,
        ${s.machine}::boolean or coalesce(e.sent_at > ${s.machineIfSentAfter}::timestamptz, false) as machine
      from leads l left join e on e.record_id = l.id
      where l.id = coalesce((select record_id from e), ${recordId}::uuid)
        and (${by !== 'record'}::boolean is false or e.id is not null)
        and (${recordId}::uuid is null or l.id = ${recordId}::uuid)
    )
    insert into signals (id, type, record_id, enrollment_id, email_id, step_id, machine, data, at)
    select ${s.id}::uuid, ${s.type}::text, t.record_id, t.enrollment_id, t.email_id, t.step_id, t.machine, ${s.data}::jsonb, ${s.at}::timestamptz
    from t
    where (${s.visibleTo}::uuid is null or t.owner_id = ${s.visibleTo}::uuid)
      and (t.machine or t.enrollment_id is null or not exists (
        select 1 from enrollments en
        join cadences c on c.id = en.cadence_id
        join cadence_versions v on v.cadence_id = c.id and v.version = c.version
        where en.id = t.enrollment_id and en.status = 'active'
          and v.definition->'boosts' @> jsonb_build_array(jsonb_build_object('on', ${s.type}::text))))
    returning record_id, email_id`.execute(h);
  return rows[0];
}
