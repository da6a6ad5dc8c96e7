import { sql } from 'kysely';
import type { Handle } from './database.ts';
import type { UserRow } from './schema.ts';

/** Sessions and passwords (migration 0006). */

export async function insertSession(h: Handle, row: { token_hash: string; user_id: string; created_at: Date; expires_at: Date }): Promise<void> {
  await h.insertInto('sessions').values(row).execute();
}

/** The holder of an unexpired session, with when it expires. */
export async function findSessionHolder(h: Handle, tokenHash: string, now: Date): Promise<(Pick<UserRow, 'id' | 'role' | 'name' | 'email'> & { expires_at: Date }) | undefined> {
  return h
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.role', 'u.name', 'u.email', 's.expires_at'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .where('u.deactivated_at', 'is', null)
    .executeTakeFirst();
}

export async function extendSession(h: Handle, tokenHash: string, expiresAt: Date): Promise<void> {
  await h.updateTable('sessions').set({ expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();
}

export async function deleteSession(h: Handle, tokenHash: string): Promise<void> {
  await h.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Ends a user's sessions, but the one named (a password change keeps the browser that made it). */
export async function deleteUserSessions(h: Handle, userId: string, keepTokenHash: string | null): Promise<void> {
  let query = h.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepTokenHash) query = query.where('token_hash', '<>', keepTokenHash);
  await query.execute();
}

/** Expired sessions, dropped when someone signs in (no sweeper needed). */
export async function deleteExpiredSessions(h: Handle, now: Date): Promise<void> {
  await h.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

export async function findUserByEmail(h: Handle, email: string): Promise<UserRow | undefined> {
  return h
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export async function findPasswordHash(h: Handle, userId: string): Promise<string | null | undefined> {
  return (await h.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst())?.password_hash;
}

export async function setPasswordHash(h: Handle, userId: string, hash: string): Promise<void> {
  await h.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
}

/** Whether an admin can sign in: one with a password. */
export async function adminWithPasswordExists(h: Handle): Promise<boolean> {
  return !!(await h.selectFrom('users').select('id').where('role', '=', 'admin').where('password_hash', 'is not', null).where('deactivated_at', 'is', null).limit(1).executeTakeFirst());
}

/** Any admin at all, also one that signs in only with an API token (CADENZA_ADMIN_TOKEN). */
export async function adminExists(h: Handle): Promise<boolean> {
  return !!(await h.selectFrom('users').select('id').where('role', '=', 'admin').limit(1).executeTakeFirst());
}

/** Serialises first-admin setups until the transaction ends (both backends are PostgreSQL). */
export async function lockSetup(h: Handle): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('cadenza.setup'))`.execute(h);
}
