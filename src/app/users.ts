import { createHash, randomBytes } from 'node:crypto';
import type { Handle } from '../store/database.ts';
import { toMailbox, toUser, type Mailbox, type User } from '../store/records.ts';
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
  const existing = await ctx.db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  if (existing) throw new AppError('conflict', `a user with email ${email} already exists`, [{ path: 'body.email', message: 'already in use' }]);
  const row = await ctx.db
    .insertInto('users')
    .values({ id: ctx.newId(), name: input.name.trim(), email, role: input.role, timezone: input.timezone ?? null, created_at: ctx.clock.now() })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUser(row);
}

export async function getUser(ctx: AppContext, actor: Actor, id: string): Promise<User> {
  if (actor.role !== 'admin' && actor.id !== id) throw notFound('user', id);
  const row = await ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('user', id);
  return toUser(row);
}

export async function listUsers(ctx: AppContext): Promise<User[]> {
  return (await ctx.db.selectFrom('users').selectAll().orderBy('created_at').execute()).map(toUser);
}

export async function issueToken(ctx: AppContext, userId: string): Promise<string> {
  const user = await ctx.db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound('user', userId);
  const token = `cad_${randomBytes(24).toString('base64url')}`;
  await storeToken(ctx.db, userId, token, ctx.clock.now());
  return token;
}

async function storeToken(h: Handle, userId: string, token: string, now: Date): Promise<void> {
  await h
    .insertInto('api_tokens')
    .values({ token_hash: hashToken(token), user_id: userId, created_at: now })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .execute();
}

export async function authenticate(ctx: AppContext, token: string): Promise<Actor | null> {
  const row = await ctx.db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['u.id', 'u.role', 'u.name', 'u.email'])
    .where('t.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  return row ?? null;
}

/** `CADENZA_ADMIN_TOKEN`: an admin holding this token exists after start. */
export async function ensureAdminToken(ctx: AppContext, token: string): Promise<void> {
  if (await authenticate(ctx, token)) return;
  await ctx.db.transaction().execute(async (trx) => {
    let admin = await trx.selectFrom('users').select('id').where('role', '=', 'admin').orderBy('created_at').executeTakeFirst();
    if (!admin) {
      admin = await trx
        .insertInto('users')
        .values({ id: ctx.newId(), name: 'Admin', email: 'admin@cadenza.local', role: 'admin', timezone: null, created_at: ctx.clock.now() })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      admin ??= await trx.selectFrom('users').select('id').where('role', '=', 'admin').executeTakeFirstOrThrow();
    }
    await storeToken(trx, admin.id, token, ctx.clock.now());
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
  const user = await ctx.db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound('user', userId);
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
  const row = await ctx.db
    .insertInto('mailboxes')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toMailbox(row);
}
