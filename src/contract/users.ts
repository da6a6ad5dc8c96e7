import { z } from 'zod';
import { id, instant, instantInput, timeZone } from './common.ts';
import { USER_ROLES } from './enums.ts';

/** Users, their API tokens, mailboxes and time off. */

const name = z.string().trim().min(1).max(200);
export const emailAddress = z.email({ message: 'expected an email address' });
/** At least 10 characters; the upper bound only keeps one request's hashing small. */
export const newPassword = z.string().min(10, { message: 'expected a password of at least 10 characters' }).max(1000);

export const user = z.object({
  id,
  name: z.string(),
  email: z.string(),
  role: z.enum(USER_ROLES),
  /** Null: the organisation's zone. */
  timezone: z.string().nullable(),
  createdAt: instant,
  /** Set: deactivated at this instant; the user cannot sign in (POST /api/users/:id/reactivate undoes it). */
  deactivatedAt: instant.nullable().default(null),
});
export type User = z.infer<typeof user>;
/**
 * `GET /api/users` (admin): each user also says how it signs in: `hasPassword`, and
 * `invitationExpiresAt` while an invitation link waits to be accepted.
 */
export const userListItem = user.extend({
  hasPassword: z.boolean(),
  invitationExpiresAt: instant.nullable(),
});
export type UserListItem = z.infer<typeof userListItem>;
export const userList = z.object({ items: z.array(userListItem) });

/**
 * `POST /api/users` (admin). With a password the user signs in with it; with
 * `"invite": true` the answer carries an invitation link (shown once) where the user
 * sets one; with neither the user signs in with API tokens only.
 */
export const userInput = z.object({
  name,
  email: emailAddress,
  role: z.enum(USER_ROLES),
  timezone: timeZone.nullish(),
  password: newPassword.optional(),
  invite: z.boolean().optional(),
}).refine((u) => !(u.invite === true && u.password !== undefined), {
  message: 'give a password or ask for an invitation, not both', path: ['invite'],
});
export type UserInput = z.infer<typeof userInput>;

/** An invitation link, answered once (only its digest is stored). */
export const invitationLink = z.object({ url: z.string(), token: z.string(), expiresAt: instant });
export type InvitationLink = z.infer<typeof invitationLink>;
/** `POST /api/users`: the user, and its invitation link when one was asked for. */
export const createdUser = user.extend({ invitation: invitationLink.optional() });
export type CreatedUser = z.infer<typeof createdUser>;

/**
 * `PATCH /api/users/:id`: an admin changes anyone's name, email, role and zone; a rep
 * its own name and zone. The user as answered is accepted unchanged (its id and
 * createdAt are ignored, and a rep may send its own email and role back as they are).
 */
export const userPatch = z.object({
  name: name.optional(),
  email: emailAddress.optional(),
  role: z.enum(USER_ROLES).optional(),
  timezone: timeZone.nullish(),
});
export type UserPatch = z.infer<typeof userPatch>;

/** Shown once: only its digest is stored. */
export const issuedToken = z.object({ token: z.string() });

// ---- mailboxes ----

const smtpUrl = z.string().regex(/^smtps?:\/\/[^\s]+$/, 'expected smtp://host:port or smtps://user:pass@host:port');
const imapUrl = z.string().regex(/^imaps?:\/\/[^\s]+$/, 'expected imap://host:port or imaps://user:pass@host:port');

/** The mailbox a user sends from; URLs are shown with their credentials masked. */
export const mailbox = z.object({
  userId: id,
  fromEmail: z.string(),
  fromName: z.string().nullable(),
  /** Null: the server's SMTP_URL. */
  smtpUrl: z.string().nullable(),
  /** Null: replies are not polled. */
  imapUrl: z.string().nullable(),
  dailyLimit: z.number().int(),
  hourlyLimit: z.number().int(),
  minIntervalSeconds: z.number().int(),
});
export type Mailbox = z.infer<typeof mailbox>;

/** `PUT /api/users/:id/mailbox`: what the mailbox answers, PUT accepts unchanged (null: not set). */
export const mailboxInput = z.object({
  fromEmail: emailAddress,
  fromName: z.string().trim().max(200).nullish(),
  smtpUrl: smtpUrl.nullish(),
  imapUrl: imapUrl.nullish(),
  dailyLimit: z.number().int().min(1).max(100_000).optional(),
  hourlyLimit: z.number().int().min(1).max(100_000).optional(),
  minIntervalSeconds: z.number().int().min(0).max(86_400).optional(),
});
export type MailboxInput = z.infer<typeof mailboxInput>;

// ---- time off ----

export const timeOffInput = z.object({ from: instantInput, to: instantInput, note: z.string().max(500).optional() });
export type TimeOffInput = z.infer<typeof timeOffInput>;
export const timeOff = z.object({ id, userId: id, from: instant, to: instant, note: z.string().optional() });
export type TimeOff = z.infer<typeof timeOff>;
export const timeOffList = z.object({ items: z.array(timeOff) });
