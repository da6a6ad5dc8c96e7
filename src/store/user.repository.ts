import type { Insertable, Updateable } from 'kysely';
import type { Handle } from './database.ts';
import type { UserRow, UserTable } from './schema.ts';

export async function insertUser(h: Handle, row: Insertable<UserTable>): Promise<UserRow> {
  return h.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Inserts a user unless it collides with one (id or email); undefined when it did. */
export async function insertUserIfAbsent(h: Handle, row: Insertable<UserTable>): Promise<{ id: string } | undefined> {
  return h.insertInto('users').values(row).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
}

export async function findUser(h: Handle, id: string): Promise<UserRow | undefined> {
  return h.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Which of these ids name users. */
export async function existingUserIds(h: Handle, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return (await h.selectFrom('users').select('id').where('id', 'in', ids).execute()).map((u) => u.id);
}

/** Of these user ids, the deactivated ones: they sign in no more, and are given no new leads or tasks. */
export async function deactivatedUserIds(h: Handle, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await h.selectFrom('users').select('id').where('id', 'in', ids).where('deactivated_at', 'is not', null).execute();
  return new Set(rows.map((u) => u.id));
}

export async function userExists(h: Handle, id: string): Promise<boolean> {
  return (await existingUserIds(h, [id])).length > 0;
}

/** Whether any user exists: the demo fills only an empty workspace. */
export async function anyUserExists(h: Handle): Promise<boolean> {
  return !!(await h.selectFrom('users').select('id').limit(1).executeTakeFirst());
}

/** Emails are unique regardless of case. */
export async function userEmailTaken(h: Handle, email: string): Promise<boolean> {
  return !!(await h
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst());
}

export async function findOldestAdmin(h: Handle): Promise<{ id: string } | undefined> {
  return h.selectFrom('users').select('id').where('role', '=', 'admin').orderBy('created_at').executeTakeFirst();
}

/** Stores a token's digest; storing the same token twice is a no-op. */
export async function insertApiToken(h: Handle, tokenHash: string, userId: string, now: Date): Promise<void> {
  await h
    .insertInto('api_tokens')
    .values({ token_hash: tokenHash, user_id: userId, created_at: now })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .execute();
}

/** The user a token digest belongs to. */
export async function findTokenHolder(h: Handle, tokenHash: string): Promise<Pick<UserRow, 'id' | 'role' | 'name' | 'email'> | undefined> {
  return h
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['u.id', 'u.role', 'u.name', 'u.email'])
    .where('t.token_hash', '=', tokenHash)
    .where('u.deactivated_at', 'is', null)
    .executeTakeFirst();
}

/** The user a CLI token is issued for: the one with that email, or the oldest admin. */
export async function findUserForToken(h: Handle, email: string | undefined): Promise<{ id: string } | undefined> {
  if (email === undefined) return findOldestAdmin(h);
  return h.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
}

/** Changes a user; 'email_taken' when another user has the new email (the unique index decides). */
export async function updateUser(h: Handle, id: string, changes: Updateable<UserTable>): Promise<UserRow | undefined | 'email_taken'> {
  try {
    return await h.updateTable('users').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
  } catch (e) {
    if ((e as { code?: unknown }).code === '23505') return 'email_taken';
    throw e;
  }
}

/** Whether an active admin other than this user exists. */
export async function otherAdminExists(h: Handle, id: string): Promise<boolean> {
  return !!(await h.selectFrom('users').select('id').where('role', '=', 'admin').where('id', '<>', id)
    .where('deactivated_at', 'is', null).limit(1).executeTakeFirst());
}
