import { createHash, randomBytes } from 'node:crypto';
import { findMailbox, upsertMailbox } from '../store/mailbox.repository.ts';
import type { Mailbox, MailboxInput as ContractMailboxInput, User } from '../contract/users.ts';
import { identityColumns } from './mailbox-identity.ts';
import { redactUrl, toMailbox, toUser } from './views/users.ts';
import type { UserPatch } from '../contract/users.ts';
import {
  findOldestAdmin, findTokenHolder, findUser, insertApiToken, insertUserIfAbsent,
  otherAdminExists, updateUser, userEmailTaken, userExists,
} from '../store/user.repository.ts';
import { lockActiveAdmins } from '../store/user-admin.repository.ts';
import { assertAdmin, assertOwns, type Actor } from './actor.ts';
import { hashPassword } from './passwords.ts';
import type { AppContext } from './context.ts';
import { AppError, notFound } from './errors.ts';

/** Tokens are stored as SHA-256 digests: a leaked database leaks no usable token. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface NewUser {
  name: string;
  email: string;
  role: 'admin' | 'rep';
  timezone?: string | null;
  /** At least MIN_PASSWORD_LENGTH characters (the HTTP schema checks); absent: token sign-in only. */
  password?: string;
}

/** Creates a user, for an admin's request or the server's own bootstrap (CLI, demo): no caller to check. */
export async function createUser(ctx: AppContext, input: NewUser): Promise<User> {
  const email = input.email.trim();
  const taken = () => new AppError('conflict', `a user with email ${email} already exists`, [{ path: 'body.email', message: 'already in use' }]);
  if (await userEmailTaken(ctx.db, email)) throw taken();
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const inserted = await insertUserIfAbsent(ctx.db, {
    id: ctx.newId(), name: input.name.trim(), email, role: input.role, timezone: input.timezone ?? null, created_at: ctx.clock.now(),
    password_hash: passwordHash,
  });
  // A request for the same address at the same moment passed the check too: the unique index decides.
  const row = inserted && (await findUser(ctx.db, inserted.id));
  if (!row) throw taken();
  return toUser(row);
}

export async function getUser(ctx: AppContext, actor: Actor, id: string): Promise<User> {
  if (actor.role !== 'admin' && actor.id !== id) throw notFound('user', id);
  const row = await findUser(ctx.db, id);
  if (!row) throw notFound('user', id);
  return toUser(row);
}

/**
 * `PATCH /api/users/:id`: an admin changes anyone's name, email, role and zone; a rep
 * only its own name and zone (its email and role sent back unchanged are accepted, so
 * what GET answers PATCH takes). The last admin cannot make itself a rep.
 */
export async function patchUser(ctx: AppContext, actor: Actor, id: string, patch: UserPatch): Promise<User> {
  assertOwns(actor, id, 'user', id);
  const current = await findUser(ctx.db, id);
  if (!current) throw notFound('user', id);
  const email = patch.email?.trim();
  const emailChanges = email !== undefined && email.toLowerCase() !== current.email.toLowerCase();
  const roleChanges = patch.role !== undefined && patch.role !== current.role;
  if (actor.role !== 'admin') {
    const refused = [...(emailChanges ? ['email'] : []), ...(roleChanges ? ['role'] : [])];
    if (refused.length > 0) {
      throw new AppError('forbidden', `body.${refused[0]}: an admin must change ${refused.join(' and ')}; a rep changes its own name and time zone`,
        refused.map((f) => ({ path: `body.${f}`, message: 'an admin must change this' })));
    }
  }
  if (roleChanges && current.role === 'admin' && !(await otherAdminExists(ctx.db, id))) throw lastAdmin();
  const taken = () => new AppError('conflict', `a user with email ${email} already exists`, [{ path: 'body.email', message: 'already in use' }]);
  if (emailChanges && (await userEmailTaken(ctx.db, email))) throw taken();
  const changes = {
    ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
    ...(email !== undefined ? { email } : {}),
    ...(patch.role !== undefined ? { role: patch.role } : {}),
    ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
  };
  // An empty patch changes nothing (an UPDATE with no SET is not SQL).
  if (Object.keys(changes).length === 0) return toUser(current);
  // Demoting an admin: checked again under a lock on the active admins, so that two
  // admins demoting (or deactivating) each other at once cannot leave none.
  const updated = roleChanges && current.role === 'admin'
    ? await ctx.db.transaction().execute(async (trx) => {
      if (!(await lockActiveAdmins(trx)).some((admin) => admin !== id)) throw lastAdmin();
      return updateUser(trx, id, changes);
    })
    : await updateUser(ctx.db, id, changes);
  if (updated === 'email_taken') throw taken();
  if (!updated) throw notFound('user', id);
  return toUser(updated);
}

const lastAdmin = () =>
  new AppError('invalid_state', 'body.role: the last active admin cannot become a rep; make another user admin first', [{ path: 'body.role', message: 'last admin' }]);

