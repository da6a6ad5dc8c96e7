import { z } from 'zod';
import { instant } from './common.ts';
import { emailAddress, mailbox, user } from './users.ts';

/** The mailboxes' health for the admin's settings, and the test email (issue 13). */

export const mailboxHealth = z.object({
  /** Sent (and in flight) in the last 24 h and the last hour, against the mailbox's caps. */
  sentLastDay: z.number().int(),
  sentLastHour: z.number().int(),
  /** Waiting to go out: queued emails, and those of them held back (a cap, a retry's back-off) until later. */
  queued: z.number().int(),
  deferred: z.number().int(),
  /** Emails sent in the last 30 days, those of them that bounced, and the share (0 to 1; null without sends). */
  sentLast30Days: z.number().int(),
  bouncedLast30Days: z.number().int(),
  bounceRate: z.number().nullable(),
  /** Failed sends (for good or in doubt) in the last 24 h. */
  failedLastDay: z.number().int(),
  lastSmtpError: z.object({ message: z.string(), at: instant }).nullable(),
  lastImapError: z.object({ message: z.string(), at: instant }).nullable(),
  /** When IMAP was last polled; null when it never was or the mailbox has no IMAP. */
  imapPolledAt: instant.nullable(),
  /**
   * Inbound messages the IMAP poller could not parse (issue 14): skipped (the rest were
   * read) and kept for a person to look at. How many in the last 30 days, and the latest.
   */
  skippedInboundLast30Days: z.number().int(),
  lastSkippedInbound: z.object({ message: z.string(), messageId: z.string().nullable(), uid: z.string(), at: instant }).nullable(),
});
export type MailboxHealth = z.infer<typeof mailboxHealth>;

export const mailboxOverview = z.object({
  user,
  /** The mailbox in effect (`configured` false: the defaults, the user's address and the server's SMTP). */
  mailbox,
  configured: z.boolean(),
  /** Where its mail goes: its own SMTP server, the server's SMTP_URL, or the dev outbox. */
  delivery: z.enum(['mailbox_smtp', 'server_smtp', 'outbox']),
  health: mailboxHealth,
});
export type MailboxOverview = z.infer<typeof mailboxOverview>;
/** `GET /api/mailboxes` (admin): every user's mailbox and health, in one statement. */
export const mailboxOverviewList = z.object({ items: z.array(mailboxOverview) });

/** `POST /api/users/:id/mailbox/test` (admin): to the caller's own address unless `to` is given. */
export const testEmailInput = z.object({ to: emailAddress.optional() });
export type TestEmailInput = z.infer<typeof testEmailInput>;
export const testEmailResult = z.object({
  ok: z.boolean(),
  to: z.string(),
  /** `smtp`: tried over SMTP; `outbox`: the mailbox has no SMTP server (its mail goes to the dev outbox), so nothing was sent. */
  delivery: z.enum(['smtp', 'outbox']),
  /** In plain words: the server's answer, or what went wrong. */
  message: z.string(),
  /** The SMTP server's own reply line, when it gave one. */
  response: z.string().optional(),
});
export type TestEmailResult = z.infer<typeof testEmailResult>;
