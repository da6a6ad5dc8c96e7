import { ImapFlow } from 'imapflow';
import type { MailboxRow } from '../store/schema.ts';
import { credentialsOf } from './mailbox-credentials.ts';
import { processOAuthTokens, type OAuthTokens } from './oauth.ts';

type ImapMailbox = Pick<MailboxRow, 'imap_url'> & Partial<Pick<MailboxRow,
  'user_id' | 'from_email' | 'smtp_url' | 'oauth_provider' | 'oauth_client_id' | 'oauth_client_secret' | 'oauth_refresh_token'>>;

/**
 * An IMAP client for a rep's mailbox, not yet connected: where to connect and how to
 * sign in come from the mailbox (its URL's host, port, credentials and TLS options). An
 * OAuth mailbox signs in by XOAUTH2 with an access token (fetched or renewed first, as
 * of `now`), as the user named in its IMAP URL or else its sending address.
 */
export async function imapClientFor(
  mailbox: ImapMailbox,
  now: Date = new Date(),
  tokens: OAuthTokens = processOAuthTokens,
): Promise<{ client: ImapFlow; folder: string }> {
  const url = new URL(mailbox.imap_url!);
  const grant = mailbox.user_id && mailbox.from_email ? oauthOf(mailbox) : null;
  const urlUser = decodeURIComponent(url.username);
  const auth = grant
    ? { user: urlUser || grant.user, accessToken: await tokens.accessToken(mailbox.user_id!, grant, now) }
    : { user: urlUser, pass: decodeURIComponent(url.password) };
  const client = new ImapFlow({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'imaps:' ? 993 : 143)),
    secure: url.protocol === 'imaps:',
    auth,
    tls: { rejectUnauthorized: url.searchParams.get('tlsRejectUnauthorized') !== 'false' },
    doSTARTTLS: url.searchParams.get('starttls') === 'false' ? false : undefined,
    logger: false,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
  });
  if (grant) {
    // A token the server refuses before its time (revoked at the provider, or its clock
    // ahead of ours) is dropped, so that the next poll signs in with a fresh one.
    const connect = client.connect.bind(client);
    client.connect = async () => {
      try {
        await connect();
      } catch (e) {
        if ((e as { authenticationFailed?: boolean }).authenticationFailed) tokens.forget(mailbox.user_id!);
        throw e;
      }
    };
  }
  return { client, folder: url.pathname.replace(/^\//, '') || 'INBOX' };
}

function oauthOf(m: ImapMailbox) {
  return credentialsOf({
    user_id: m.user_id!, from_email: m.from_email!, smtp_url: m.smtp_url ?? null,
    dkim_domain: null, dkim_selector: null, dkim_private_key: null,
    oauth_provider: m.oauth_provider ?? null, oauth_client_id: m.oauth_client_id ?? null,
    oauth_client_secret: m.oauth_client_secret ?? null, oauth_refresh_token: m.oauth_refresh_token ?? null,
  }).oauth;
}
