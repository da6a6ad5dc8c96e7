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

/** A domain name: dot-separated labels of letters, digits and inner hyphens (RFC 1035 §2.3.1). */
const domainName = z.string().trim().toLowerCase().max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'expected a domain name such as example.com');
/** A DKIM selector: one or more labels, as it is looked up at selector._domainkey.domain (RFC 6376 §3.1). */
const dkimSelector = z.string().trim().toLowerCase().max(253)
  .regex(/^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/, 'expected a selector such as s1 or mail2026');
export const OAUTH_PROVIDERS = ['google', 'microsoft'] as const;

/** A mailbox's DKIM key as shown: never the private key. */
export const mailboxDkim = z.object({ domain: z.string(), selector: z.string(), configured: z.literal(true) });
/** A mailbox's OAuth grant as shown: never the client secret or the refresh token. */
export const mailboxOAuth = z.object({ provider: z.enum(OAUTH_PROVIDERS), clientId: z.string(), configured: z.literal(true) });

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
  /** Null: its mail is not DKIM-signed. */
  dkim: mailboxDkim.nullable().default(null),
  /** Null: its SMTP and IMAP sign in with the URLs' passwords. */
  oauth: mailboxOAuth.nullable().default(null),
});
export type Mailbox = z.infer<typeof mailbox>;

/**
 * DKIM for `PUT .../mailbox`: the shown `{domain, selector, configured}` sent back keeps
 * the stored private key; a `privateKey` (PEM, RSA of 1024 bits or more) replaces it.
 */
export const mailboxDkimInput = z.object({
  domain: domainName,
  selector: dkimSelector,
  privateKey: z.string().max(10_000).optional(),
});
/** OAuth for `PUT .../mailbox`: as shown, it keeps the stored secret and refresh token; given, they replace them. */
export const mailboxOAuthInput = z.object({
  provider: z.enum(OAUTH_PROVIDERS),
  clientId: z.string().trim().min(1).max(1000),
  clientSecret: z.string().min(1).max(1000).optional(),
  refreshToken: z.string().min(1).max(4000).optional(),
});

/** `PUT /api/users/:id/mailbox`: what the mailbox answers, PUT accepts unchanged (null: not set). */
export const mailboxInput = z.object({
  fromEmail: emailAddress,
  fromName: z.string().trim().max(200).nullish(),
  smtpUrl: smtpUrl.nullish(),
  imapUrl: imapUrl.nullish(),
  dailyLimit: z.number().int().min(1).max(100_000).optional(),
  hourlyLimit: z.number().int().min(1).max(100_000).optional(),
  minIntervalSeconds: z.number().int().min(0).max(86_400).optional(),
  /** Left out: kept as stored; null: removed. Secrets are write-only (see mailboxDkimInput). */
  dkim: mailboxDkimInput.nullish(),
  /** Left out: kept as stored; null: removed. Secrets are write-only (see mailboxOAuthInput). */
  oauth: mailboxOAuthInput.nullish(),
});
export type MailboxInput = z.infer<typeof mailboxInput>;

// ---- time off ----

export const timeOffInput = z.object({ from: instantInput, to: instantInput, note: z.string().max(500).optional() });
export type TimeOffInput = z.infer<typeof timeOffInput>;
export const timeOff = z.object({ id, userId: id, from: instant, to: instant, note: z.string().optional() });
export type TimeOff = z.infer<typeof timeOff>;
export const timeOffList = z.object({ items: z.array(timeOff) });
