import { randomBytes } from 'node:crypto';
import type { User } from '../contract/users.ts';
import { toUser } from './views/users.ts';
import {
  adminExists, adminWithPasswordExists, deleteExpiredSessions, deleteSession, deleteUserSessions, extendSession, findPasswordHash,
  findSessionHolder, findUserByEmail, insertSession, lockSetup, setPasswordHash,
} from '../store/session.repository.ts';
import { findUser, insertUserIfAbsent, userEmailTaken } from '../store/user.repository.ts';
import type { Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { AppError, notFound } from './errors.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import { hashToken } from './users.ts';

/** A session lasts this long after its last use (sliding). */
export const SESSION_TTL_MS = 30 * 24 * 3600_000;
/** Extended at most once this often: a browser's reads do not each write. */
const EXTEND_AFTER_MS = 24 * 3600_000;

/** The one answer to any wrong email and password pair: it does not tell which was wrong. */
export const WRONG_PAIR = 'wrong email or password';

export interface Session {
  user: User;
  /** The cookie's value; only its digest is stored. */
  token: string;
  expiresAt: Date;
}

/** Opens a session for a user who proved who they are (a password, an invitation link). */
export async function openSession(ctx: AppContext, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const now = ctx.clock.now();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await deleteExpiredSessions(ctx.db, now);
  await insertSession(ctx.db, { token_hash: hashToken(token), user_id: userId, created_at: now, expires_at: expiresAt });
  return { token, expiresAt };
}

/** True while no admin can sign in (no admin has a password): the first visit sets one up. */
export async function setupNeeded(ctx: AppContext): Promise<boolean> {
  return !(await adminWithPasswordExists(ctx.db));
}

/**
 * Creates the first admin who can sign in, and signs them in; 409 once one exists.
 * Where an admin already exists who signs in only with an API token (a deployment
 * bootstrapped with CADENZA_ADMIN_TOKEN), only that admin's token may finish setup:
 * otherwise anyone who reaches the server first would make themselves admin.
 */
export async function setupFirstAdmin(ctx: AppContext, input: { name: string; email: string; password: string }, caller: Actor | null = null): Promise<Session> {
  const email = input.email.trim();
  const hash = await hashPassword(input.password);
  const userId = await ctx.db.transaction().execute(async (trx) => {
    await lockSetup(trx);
    if (await adminWithPasswordExists(trx)) throw new AppError('conflict', 'setup is done: an admin who can sign in exists; sign in with POST /api/session');
    if (caller?.role !== 'admin' && (await adminExists(trx))) {
      throw new AppError('forbidden', 'an admin with an API token exists: send its token (Authorization: Bearer <token>) to set up the first admin who signs in with a password');
    }
    if (await userEmailTaken(trx, email)) {
      throw new AppError('conflict', `a user with email ${email} already exists`, [{ path: 'body.email', message: 'already in use' }]);
    }
    const inserted = await insertUserIfAbsent(trx, {
      id: ctx.newId(), name: input.name.trim(), email, role: 'admin', timezone: null, created_at: ctx.clock.now(), password_hash: hash,
    });
    if (!inserted) throw new AppError('conflict', `a user with email ${email} already exists`, [{ path: 'body.email', message: 'already in use' }]);
    return inserted.id;
  });
  const row = await findUser(ctx.db, userId);
  if (!row) throw notFound('user', userId);
  return { user: toUser(row), ...(await openSession(ctx, userId)) };
}

/**
 * Signs in by email and password. An unknown email costs the same scrypt work as a
 * wrong password and gets the same answer, so neither the answer nor its time tells
 * which addresses have accounts.
 */
export async function login(ctx: AppContext, email: string, password: string): Promise<Session> {
  const row = await findUserByEmail(ctx.db, email.trim());
  const matches = await verifyPassword(password, row?.password_hash ?? (await decoyHash()));
  if (!row || !row.password_hash || !matches) throw new AppError('unauthorized', WRONG_PAIR);
  // Told only to whoever knows the password: the account exists but is switched off.
  if (row.deactivated_at) throw new AppError('forbidden', 'this account is deactivated: ask an admin to reactivate it');
  return { user: toUser(row), ...(await openSession(ctx, row.id)) };
}

export async function logout(ctx: AppContext, token: string): Promise<void> {
  await deleteSession(ctx.db, hashToken(token));
}

/** The holder of a session cookie, or null; a session in use is extended (sliding expiry). */
export async function sessionActor(ctx: AppContext, token: string): Promise<Actor | null> {
  const now = ctx.clock.now();
  const tokenHash = hashToken(token);
  const holder = await findSessionHolder(ctx.db, tokenHash, now);
  if (!holder) return null;
  if (holder.expires_at.getTime() - now.getTime() < SESSION_TTL_MS - EXTEND_AFTER_MS) {
    await extendSession(ctx.db, tokenHash, new Date(now.getTime() + SESSION_TTL_MS));
  }
  return { id: holder.id, role: holder.role, name: holder.name, email: holder.email };
}

/**
 * Changes the caller's password, given the current one. The caller's other sessions
 * end (a stolen cookie stops working); the one making the change, if any, stays.
 */
export async function changePassword(ctx: AppContext, actor: Actor, current: string, password: string, sessionToken: string | null): Promise<void> {
  const stored = await findPasswordHash(ctx.db, actor.id);
  if (!stored) throw new AppError('invalid_state', 'you have no password to change: you sign in with an API token');
  if (!(await verifyPassword(current, stored))) {
    throw new AppError('forbidden', 'body.current: the current password is wrong', [{ path: 'body.current', message: 'wrong password' }]);
  }
  const hash = await hashPassword(password);
  await ctx.db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, actor.id, hash);
    await deleteUserSessions(trx, actor.id, sessionToken ? hashToken(sessionToken) : null);
  });
}
