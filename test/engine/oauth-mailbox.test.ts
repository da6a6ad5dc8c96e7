import hoodiecrow from 'hoodiecrow-imap';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { TokenEndpoint } from '../support/oauth-endpoint.ts';

const ALWAYS = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' };
const CLIENT = { id: 'cadenza-client.apps.googleusercontent.com', secret: 'client-secret-1' };
const MAILBOX_USER = 'rep1@example.com';

/** An SMTP server that takes only XOAUTH2 with an access token the endpoint issued, as Gmail's does. */
class OAuthSmtpServer {
  readonly logins: Array<{ user: string; token: string }> = [];
  readonly received: Array<{ to: string[]; user: string }> = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: SMTPServer;
  port = 0;

  constructor(endpoint: TokenEndpoint) {
    this.server = new SMTPServer({
      authMethods: ['XOAUTH2'],
      allowInsecureAuth: true, // loopback only
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.method !== 'XOAUTH2' || auth.username !== MAILBOX_USER || !auth.accessToken || !endpoint.issued.includes(auth.accessToken)) {
          return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
        }
        this.logins.push({ user: auth.username, token: auth.accessToken });
        callback(null, { user: auth.username });
      },
      onData: (stream, session, callback) => {
        stream.resume();
        stream.on('end', () => {
          this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), user: String(session.user) });
          callback();
        });
      },
    });
    this.server.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Ends every session, as a server does with idle ones: the next send signs in anew. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  stop(): Promise<void> {
    this.dropConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe.each(BACKENDS)('OAuth (XOAUTH2) mailboxes on %s', (backend) => {
  let endpoint: TokenEndpoint;
  let smtp: OAuthSmtpServer;
  let smtpUrl = '';
  let h: Harness;
  let refreshToken = '';
  beforeAll(async () => {
    endpoint = new TokenEndpoint(CLIENT, '');
    process.env.OAUTH_TOKEN_URL_GOOGLE = await endpoint.start();
    process.env.OAUTH_TOKEN_URL_MICROSOFT = process.env.OAUTH_TOKEN_URL_GOOGLE;
    smtp = new OAuthSmtpServer(endpoint);
    smtpUrl = await smtp.start();
  });
  // PGlite's migrated template is made once per file: here, on its own hook's time, not the first test's.
  beforeAll(async () => { if (backend === 'pglite') await (await freshDatabase(backend)).close(); }, 300_000);
  afterAll(async () => {
    delete process.env.OAUTH_TOKEN_URL_GOOGLE;
    delete process.env.OAUTH_TOKEN_URL_MICROSOFT;
    await smtp.stop();
    await endpoint.stop();
  });
  beforeEach(async () => {
    // A refresh token of this test's own: the process keeps access tokens by mailbox and grant.
    refreshToken = `1//refresh-${Math.random().toString(36).slice(2)}`;
    endpoint.refreshToken = refreshToken;
    endpoint.revoked = false;
    endpoint.rotate = false;
    endpoint.former.clear();
    endpoint.used.length = 0;
    endpoint.calls = 0;
    smtp.logins.length = 0;
    smtp.received.length = 0;
    h = await startHarness(backend, new Date('2026-03-02T08:00:00Z'));
  });
  afterEach(async () => {
    await h.close();
    smtp.dropConnections();
  });

  const mailboxUrl = () => `/api/users/${h.reps[0].id}/mailbox`;
  const oauth = (extra: Record<string, unknown> = {}) => ({ provider: 'google', clientId: CLIENT.id, clientSecret: CLIENT.secret, refreshToken, ...extra });

  async function cadence(steps: unknown[] = [{ type: 'email', subject: 'Hello', body: 'Hi there' }]) {
    const c = await h.api('POST', '/api/cadences', { name: 'C', schedule: ALWAYS, steps });
    await h.api('POST', `/api/cadences/${c.body.id}/activate`);
    return c.body.id as string;
  }
  async function enrol(cadenceId: string, email: string) {
    const lead = await h.api('POST', '/api/leads', { email, ownerId: h.reps[0].id });
    return (await h.api('POST', `/api/cadences/${cadenceId}/enrollments`, { recordIds: [lead.body.id] })).body.enrolled[0].id as string;
  }
  const emailOf = async (enrollmentId: string) => (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items[0];

  it('signs in over SMTP by XOAUTH2: a token is fetched at the first send, reused while it lives, renewed 5 minutes before it ends', async () => {
    const put = await h.api('PUT', mailboxUrl(), { fromEmail: MAILBOX_USER, smtpUrl, oauth: oauth() });
    expect(put.status).toBe(200);
    expect(put.body.oauth).toEqual({ provider: 'google', clientId: CLIENT.id, configured: true });
    expect(JSON.stringify(put.body)).not.toContain(CLIENT.secret);
    expect(JSON.stringify(put.body)).not.toContain(refreshToken);
    const c = await cadence();

    await enrol(c, 'a@example.net');
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(smtp.received).toEqual([{ to: ['a@example.net'], user: MAILBOX_USER }]);
    expect(endpoint.calls).toBe(1);
    expect(smtp.logins).toEqual([{ user: MAILBOX_USER, token: 'ya29.token-1' }]);

    // 50 minutes on (the token has 10 left): a new session signs in with the same token.
    smtp.dropConnections();
    await h.api('POST', '/api/dev/clock', { advance: 'PT49M' });
    await enrol(c, 'b@example.net');
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(smtp.received.map((m) => m.to[0])).toEqual(['a@example.net', 'b@example.net']);
    expect(endpoint.calls).toBe(1);
    expect(smtp.logins.map((l) => l.token)).toEqual(['ya29.token-1', 'ya29.token-1']);

    // 56 minutes after it was issued, within 5 minutes of its end: renewed before use.
    smtp.dropConnections();
    await h.api('POST', '/api/dev/clock', { advance: 'PT5M' });
    await enrol(c, 'c@example.net');
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(smtp.received.map((m) => m.to[0])).toEqual(['a@example.net', 'b@example.net', 'c@example.net']);
    expect(endpoint.calls).toBe(2);
    expect(smtp.logins.map((l) => l.token)).toEqual(['ya29.token-1', 'ya29.token-1', 'ya29.token-2']);
  });

  it('Microsoft’s rotated refresh token is stored and used for the next renewal', async () => {
    endpoint.rotate = true;
    await h.api('PUT', mailboxUrl(), { fromEmail: MAILBOX_USER, smtpUrl, oauth: oauth({ provider: 'microsoft' }) });
    const c = await cadence();
    await enrol(c, 'a@example.net');
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(smtp.received).toHaveLength(1);
    const stored = async () => (await h.database.db.selectFrom('mailboxes').select('oauth_refresh_token').where('user_id', '=', h.reps[0].id).executeTakeFirstOrThrow()).oauth_refresh_token;
    expect(await stored()).toBe(`${refreshToken}~1`);

    smtp.dropConnections();
    await h.api('POST', '/api/dev/clock', { advance: 'PT1H' });
    await enrol(c, 'b@example.net');
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(smtp.received).toHaveLength(2);
    expect(endpoint.used).toEqual([refreshToken, `${refreshToken}~1`]);
    expect(await stored()).toBe(`${refreshToken}~2`);
  });

  it('revoked consent: the email stays queued, the mailbox says to reconnect, and a new grant sends it', async () => {
    await h.api('PUT', mailboxUrl(), { fromEmail: MAILBOX_USER, smtpUrl, oauth: oauth() });
    endpoint.revoked = true;
    const enrollmentId = await enrol(await cadence(), 'a@example.net');
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    const deferred = await emailOf(enrollmentId);
    expect(deferred.status).toBe('queued');
    expect(smtp.received).toHaveLength(0);
    const [health] = (await h.api('GET', '/api/mailboxes')).body.items.filter((i: { user: { id: string } }) => i.user.id === h.reps[0].id);
    expect(health.health.lastSmtpError.message).toContain('Google revoked access (invalid_grant): reconnect the mailbox');
    expect(health.mailbox.oauth).toEqual({ provider: 'google', clientId: CLIENT.id, configured: true });

    // Still refused an hour on: still queued, never failed.
    await h.api('POST', '/api/dev/clock', { advance: 'PT1H' });
    expect((await emailOf(enrollmentId)).status).toBe('queued');

    // The rep consents again: the admin puts the new refresh token; the next retry sends it.
    refreshToken = `${refreshToken}-again`;
    endpoint.refreshToken = refreshToken;
    endpoint.revoked = false;
    expect((await h.api('PUT', mailboxUrl(), { fromEmail: MAILBOX_USER, smtpUrl, oauth: { provider: 'google', clientId: CLIENT.id, refreshToken } })).status).toBe(200);
    await h.api('POST', '/api/dev/clock', { advance: 'PT2H' });
    expect((await emailOf(enrollmentId)).status).toBe('sent');
    expect(smtp.received.map((m) => m.to[0])).toEqual(['a@example.net']);
  });

  it('the settings\u2019 test email signs in by XOAUTH2 too, and says so when consent is revoked', async () => {
    await h.api('PUT', mailboxUrl(), { fromEmail: MAILBOX_USER, smtpUrl, oauth: oauth() });
    const ok = await h.api('POST', `/api/users/${h.reps[0].id}/mailbox/test`, { to: 'check@example.net' });
    expect(ok.body).toMatchObject({ ok: true, delivery: 'smtp' });
    expect(smtp.received).toEqual([{ to: ['check@example.net'], user: MAILBOX_USER }]);
    refreshToken = `${refreshToken}-other`;
    await h.api('PUT', mailboxUrl(), { fromEmail: MAILBOX_USER, smtpUrl, oauth: oauth() });
    const revoked = await h.api('POST', `/api/users/${h.reps[0].id}/mailbox/test`, { to: 'check@example.net' });
    expect(revoked.body.ok).toBe(false);
    expect(revoked.body.message).toContain('Google revoked access (invalid_grant)');
  });

  it('keeps the secrets on a GET/PUT round trip, and refuses incomplete or foreign grants', async () => {
    await h.api('PUT', mailboxUrl(), { fromEmail: MAILBOX_USER, smtpUrl, oauth: oauth() });
    const shown = (await h.api('GET', mailboxUrl())).body;
    expect((await h.api('PUT', mailboxUrl(), { ...shown, smtpUrl })).status).toBe(200);
    const c = await cadence();
    await enrol(c, 'a@example.net');
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(smtp.received).toHaveLength(1); // the kept refresh token still gets tokens

    const cases: Array<[Record<string, unknown>, string]> = [
      [{ oauth: { provider: 'yahoo', clientId: 'x', clientSecret: 's', refreshToken: 'r' } }, 'body.oauth.provider'],
      [{ oauth: { provider: 'google', clientId: '', clientSecret: 's', refreshToken: 'r' } }, 'body.oauth.clientId'],
      [{ oauth: { provider: 'google', clientId: 'x', clientSecret: 's', refreshToken: 'r'.repeat(4001) } }, 'body.oauth.refreshToken'],
      // Another client's refresh token is not this one's: a new client needs its own secrets.
      [{ oauth: { provider: 'google', clientId: 'another-client' } }, 'body.oauth.clientSecret'],
      [{ oauth: { provider: 'microsoft', clientId: CLIENT.id, clientSecret: CLIENT.secret } }, 'body.oauth.refreshToken'],
      // XOAUTH2 needs the provider's own SMTP server.
      [{ smtpUrl: null, oauth: oauth() }, 'body.smtpUrl'],
    ];
    for (const [body, path] of cases) {
      const res = await h.api('PUT', mailboxUrl(), { fromEmail: MAILBOX_USER, smtpUrl, ...body });
      expect(res.status, path).toBe(400);
      expect(JSON.stringify(res.body.error)).toContain(path);
    }
    expect((await h.api('GET', mailboxUrl())).body).toEqual({ ...shown });
    const rep = await h.api('PUT', mailboxUrl(), { fromEmail: MAILBOX_USER, oauth: oauth({ refreshToken: 'mine' }) }, h.reps[0].token);
    expect(rep.status).toBe(403);
    // null removes it.
    expect((await h.api('PUT', mailboxUrl(), { fromEmail: MAILBOX_USER, smtpUrl, oauth: null })).body.oauth).toBeNull();
  });

  it('reads the mailbox over IMAP by XOAUTH2 with the access token; revoked consent is the mailbox\u2019s IMAP error', async () => {
    // hoodiecrow's XOAUTH2 takes the one access token configured for the user: the endpoint's latest.
    const imap = hoodiecrow({
      plugins: ['ID', 'SASL-IR', 'XOAUTH2'],
      users: { [MAILBOX_USER]: { password: 'not-used', xoauth2: { accessToken: 'none-yet', sessionTimeout: 3600_000 } } },
      storage: { INBOX: { messages: [] } },
    });
    await new Promise<void>((r) => imap.listen(0, '127.0.0.1', () => r()));
    try {
      const issue = endpoint.issued.push.bind(endpoint.issued);
      endpoint.issued.push = (...tokens: string[]) => {
        (imap as unknown as { users: Record<string, { xoauth2: { accessToken: string } }> }).users[MAILBOX_USER].xoauth2.accessToken = tokens[tokens.length - 1];
        return issue(...tokens);
      };
      const imapUrl = `imap://127.0.0.1:${(imap.server.address() as AddressInfo).port}/INBOX?starttls=false`;
      await h.api('PUT', mailboxUrl(), { fromEmail: MAILBOX_USER, smtpUrl, imapUrl, oauth: oauth() });
      const c = await cadence([{ type: 'email', subject: 'Hello', body: 'Hi there' }, { type: 'email', delayDays: 2, subject: 'Two', body: 'second' }]);
      const enrollmentId = await enrol(c, 'lin@example.net');
      await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
      const sent = await emailOf(enrollmentId);
      expect(sent.status).toBe('sent');
      imap.appendMessage('INBOX', [], new Date('2026-03-02T09:00:00Z'), [
        'From: Lin <lin@example.net>', `To: ${MAILBOX_USER}`, 'Subject: Re: Hello', 'Message-ID: <r1@example.net>',
        `In-Reply-To: ${sent.messageId}`, 'Content-Type: text/plain', '', 'Yes, call me.', '',
      ].join('\r\n'));
      await h.api('POST', '/api/dev/clock', { advance: 'PT2M' });
      expect((await h.api('GET', `/api/enrollments/${enrollmentId}`)).body).toMatchObject({ status: 'exited', exitReason: 'replied' });

      // Consent withdrawn (a new grant is needed to get any token): the poll says so.
      refreshToken = `${refreshToken}-revoked`;
      await h.api('PUT', mailboxUrl(), { fromEmail: MAILBOX_USER, smtpUrl, imapUrl, oauth: oauth() });
      endpoint.revoked = true;
      await h.api('POST', '/api/dev/clock', { advance: 'PT5M' });
      const [health] = (await h.api('GET', '/api/mailboxes')).body.items.filter((i: { user: { id: string } }) => i.user.id === h.reps[0].id);
      expect(health.health.lastImapError.message).toContain('Google revoked access (invalid_grant): reconnect the mailbox');
    } finally {
      await new Promise<void>((r) => imap.close(() => r()));
    }
  });
});
