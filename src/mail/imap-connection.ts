import { ImapFlow } from 'imapflow';
import type { MailboxRow } from '../store/schema.ts';

/**
 * An IMAP client for a rep's mailbox, not yet connected: where to connect and how to
 * sign in come from the mailbox (its URL's host, port, credentials and TLS options).
 */
export async function imapClientFor(mailbox: Pick<MailboxRow, 'imap_url'>): Promise<{ client: ImapFlow; folder: string }> {
  const url = new URL(mailbox.imap_url!);
  const client = new ImapFlow({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'imaps:' ? 993 : 143)),
    secure: url.protocol === 'imaps:',
    auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
    tls: { rejectUnauthorized: url.searchParams.get('tlsRejectUnauthorized') !== 'false' },
    doSTARTTLS: url.searchParams.get('starttls') === 'false' ? false : undefined,
    logger: false,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
  });
  return { client, folder: url.pathname.replace(/^\//, '') || 'INBOX' };
}
