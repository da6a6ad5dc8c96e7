import { randomBytes } from 'node:crypto';
import type { CreatedUser, InvitationLink, UserListItem } from '../contract/users.ts';
import type { Deactivated, InvitationView } from '../contract/user-admin.ts';
import {
  acceptOpenInvitation, deactivateUser, findOpenInvitation, findUsersWithSignIn, lockActiveAdmins, reactivateUser, reassignWork, replaceInvitation,
} from '../store/user-admin.repository.ts';
import { findUser } from '../store/user.repository.ts';
import { assertAdmin, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { AppError, notFound } from './errors.ts';
import { hashPassword } from './passwords.ts';
import { openSession, type Session } from './sessions.ts';
import { createUser, hashToken, type NewUser } from './users.ts';
import { toUser } from './views/users.ts';

/** Users as the admin manages them: invitations, deactivation (issue 13, Settings). */

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

/** `GET /api/users` (admin): every user, how it signs in, and its open invitation. */
export async function listUsersForAdmin(ctx: AppContext, actor: Actor): Promise<UserListItem[]> {
  assertAdmin(actor);
  const rows = await findUsersWithSignIn(ctx.db, ctx.clock.now());
  return rows.map((r) => ({
    ...toUser(r), hasPassword: r.password_hash !== null, invitationExpiresAt: r.invitation_expires_at?.toISOString() ?? null,
  }));
}

/** `POST /api/users` (admin): a user, with an invitation link when `invite` is set. */
export async function addUserWithInvitation(ctx: AppContext, actor: Actor, input: NewUser & { invite?: boolean }): Promise<CreatedUser> {
  assertAdmin(actor);
  const { invite, ...fields } = input;
  const created = await createUser(ctx, fields);
  if (!invite) return created;
  return { ...created, invitation: await issueInvitation(ctx, created.id, actor.id) };
}

/** `POST /api/users/:id/invitation` (admin): a new link for a user (the earlier one stops working). */
export async function reinvite(ctx: AppContext, actor: Actor, userId: string): Promise<InvitationLink> {
  assertAdmin(actor);
  const user = await findUser(ctx.db, userId);
  if (!user) throw notFound('user', userId);
  if (user.deactivated_at) throw new AppError('invalid_state', `user ${userId} is deactivated: reactivate it before inviting it`);
  return issueInvitation(ctx, userId, actor.id);
}

async function issueInvitation(ctx: AppContext, userId: string, by: string): Promise<InvitationLink> {
  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  await ctx.db.transaction().execute((trx) =>
    replaceInvitation(trx, { token_hash: hashToken(token), user_id: userId, created_by: by, created_at: now, expires_at: expiresAt }));
  return { url: `${ctx.config.publicUrl.replace(/\/$/, '')}/invite/${token}`, token, expiresAt: expiresAt.toISOString() };
}

const invitationGone = () =>
  new AppError('not_found', 'this invitation link is not valid: it was used, replaced or has expired, or the account was deactivated; ask an admin for a new one');

/** `GET /api/invitations/:token` (no auth): who the link is for. */
export async function viewInvitation(ctx: AppContext, token: string): Promise<InvitationView> {
  const found = await findOpenInvitation(ctx.db, hashToken(token), ctx.clock.now());
  if (!found) throw invitationGone();
  return { name: found.name, email: found.email, expiresAt: found.expires_at.toISOString() };
}

/** `POST /api/invitations/:token` (no auth): sets the password, uses the link, signs in. */
export async function acceptInvitation(ctx: AppContext, token: string, password: string): Promise<Session> {
  const hash = await hashPassword(password);
  const userId = await acceptOpenInvitation(ctx.db, hashToken(token), hash, ctx.clock.now());
  if (!userId) throw invitationGone();
  const row = await findUser(ctx.db, userId);
  if (!row) throw invitationGone();
  return { user: toUser(row), ...(await openSession(ctx, userId)) };
}

const lastAdmin = () =>
  new AppError('invalid_state', 'this is the last active admin: make another user admin first', [{ path: 'params.id', message: 'last active admin' }]);

/**
 * `POST /api/users/:id/deactivate` (admin): the user can no longer sign in; its
 * sessions, tokens and open invitation end. With `reassignTo` its open tasks and
 * leads move to that active user; otherwise they stay its own, for admins to see and
 * reassign. The last active admin cannot be deactivated (409).
 */
export async function deactivate(ctx: AppContext, actor: Actor, id: string, reassignTo: string | undefined): Promise<Deactivated> {
  assertAdmin(actor);
  if (reassignTo === id) {
    throw new AppError('invalid_request', 'body.reassignTo: work cannot be reassigned to the user being deactivated', [{ path: 'body.reassignTo', message: 'the user being deactivated' }]);
  }
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const admins = await lockActiveAdmins(trx);
    const current = await findUser(trx, id);
    if (!current) throw notFound('user', id);
    if (current.deactivated_at) return { user: toUser(current), reassigned: { tasks: 0, leads: 0 } };
    if (admins.length === 1 && admins[0] === id) throw lastAdmin();
    let reassigned = { tasks: 0, leads: 0 };
    if (reassignTo !== undefined) {
      const target = await findUser(trx, reassignTo);
      if (!target || target.deactivated_at) {
        throw new AppError('invalid_request', `body.reassignTo: ${target ? 'that user is deactivated' : `user ${reassignTo} not found`}`,
          [{ path: 'body.reassignTo', message: target ? 'deactivated' : 'no such user' }]);
      }
      reassigned = await reassignWork(trx, id, reassignTo, now);
    }
    const row = await deactivateUser(trx, id, now);
    if (!row) throw notFound('user', id);
    return { user: toUser(row), reassigned };
  });
}

/** `POST /api/users/:id/reactivate` (admin): the user may sign in again (with a password it has; tokens were revoked). */
export async function reactivate(ctx: AppContext, actor: Actor, id: string) {
  assertAdmin(actor);
  const row = await reactivateUser(ctx.db, id);
  if (!row) throw notFound('user', id);
  return toUser(row);
}
