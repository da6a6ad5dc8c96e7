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

export async function recordPoll(
  h: Handle,
  userId: string,
  result: { uidValidity: bigint | null; lastUid: bigint | null; error: string | null },
  now: Date,
): Promise<void> {
  await h
    .updateTable('mailboxes')
    .set({
      imap_uid_validity: result.uidValidity === null ? null : result.uidValidity.toString(),
      imap_last_uid: result.lastUid === null ? null : result.lastUid.toString(),
      imap_error: result.error,
      imap_polled_at: now,
      imap_claim_until: null,
    })
    .where('user_id', '=', userId)
    .execute();
}

/** Gives up a claim to poll a mailbox without recording a poll: any worker polls it next. */
export async function releaseMailboxPoll(h: Handle, userId: string): Promise<void> {
  await h.updateTable('mailboxes').set({ imap_claim_until: null }).where('user_id', '=', userId).execute();
}
