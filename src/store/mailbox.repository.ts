import { sql, type Insertable } from 'kysely';
import type { Handle } from './database.ts';
import type { MailboxRow, MailboxTable } from './schema.ts';

/** A user's mailbox settings, created or replaced; the IMAP poll state is kept. */
export async function upsertMailbox(h: Handle, userId: string, values: Omit<Insertable<MailboxTable>, 'user_id'>): Promise<MailboxRow> {
  return h
    .insertInto('mailboxes')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findMailbox(h: Handle, userId: string): Promise<MailboxRow | undefined> {
  return h.selectFrom('mailboxes').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/**
 * Claims one mailbox whose poll is due, for `leaseMs`: several workers poll different
 * mailboxes, and a mailbox whose poller died is polled again after the lease.
 */
export async function claimMailboxToPoll(h: Handle, now: Date, intervalMs: number, leaseMs: number): Promise<MailboxRow | undefined> {
  const { rows } = await sql<MailboxRow>`
    update mailboxes set imap_claim_until = ${new Date(now.getTime() + leaseMs)}
    where user_id = (
      select user_id from mailboxes
      where imap_url is not null
        and (imap_claim_until is null or imap_claim_until < ${now})
        and (imap_polled_at is null or imap_polled_at <= ${new Date(now.getTime() - intervalMs)})
      order by imap_polled_at nulls first
      limit 1
      for update skip locked)
    returning *`.execute(h);
  return rows[0];
}

/**
 * Ends a pass over a mailbox: when it was polled, its error (null when it went well) and
 * the end of its claim. `cursor` is where the pass ended, given only when it read the
 * mailbox to the end; a failed pass leaves the cursor where the last message it fully
 * handled put it (see advanceMailboxCursor), so that the next pass starts after it.
 */
export async function recordPoll(
  h: Handle,
  userId: string,
  result: { cursor?: { uidValidity: bigint; lastUid: bigint }; error: string | null },
  now: Date,
): Promise<void> {
  await h
    .updateTable('mailboxes')
    .set({
      ...(result.cursor
        ? { imap_uid_validity: result.cursor.uidValidity.toString(), imap_last_uid: result.cursor.lastUid.toString() }
        : {}),
      imap_error: result.error === null ? null : result.error.slice(0, 2000),
      imap_polled_at: now,
      imap_claim_until: null,
    })
    .where('user_id', '=', userId)
    .execute();
}

/** Where a message sits in a mailbox: its UID under the folder's UIDVALIDITY. */
export interface MailboxPosition {
  userId: string;
  uidValidity: bigint;
  uid: bigint;
}

/**
 * Moves a mailbox's cursor to a message just handled, in the transaction that applied
 * the message's effects: both commit or neither does, so a message is never handled
 * twice nor skipped. False when the cursor is already at or past it (another poller
 * handled it after this one's claim ran out): the caller rolls its effects back.
 */
export async function advanceMailboxCursor(h: Handle, at: MailboxPosition): Promise<boolean> {
  const result = await h
    .updateTable('mailboxes')
    .set({ imap_uid_validity: at.uidValidity.toString(), imap_last_uid: at.uid.toString() })
    .where('user_id', '=', at.userId)
    .where((eb) => eb.or([
      eb('imap_uid_validity', 'is', null),
      eb('imap_uid_validity', '<>', at.uidValidity.toString()),
      eb('imap_last_uid', 'is', null),
      eb('imap_last_uid', '<', at.uid.toString()),
    ]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Gives up a claim to poll a mailbox without recording a poll: any worker polls it next. */
export async function releaseMailboxPoll(h: Handle, userId: string): Promise<void> {
  await h.updateTable('mailboxes').set({ imap_claim_until: null }).where('user_id', '=', userId).execute();
}
