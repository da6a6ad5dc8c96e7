import { createHash, randomBytes } from 'node:crypto';
import { upsertMailbox } from '../store/mailbox.repository.ts';
import { toMailbox, toUser, type Mailbox, type User } from '../store/records.ts';
import {
  findAllUsers, findOldestAdmin, findTokenHolder, findUser, insertApiToken, insertUser, insertUserIfAbsent,
  userEmailTaken, userExists,
} from '../store/user.repository.ts';
import { assertOwns, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { AppError, notFound } from './errors.ts';

/** Tokens are stored as SHA-256 digests: a leaked database leaks no usable token. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface NewUser {
  name: string;
  email: string;
  role: 'admin' | 'rep';
  timezone?: string;
}

export async function createUser(ctx: AppContext, input: NewUser): Promise<User> {
  const email = input.email.trim();
  if (await userEmailTaken(ctx.db, email)) throw new AppError('conflict', `a user with email ${email} already exists`, [{ path: 'body.email', message: 'already in use' }]);
  const row = await insertUser(ctx.db, {
    id: ctx.newId(), name: input.name.trim(), email, role: input.role, timezone: input.timezone ?? null, created_at: ctx.clock.now(),
  });
  return toUser(row);
}

export async function getUser(ctx: AppContext, actor: Actor, id: string): Promise<User> {
  if (actor.role !== 'admin' && actor.id !== id) throw notFound('user', id);
  const row = await findUser(ctx.db, id);
  if (!row) throw notFound('user', id);
  return toUser(row);
}

export async function listUsers(ctx: AppContext): Promise<User[]> {
  return (await findAllUsers(ctx.db)).map(toUser);
}

export async function issueToken(ctx: AppContext, userId: string): Promise<string> {
  if (!(await userExists(ctx.db, userId))) throw notFound('user', userId);
  const token = `cad_${randomBytes(24).toString('base64url')}`;
  await insertApiToken(ctx.db, hashToken(token), userId, ctx.clock.now());
  return token;
}

export async function authenticate(ctx: AppContext, token: string): Promise<Actor | null> {
  return (await findTokenHolder(ctx.db, hashToken(token))) ?? null;
}

/** `CADENZA_ADMIN_TOKEN`: an admin holding this token exists after start. */
export async function ensureAdminToken(ctx: AppContext, token: string): Promise<void> {
  if (await authenticate(ctx, token)) return;
  await ctx.db.transaction().execute(async (trx) => {
    let admin = await findOldestAdmin(trx);
    if (!admin) {
      admin = await insertUserIfAbsent(trx, {
        id: ctx.newId(), name: 'Admin', email: 'admin@cadenza.local', role: 'admin', timezone: null, created_at: ctx.clock.now(),
      });
      // Another process created it at the same moment: theirs is the one.
      admin ??= await findOldestAdmin(trx);
      if (!admin) throw new Error('no admin user after creating one');
    }
    await insertApiToken(trx, hashToken(token), admin.id, ctx.clock.now());
  });
}

export interface MailboxInput {
  fromEmail: string;
  fromName?: string;
  smtpUrl?: string;
  imapUrl?: string;
  dailyLimit?: number;
  hourlyLimit?: number;
  minIntervalSeconds?: number;
}

export async function putMailbox(ctx: AppContext, actor: Actor, userId: string, input: MailboxInput): Promise<Mailbox> {
  assertOwns(actor, userId, 'user', userId);
  if (!(await userExists(ctx.db, userId))) throw notFound('user', userId);
  const values = {
    from_email: input.fromEmail,
    from_name: input.fromName ?? null,
    smtp_url: input.smtpUrl ?? null,
    imap_url: input.imapUrl ?? null,
    daily_limit: input.dailyLimit ?? 500,
    hourly_limit: input.hourlyLimit ?? 100,
    min_interval_seconds: input.minIntervalSeconds ?? 0,
    updated_at: ctx.clock.now(),
  };
  return toMailbox(await upsertMailbox(ctx.db, userId, values));
}
