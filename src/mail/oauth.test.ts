import hoodiecrow from 'hoodiecrow-imap';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TokenEndpoint } from '../../test/support/oauth-endpoint.ts';
import { imapClientFor } from './imap-connection.ts';
import type { CredentialsSource, SenderCredentials } from './mailbox-credentials.ts';
import { OAuthError, OAuthTokens, type OAuthGrant } from './oauth.ts';
import { DeliveryError, SmtpDelivery } from './transport.ts';

const CLIENT = { id: 'app-id', secret: 'app-secret' };
const T0 = new Date('2026-03-02T08:00:00Z');

describe('OAuth access tokens', () => {
  const endpoint = new TokenEndpoint(CLIENT, 'rt-1');
  let url = '';
  beforeAll(async () => { url = await endpoint.start(); });
  afterAll(() => endpoint.stop());
  beforeEach(() => {
    endpoint.calls = 0;
    endpoint.revoked = false;
    endpoint.refreshToken = 'rt-1';
  });
  const grant = (provider: OAuthGrant['provider'] = 'microsoft'): OAuthGrant => ({ provider, clientId: CLIENT.id, clientSecret: CLIENT.secret, refreshToken: 'rt-1' });

  it('asks the provider\u2019s endpoint once for callers at the same moment, and names the provider when consent is revoked', async () => {
    const tokens = new OAuthTokens({ OAUTH_TOKEN_URL_MICROSOFT: url });
    const got = await Promise.all([1, 2, 3].map(() => tokens.accessToken('m1', grant(), T0)));
    expect(new Set(got).size).toBe(1);
    expect(endpoint.calls).toBe(1);
    endpoint.revoked = true;
    const err = await tokens.accessToken('m1', grant(), T0, true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ revoked: true, message: expect.stringContaining('Microsoft revoked access (invalid_grant): reconnect the mailbox') });
  });

  it('a wrong client secret or an endpoint that is down is a plain error, not a revocation', async () => {
    const tokens = new OAuthTokens({ OAUTH_TOKEN_URL_GOOGLE: url });
    await expect(tokens.accessToken('m2', { ...grant('google'), clientSecret: 'wrong' }, T0)).rejects.toMatchObject({ message: expect.stringContaining('(invalid_client)') });
    const down = new OAuthTokens({ OAUTH_TOKEN_URL_GOOGLE: 'http://127.0.0.1:1/token' });
    await expect(down.accessToken('m2', grant('google'), T0)).rejects.toMatchObject({ revoked: false, message: expect.stringContaining('could not reach Google') });
  });
});

describe('SMTP by XOAUTH2', () => {
  const endpoint = new TokenEndpoint(CLIENT, 'rt-1');
  /** Tokens the SMTP server still takes (the provider may end one before its time). */
  const accepted = new Set<string>();
  const logins: string[] = [];
  let delivered = 0;
  const server = new SMTPServer({
    authMethods: ['XOAUTH2'], allowInsecureAuth: true, disabledCommands: ['STARTTLS'], logger: false,
    onAuth: (auth, _s, cb) => {
      logins.push(auth.accessToken ?? '');
      if (auth.username === 'rep@example.com' && accepted.has(auth.accessToken ?? '')) return cb(null, { user: auth.username });
      cb(null, { data: { status: '401', schemes: 'bearer' } });
    },
    onData: (stream, _s, cb) => { stream.resume(); stream.on('end', () => { delivered++; cb(); }); },
  });
  let smtpUrl = '';
  const now = T0;
  const creds: SenderCredentials = {
    dkim: null, oauth: { provider: 'google', clientId: CLIENT.id, clientSecret: CLIENT.secret, refreshToken: 'rt-1', user: 'rep@example.com' },
  };
  const source: CredentialsSource = { get: async () => creds, now: () => now };
  let tokens: OAuthTokens;
  beforeAll(async () => {
    const tokenUrl = await endpoint.start();
    tokens = new OAuthTokens({ OAUTH_TOKEN_URL_GOOGLE: tokenUrl });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await endpoint.stop();
    await new Promise<void>((r) => server.close(() => r()));
  });
  const message = Buffer.from('From: rep@example.com\r\nTo: a@example.net\r\nSubject: Hi\r\n\r\nHello\r\n');

  it('a token the server refuses before its time is renewed at once and the send goes on', async () => {
    const delivery = new SmtpDelivery(1, source, tokens);
    try {
      // The endpoint issues token-1, but the server no longer takes it: renewed, token-2 taken.
      endpoint.issued.length = 0;
      const issue = endpoint.issued.push.bind(endpoint.issued);
      endpoint.issued.push = (...t: string[]) => { if (t[0] !== 'ya29.token-1') for (const x of t) accepted.add(x); return issue(...t); };
      expect(await delivery.send({ smtpUrl, senderId: 'u1' }, { from: 'rep@example.com', to: ['a@example.net'] }, message)).toBe(true);
      expect(logins).toEqual(['ya29.token-1', 'ya29.token-2']);
      expect(endpoint.calls).toBe(2);
      expect(delivered).toBe(1);
    } finally {
      delivery.close();
    }
  });

  it('revoked consent fails the send as temporary (retried later, never lost), with the reason', async () => {
    const delivery = new SmtpDelivery(1, { get: async () => ({ ...creds, oauth: { ...creds.oauth!, refreshToken: 'rt-gone' } }), now: () => now }, tokens);
    try {
      const err = await delivery.send({ smtpUrl, senderId: 'u2' }, { from: 'rep@example.com', to: ['a@example.net'] }, message).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryError);
      expect(err).toMatchObject({ kind: 'temporary', message: expect.stringContaining('Google revoked access (invalid_grant)') });
    } finally {
      delivery.close();
    }
  });
});

describe('IMAP by XOAUTH2', () => {
  const endpoint = new TokenEndpoint(CLIENT, 'rt-1');
  const imap = hoodiecrow({
    plugins: ['SASL-IR', 'XOAUTH2'],
    users: { 'rep@example.com': { password: 'unused', xoauth2: { accessToken: 'ya29.token-2', sessionTimeout: 3600_000 } } },
    storage: { INBOX: { messages: [] } },
  });
  let tokens: OAuthTokens;
  let imapUrl = '';
  beforeAll(async () => {
    tokens = new OAuthTokens({ OAUTH_TOKEN_URL_GOOGLE: await endpoint.start() });
    await new Promise<void>((r) => imap.listen(0, '127.0.0.1', () => r()));
    imapUrl = `imap://127.0.0.1:${(imap.server.address() as AddressInfo).port}/INBOX?starttls=false`;
  });
  afterAll(async () => {
    await endpoint.stop();
    await new Promise<void>((r) => imap.close(() => r()));
  });

  it('signs in with the access token; one the server refuses before its time is dropped, and the next connection gets a fresh one', async () => {
    const mailbox = {
      user_id: 'u9', from_email: 'rep@example.com', smtp_url: null, imap_url: imapUrl,
      oauth_provider: 'google' as const, oauth_client_id: CLIENT.id, oauth_client_secret: CLIENT.secret, oauth_refresh_token: 'rt-1',
    };
    // The server takes only token-2: token-1 (cached for an hour) is refused at the first connection.
    const first = await imapClientFor(mailbox, T0, tokens);
    await expect(first.client.connect()).rejects.toMatchObject({ authenticationFailed: true });
    first.client.close();
    const second = await imapClientFor(mailbox, T0, tokens);
    await second.client.connect();
    expect((await second.client.mailboxOpen(second.folder)).path).toBe('INBOX');
    await second.client.logout();
    expect(endpoint.calls).toBe(2);
  });
});
