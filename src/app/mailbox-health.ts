import nodemailer from 'nodemailer';
import type { MailboxOverview, TestEmailResult } from '../contract/mailbox-health.ts';
import { credentialsOf } from '../mail/mailbox-credentials.ts';
import { processOAuthTokens } from '../mail/oauth.ts';
import { smtpServerOptions } from '../mail/transport.ts';
import type { MailboxRow, UserRow } from '../store/schema.ts';
import { findMailboxHealth, recordSenderErrors } from '../store/mailbox-health.repository.ts';
import { inboundFailureSummaries, type InboundFailureSummary } from '../store/inbound-failure.repository.ts';
import { findMailbox } from '../store/mailbox.repository.ts';
import { findUser } from '../store/user.repository.ts';
import { assertAdmin, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { notFound } from './errors.ts';
import { DEFAULT_CAPS } from './users.ts';
import { toMailbox, toUser } from './views/users.ts';

/** Mailboxes with their health, and the test email (issue 13, Settings). */

/** A row of to_jsonb(...) back as the table's row: its instants are strings there. */
function revive<T extends object>(json: Record<string, unknown>, instants: string[]): T {
  const out: Record<string, unknown> = { ...json };
  for (const key of instants) if (typeof out[key] === 'string') out[key] = new Date(out[key] as string);
  return out as T;
}

/** `GET /api/mailboxes` (admin): every user's mailbox in effect and its health, from one statement. */
export async function listMailboxHealth(ctx: AppContext, actor: Actor): Promise<MailboxOverview[]> {
  assertAdmin(actor);
  const now = ctx.clock.now();
  const rows = await findMailboxHealth(ctx.db, now);
  const skipped = await inboundFailureSummaries(ctx.db, new Date(now.getTime() - 30 * 86_400_000));
  return rows.map((r) => {
    const user = revive<UserRow>(r.user as unknown as Record<string, unknown>, ['created_at', 'deactivated_at']);
    const stored = r.mailbox
      ? revive<MailboxRow>(r.mailbox as unknown as Record<string, unknown>, ['imap_polled_at', 'imap_claim_until', 'updated_at'])
      : null;
    const mailbox = stored ? toMailbox(stored) : {
      userId: user.id, fromEmail: user.email, fromName: null, smtpUrl: null, imapUrl: null,
      dailyLimit: DEFAULT_CAPS.daily_limit, hourlyLimit: DEFAULT_CAPS.hourly_limit, minIntervalSeconds: DEFAULT_CAPS.min_interval_seconds,
      dkim: null, oauth: null,
    };
    const polledAt = stored?.imap_url ? stored.imap_polled_at : null;
    return {
      user: toUser(user),
      mailbox,
      configured: stored !== null,
      delivery: stored?.smtp_url ? 'mailbox_smtp' : ctx.config.smtpUrl ? 'server_smtp' : 'outbox',
      health: {
        sentLastDay: r.sent_day,
        sentLastHour: r.sent_hour,
        queued: r.queued,
        deferred: r.deferred,
        sentLast30Days: r.sent_month,
        bouncedLast30Days: r.bounced_month,
        bounceRate: r.sent_month > 0 ? Math.min(1, r.bounced_month / r.sent_month) : null,
        failedLastDay: r.failed_day,
        lastSmtpError: r.smtp_error && r.smtp_error_at ? { message: r.smtp_error, at: new Date(r.smtp_error_at).toISOString() } : null,
        lastImapError: stored?.imap_url && stored.imap_error && stored.imap_polled_at
          ? { message: stored.imap_error, at: stored.imap_polled_at.toISOString() } : null,
        imapPolledAt: polledAt ? polledAt.toISOString() : null,
        ...skippedInbound(skipped.get(user.id)),
      },
    } satisfies MailboxOverview;
  });
}

/** The unparseable inbound messages the poller skipped for this user (issue 14). */
function skippedInbound(s: InboundFailureSummary | undefined) {
  return {
    skippedInboundLast30Days: s?.count ?? 0,
    lastSkippedInbound: s?.last
      ? { message: s.last.error, messageId: s.last.messageId, uid: s.last.uid, at: s.last.at.toISOString() }
      : null,
  };
}

/** The whole test, connection to answer, takes at most this long. */
export const TEST_EMAIL_TIMEOUT_MS = 20_000;

/**
 * `POST /api/users/:id/mailbox/test` (admin): sends a real message through the
 * mailbox's SMTP server (its own, or the server's SMTP_URL) to `to` or the admin, and
 * says in plain words what the server answered. A failure is recorded as the mailbox's
 * last SMTP error. A mailbox without any SMTP server sends nothing (its mail goes to the dev outbox).
 */
export async function sendTestEmail(ctx: AppContext, actor: Actor, userId: string, to: string | undefined): Promise<TestEmailResult> {
  assertAdmin(actor);
  const user = await findUser(ctx.db, userId);
  if (!user) throw notFound('user', userId);
  const stored = await findMailbox(ctx.db, userId);
  const recipient = to ?? actor.email;
  const smtpUrl = stored?.smtp_url ?? ctx.config.smtpUrl;
  if (!smtpUrl) {
    return {
      ok: false, to: recipient, delivery: 'outbox',
      message: 'Nothing was sent: this mailbox has no SMTP server and the server has no SMTP_URL, so its mail is kept in the dev outbox.',
    };
  }
  const fromEmail = stored?.from_email ?? user.email;
  const fromName = stored?.from_name ?? user.name;
  const now = ctx.clock.now();
  const server = describeServer(smtpUrl);
  try {
    const identity = stored ? await testIdentity(stored, smtpUrl, now) : {};
    const info = await withTimeout(sendOnce(smtpUrl, identity, {
      from: { name: fromName, address: fromEmail },
      to: recipient,
      subject: `Cadenza test email from ${fromEmail}`,
      text: `This is a test email from Cadenza, sent through the mailbox of ${user.name} (${fromEmail}) via ${server} at ${now.toISOString()}.\n\nIf you can read this, the mailbox's SMTP settings work.`,
    }), TEST_EMAIL_TIMEOUT_MS, server);
    const response = typeof info.response === 'string' ? info.response : undefined;
    return {
      ok: true, to: recipient, delivery: 'smtp',
      message: `${server} accepted the test email for ${recipient}${response ? `: "${response}"` : ''}.`,
      ...(response ? { response } : {}),
    };
  } catch (e) {
    const message = plainSmtpError(e, server, recipient);
    await recordSenderErrors(ctx.db, [{ senderId: userId, error: `test email: ${message}` }], now);
    const response = (e as { response?: unknown }).response;
    return { ok: false, to: recipient, delivery: 'smtp', message, ...(typeof response === 'string' ? { response } : {}) };
  }
}

type Envelope = { from: { name: string; address: string }; to: string; subject: string; text: string };

/**
 * How the test email signs and signs in as the engine's sends do: DKIM-signed with the
 * mailbox's key, and XOAUTH2 with an access token for an OAuth mailbox on its own server
 * (a token endpoint's refusal, such as a revoked consent, is the test's answer).
 */
async function testIdentity(stored: MailboxRow, smtpUrl: string, now: Date): Promise<Record<string, unknown>> {
  const { dkim, oauth } = credentialsOf(stored);
  return {
    ...(dkim ? { dkim: { domainName: dkim.domain, keySelector: dkim.selector, privateKey: dkim.privateKey } } : {}),
    ...(oauth && stored.smtp_url === smtpUrl
      ? { auth: { type: 'OAuth2', user: oauth.user, accessToken: await processOAuthTokens.accessToken(stored.user_id, oauth, now) } }
      : {}),
  };
}

/** One conversation on a transport of its own (not the sender's pools), closed after. */
async function sendOnce(url: string, identity: Record<string, unknown>, message: Envelope): Promise<{ response?: unknown }> {
  const transport = nodemailer.createTransport({ ...smtpServerOptions(url), ...identity, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 });
  try {
    return await transport.sendMail(message);
  } finally {
    transport.close();
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, server: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer from ${server} within ${ms / 1000} s`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** host:port, never the credentials. */
function describeServer(url: string): string {
  try {
    const { host, port } = smtpServerOptions(url);
    return `${host}:${port}`;
  } catch {
    return 'the SMTP server';
  }
}

/** What went wrong, in words an admin can act on. */
export function plainSmtpError(e: unknown, server: string, recipient: string): string {
  const err = e as { code?: string; responseCode?: number; response?: string; message?: string };
  const said = err.response ? ` It said: "${err.response}"` : '';
  switch (err.code) {
    case 'EAUTH':
      return `${server} refused the sign-in: check the user name and password in the SMTP URL.${said}`;
    case 'ECONNECTION':
    case 'ECONNREFUSED':
    case 'EDNS':
    case 'ESOCKET':
      return `Could not connect to ${server}: ${err.message ?? 'the connection failed'}. Check the host and port, and that the server is up.`;
    case 'ETIMEDOUT':
      return `${server} did not answer in time (${err.message ?? 'timeout'}). Check the host and port, and any firewall between.`;
    case 'ETLS':
      return `The secure connection to ${server} failed: ${err.message ?? 'TLS error'}. Try smtps:// for port 465, or smtp:// for STARTTLS on 587.`;
    case 'EENVELOPE':
      return `${server} refused the addresses (the sender or ${recipient}).${said || ` ${err.message ?? ''}`}`.trim();
    case 'EMESSAGE':
      return `${server} refused the message.${said}`;
    default:
      return `${server} could not take the test email: ${err.message ?? String(e)}`;
  }
}