/** `POST /api/users/:id/tokens`: an admin issues a user an API token (shown once). */
export async function issueTokenFor(ctx: AppContext, actor: Actor, userId: string): Promise<string> {
  assertAdmin(actor);
  return issueToken(ctx, userId);
}

/** Issues a token, for an admin's request or the server's own bootstrap (CLI, demo, tests). */
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
  fromName?: string | null;
  smtpUrl?: string | null;
  imapUrl?: string | null;
  dailyLimit?: number;
  hourlyLimit?: number;
  minIntervalSeconds?: number;
  dkim?: ContractMailboxInput['dkim'];
  oauth?: ContractMailboxInput['oauth'];
}

export const DEFAULT_CAPS = { daily_limit: 500, hourly_limit: 100, min_interval_seconds: 0 };

/** The mailbox in effect: the stored one, or the defaults (the user's own address, the server's SMTP). */
export async function getMailbox(ctx: AppContext, actor: Actor, userId: string): Promise<Mailbox> {
  assertOwns(actor, userId, 'user', userId);
  const user = await findUser(ctx.db, userId);
  if (!user) throw notFound('user', userId);
  const stored = await findMailbox(ctx.db, userId);
  if (stored) return toMailbox(stored);
  return {
    userId, fromEmail: user.email, fromName: null, smtpUrl: null, imapUrl: null,
    dailyLimit: DEFAULT_CAPS.daily_limit, hourlyLimit: DEFAULT_CAPS.hourly_limit, minIntervalSeconds: DEFAULT_CAPS.min_interval_seconds,
    dkim: null, oauth: null,
  };
}

/**
 * A URL as sent: unchanged when it is the stored one or the stored one as shown (its
 * credentials masked), so that what GET/PUT answer can be sent back as it is.
 */
function sentUrl(sent: string | null | undefined, stored: string | null): string | null | undefined {
  if (sent === undefined || sent === null || stored === null) return sent;
  return sent === stored || sent === redactUrl(stored) ? stored : sent;
}

/**
 * Sets a user's mailbox. A rep may set its sender name and its caps; the SMTP and IMAP
 * servers (the engine connects to them) and a `fromEmail` other than the rep's own
 * address are the admin's to set: a rep that sends other values than the stored ones
 * gets 403, and a rep that leaves them out keeps what the admin set.
 */
export async function putMailbox(ctx: AppContext, actor: Actor, userId: string, input: MailboxInput): Promise<Mailbox> {
  assertOwns(actor, userId, 'user', userId);
  const user = await findUser(ctx.db, userId);
  if (!user) throw notFound('user', userId);
  const stored = await findMailbox(ctx.db, userId);
  const admin = actor.role === 'admin';
  const smtpUrl = sentUrl(input.smtpUrl, stored?.smtp_url ?? null);
  const imapUrl = sentUrl(input.imapUrl, stored?.imap_url ?? null);
  if (!admin) {
    const sameEmail = (a: string, b: string | undefined) => b !== undefined && a.toLowerCase() === b.toLowerCase();
    const refused = [
      ...(smtpUrl !== undefined && smtpUrl !== (stored?.smtp_url ?? null) ? ['smtpUrl'] : []),
      ...(imapUrl !== undefined && imapUrl !== (stored?.imap_url ?? null) ? ['imapUrl'] : []),
      ...(!sameEmail(input.fromEmail, user.email) && !sameEmail(input.fromEmail, stored?.from_email) ? ['fromEmail'] : []),
    ];
    if (refused.length > 0) {
      const message = `an admin must set ${refused.join(', ')}: a rep sets its sender name and caps, and sends from its own address (${user.email})`;
      throw new AppError('forbidden', `body.${refused[0]}: ${message}`, refused.map((f) => ({ path: `body.${f}`, message: 'an admin must set this' })));
    }
  }
  const finalSmtpUrl = smtpUrl === undefined && !admin ? stored?.smtp_url ?? null : smtpUrl ?? null;
  const values = {
    ...identityColumns(input, stored, admin, finalSmtpUrl),
    from_email: input.fromEmail,
    from_name: input.fromName ?? null,
    // Left out: an admin's PUT clears it (the server's SMTP_URL, no polling); a rep's keeps it.
    smtp_url: finalSmtpUrl,
    imap_url: imapUrl === undefined && !admin ? stored?.imap_url ?? null : imapUrl ?? null,
    daily_limit: input.dailyLimit ?? DEFAULT_CAPS.daily_limit,
    hourly_limit: input.hourlyLimit ?? DEFAULT_CAPS.hourly_limit,
    min_interval_seconds: input.minIntervalSeconds ?? DEFAULT_CAPS.min_interval_seconds,
    updated_at: ctx.clock.now(),
  };
  return toMailbox(await upsertMailbox(ctx.db, userId, values));
}
