import { sql } from 'kysely';
import type { Handle } from './database.ts';
import type { UserRow } from './schema.ts';

/** Invitations, deactivation and the admin's list of users (migration 0010). */

export type UserWithSignIn = UserRow & { invitation_expires_at: Date | null };

/** Every user, oldest first, with when its open invitation (unused, unexpired) expires: one statement. */
export async function findUsersWithSignIn(h: Handle, now: Date): Promise<UserWithSignIn[]> {
  const { rows } = await sql<UserWithSignIn>`
    select u.*, i.expires_at as invitation_expires_at
    from users u
    left join lateral (
      select max(expires_at) as expires_at from user_invitations
      where user_id = u.id and used_at is null and expires_at > ${now}) i on true
    order by u.created_at, u.id`.execute(h);
  return rows;
}

/** A new invitation for a user; any earlier one still open stops working. */
export async function replaceInvitation(
  h: Handle, row: { token_hash: string; user_id: string; created_by: string | null; created_at: Date; expires_at: Date },
): Promise<void> {
  await h.deleteFrom('user_invitations').where('user_id', '=', row.user_id).where('used_at', 'is', null).execute();
  await h.insertInto('user_invitations').values({ ...row, used_at: null }).execute();
}

/** The user an open invitation is for (unused, unexpired, the user active). */
export async function findOpenInvitation(h: Handle, tokenHash: string, now: Date) {
  return h
    .selectFrom('user_invitations as i')
    .innerJoin('users as u', 'u.id', 'i.user_id')
    .select(['u.id', 'u.name', 'u.email', 'i.expires_at'])
    .where('i.token_hash', '=', tokenHash)
    .where('i.used_at', 'is', null)
    .where('i.expires_at', '>', now)
    .where('u.deactivated_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Uses an open invitation and sets the user's password, in one statement: of two
 * acceptances at once, one finds it used. Returns the user's id, or undefined.
 */
export async function acceptOpenInvitation(h: Handle, tokenHash: string, passwordHash: string, now: Date): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`
    with used as (
      update user_invitations i set used_at = ${now}
      from users u
      where i.token_hash = ${tokenHash} and i.used_at is null and i.expires_at > ${now}
        and u.id = i.user_id and u.deactivated_at is null
      returning i.user_id)
    update users set password_hash = ${passwordHash}
    from used where users.id = used.user_id
    returning users.id`.execute(h);
  return rows[0]?.id;
}

/** Locks the active admins' rows until the transaction ends and returns their ids: role changes serialise on them. */
export async function lockActiveAdmins(h: Handle): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select id from users where role = 'admin' and deactivated_at is null order by id for update`.execute(h);
  return rows.map((r) => r.id);
}

/** Deactivates a user: its sessions, API tokens and open invitations go. */
export async function deactivateUser(h: Handle, id: string, now: Date): Promise<UserRow | undefined> {
  const row = await h.updateTable('users').set({ deactivated_at: now }).where('id', '=', id).returningAll().executeTakeFirst();
  if (!row) return undefined;
  await h.deleteFrom('sessions').where('user_id', '=', id).execute();
  await h.deleteFrom('api_tokens').where('user_id', '=', id).execute();
  await h.deleteFrom('user_invitations').where('user_id', '=', id).where('used_at', 'is', null).execute();
  return row;
}

export async function reactivateUser(h: Handle, id: string): Promise<UserRow | undefined> {
  return h.updateTable('users').set({ deactivated_at: null }).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Moves a user's open tasks and its leads to another user; returns how many of each moved. */
export async function reassignWork(h: Handle, from: string, to: string, now: Date): Promise<{ tasks: number; leads: number }> {
  const tasks = await h.updateTable('tasks').set({ owner_id: to })
    .where('owner_id', '=', from).where('status', '=', 'open').executeTakeFirst();
  const leads = await h.updateTable('leads').set({ owner_id: to, updated_at: now })
    .where('owner_id', '=', from).executeTakeFirst();
  return { tasks: Number(tasks.numUpdatedRows), leads: Number(leads.numUpdatedRows) };
}
