import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import { createContext } from '../../src/app/context.ts';
import { buildServer } from '../../src/http/server.ts';
import { BACKENDS, freshDatabase } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { expectError, expectFieldError, type Res } from './helpers.ts';

/** Sign-in for the web app (API.md, "Additions (second round)", Sessions). */

const OWN = 'http://cadenza.test';
const EVIL = 'https://evil.example';
const GOOD = 'correct horse battery';

interface Call {
  body?: unknown;
  cookie?: string;
  origin?: string;
  token?: string;
  headers?: Record<string, string>;
  ip?: string;
}

type Answer = Res & { setCookie: string[]; headers: Record<string, unknown> };

describe.each(BACKENDS)('sessions on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(() => h.close());

  async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, c: Call = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...c.headers };
    if (c.cookie) headers.cookie = `cadenza_session=${c.cookie}`;
    if (c.origin) headers.origin = c.origin;
    if (c.token) headers.authorization = `Bearer ${c.token}`;
    if (c.body !== undefined) headers['content-type'] = 'application/json';
    const res = await h.app.inject({
      method, url, headers, ...(c.ip ? { remoteAddress: c.ip } : {}),
      ...(c.body === undefined ? {} : { payload: typeof c.body === 'string' ? c.body : JSON.stringify(c.body) }),
    });
    let body: unknown = res.body;
    try { body = res.json(); } catch { /* not JSON */ }
    const raw = res.headers['set-cookie'];
    return { status: res.statusCode, body, setCookie: raw === undefined ? [] : Array.isArray(raw) ? raw : [raw], headers: res.headers };
  }

  /** The session token a Set-Cookie header carries. */
  const tokenOf = (res: Answer) => {
    const line = res.setCookie.find((c) => c.startsWith('cadenza_session='));
    expect(line, `Set-Cookie: ${res.setCookie.join(' | ')}`).toBeDefined();
    return line!.split(';')[0].slice('cadenza_session='.length);
  };

  const signIn = async (email: string, password = GOOD, ip?: string) => {
    const res = await call('POST', '/api/session', { body: { email, password }, origin: OWN, ip });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return tokenOf(res);
  };

  const newRep = async (email: string, password: string | undefined = GOOD) => {
    const res = await h.api('POST', '/api/users', { name: 'Rep', email, role: 'rep', ...(password ? { password } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(JSON.stringify(res.body)).not.toMatch(/password|scrypt/i);
    return res.body;
  };

  it('sets up the first admin once: needed, bad input refused, 201 signed in, then 409', async () => {
    // The harness's admin signs in by token only: no admin can sign in yet.
    expect(await call('GET', '/api/setup')).toMatchObject({ status: 200, body: { needed: true } });
    expectFieldError(await call('POST', '/api/setup', { body: { name: 'Owner', email: 'owner@example.com', password: 'short' } }), 'password');
    expectFieldError(await call('POST', '/api/setup', { body: { name: 'Owner', email: 'not-an-email', password: GOOD } }), 'email');
    expectFieldError(await call('POST', '/api/setup', { body: { email: 'owner@example.com', password: GOOD } }), 'name');
    expectFieldError(await call('POST', '/api/setup', { body: { name: 'Owner', email: 'owner@example.com' } }), 'password');
    expectError(await call('POST', '/api/setup', { body: '{"name":' }), 400, 'malformed_json');
    expectError(await call('POST', '/api/setup', { body: { name: 'Owner', email: 'OWNER@example.com', password: GOOD }, origin: EVIL }), 403, 'forbidden');
    expect(await call('GET', '/api/setup')).toMatchObject({ body: { needed: true } });

    // An admin exists (bootstrapped with a token): only its token may finish setup, not
    // whoever reaches the server first.
    expectError(await call('POST', '/api/setup', { body: { name: 'Owner', email: 'owner@example.com', password: GOOD } }), 403, 'forbidden');
    expectError(await call('POST', '/api/setup', { body: { name: 'Owner', email: 'owner@example.com', password: GOOD }, token: h.reps[0].token }), 403, 'forbidden');
    expectError(await call('POST', '/api/setup', { body: { name: 'Owner', email: 'owner@example.com', password: GOOD }, token: 'cad_unknown' }), 401, 'unauthorized');
    expect(await call('GET', '/api/setup')).toMatchObject({ body: { needed: true } });
    const res = await call('POST', '/api/setup', { body: { name: 'Owner', email: 'owner@example.com', password: GOOD }, token: h.adminToken });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.user).toMatchObject({ name: 'Owner', email: 'owner@example.com', role: 'admin' });
    const me = await call('GET', '/api/users/me', { cookie: tokenOf(res) });
    expect(me).toMatchObject({ status: 200, body: { id: res.body.user.id, role: 'admin' } });

    expect(await call('GET', '/api/setup')).toMatchObject({ status: 200, body: { needed: false } });
    expectError(await call('POST', '/api/setup', { body: { name: 'Second', email: 'second@example.com', password: GOOD } }), 409, 'conflict');
    expect((await h.api('GET', '/api/users')).body.items.map((u: any) => u.email)).not.toContain('second@example.com');
  });

  it('signs in with the right pair: {"user"} and an httpOnly, SameSite, Path=/ cookie, Secure only over https', async () => {
    const rep = await newRep('login@example.com');
    const res = await call('POST', '/api/session', { body: { email: 'LOGIN@example.com', password: GOOD } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ user: expect.objectContaining({ id: rep.id, email: 'login@example.com', role: 'rep' }) });
    const cookie = res.setCookie.find((c) => c.startsWith('cadenza_session='))!;
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=(Lax|Strict)/i);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/; Secure/i);
    expect(await call('GET', '/api/users/me', { cookie: tokenOf(res) })).toMatchObject({ status: 200, body: { id: rep.id } });

    const publicUrl = h.ctx.config.publicUrl;
    h.ctx.config.publicUrl = 'https://cadenza.example';
    try {
      const secure = await call('POST', '/api/session', { body: { email: 'login@example.com', password: GOOD } });
      expect(secure.setCookie.find((c) => c.startsWith('cadenza_session='))).toMatch(/; Secure/i);
    } finally {
      h.ctx.config.publicUrl = publicUrl;
    }
  });

  it('answers any wrong pair with one 401 message, and bad input with 400', async () => {
    await newRep('wrong@example.com');
    const wrongPassword = await call('POST', '/api/session', { body: { email: 'wrong@example.com', password: 'not the password' } });
    const unknownEmail = await call('POST', '/api/session', { body: { email: 'nobody@example.com', password: GOOD } });
    const tokenOnly = await call('POST', '/api/session', { body: { email: 'rep1@example.com', password: GOOD } });
    for (const res of [wrongPassword, unknownEmail, tokenOnly]) {
      expectError(res, 401, 'unauthorized');
      expect(res.body.error.message).toBe(wrongPassword.body.error.message);
      expect(res.setCookie).toEqual([]);
    }
    expectFieldError(await call('POST', '/api/session', { body: { email: 'wrong@example.com' } }), 'password');
    expectFieldError(await call('POST', '/api/session', { body: { password: GOOD } }), 'email');
    expectFieldError(await call('POST', '/api/session', { body: { email: 42, password: GOOD } }), 'email');
    expectError(await call('POST', '/api/session', { body: 'not json' }), 400, 'malformed_json');
    expectError(await call('POST', '/api/session', { body: { email: 'wrong@example.com', password: GOOD }, origin: EVIL }), 403, 'forbidden');
  });

  it('logs out: the session is deleted server-side and its cookie no longer works', async () => {
    await newRep('logout@example.com');
    const token = await signIn('logout@example.com');
    const other = await signIn('logout@example.com');
    const res = await call('DELETE', '/api/session', { cookie: token, origin: OWN });
    expect(res.status).toBe(204);
    expect(res.setCookie.find((c) => c.startsWith('cadenza_session='))).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/);
    expectError(await call('GET', '/api/users/me', { cookie: token }), 401, 'unauthorized');
    // Only that browser: another session of the same user goes on.
    expect((await call('GET', '/api/users/me', { cookie: other })).status).toBe(200);
    expectError(await call('DELETE', '/api/session'), 401, 'unauthorized');
    expectError(await call('DELETE', '/api/session', { cookie: token, origin: OWN }), 401, 'unauthorized');
    // A bearer caller has no session to end.
    expect((await call('DELETE', '/api/session', { token: h.reps[0].token })).status).toBe(204);
    expect((await h.api('GET', '/api/users/me', undefined, h.reps[0].token)).status).toBe(200);
  });

  it('refuses cookie writes from another origin, accepts them from its own, and leaves bearer tokens alone', async () => {
    await newRep('origin@example.com');
    const cookie = await signIn('origin@example.com');
    const lead = (email: string) => ({ body: { email }, cookie });
    const count = async () => (await h.ctx.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const before = Number(await count());
    expectError(await call('POST', '/api/leads', { ...lead('x1@example.com'), origin: EVIL }), 403, 'forbidden');
    expectError(await call('POST', '/api/leads', { ...lead('x2@example.com'), headers: { 'sec-fetch-site': 'cross-site' } }), 403, 'forbidden');
    expectError(await call('POST', '/api/leads', lead('x3@example.com')), 403, 'forbidden');
    expectError(await call('PUT', '/api/users/me/password', { body: { current: GOOD, password: 'attacker-chosen-1' }, cookie, origin: EVIL }), 403, 'forbidden');
    expectError(await call('DELETE', '/api/session', { cookie, origin: 'http://cadenza.test.evil.example' }), 403, 'forbidden');
    expect(Number(await count())).toBe(before);

    expect((await call('POST', '/api/leads', { ...lead('ok1@example.com'), origin: OWN })).status).toBe(201);
    expect((await call('POST', '/api/leads', { ...lead('ok2@example.com'), headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(201);
    // The Host the request was sent to is our origin too (PUBLIC_URL may name another).
    expect((await call('POST', '/api/leads', { ...lead('ok3@example.com'), headers: { host: 'localhost:3000', origin: 'http://localhost:3000' } })).status).toBe(201);
    // Reads are not refused: another origin's page cannot read the answer (no CORS).
    expect((await call('GET', '/api/users/me', { cookie, origin: EVIL })).status).toBe(200);
    // Bearer tokens are unaffected, and take precedence over a cookie.
    expect((await call('POST', '/api/leads', { body: { email: 'ok4@example.com' }, token: h.reps[0].token, origin: EVIL })).status).toBe(201);
    expect((await call('GET', '/api/users/me', { token: h.reps[0].token, cookie })).body.id).toBe(h.reps[0].id);
    expect(Number(await count())).toBe(before + 4);
  });

  it('slows down repeated failures per email: 429 with Retry-After, allowed again once the window passes', async () => {
    await newRep('guess@example.com');
    for (let i = 0; i < 5; i++) {
      expectError(await call('POST', '/api/session', { body: { email: 'guess@example.com', password: `guess number ${i}` } }), 401, 'unauthorized');
    }
    // Even the right password waits: the answer does not confirm a guess.
    const limited = await call('POST', '/api/session', { body: { email: 'Guess@example.com', password: GOOD } });
    expectError(limited, 429, 'rate_limited');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Another account is not held back by this one's failures.
    await newRep('bystander@example.com');
    await signIn('bystander@example.com');

    h.clock.advance(retryAfter * 1000 - 1000);
    expectError(await call('POST', '/api/session', { body: { email: 'guess@example.com', password: GOOD } }), 429, 'rate_limited');
    h.clock.advance(1000);
    await signIn('guess@example.com');
  });

  it('slows down repeated failures per address, whatever the emails', async () => {
    for (let i = 0; i < 20; i++) {
      expectError(await call('POST', '/api/session', { body: { email: `spray${i}@example.com`, password: GOOD }, ip: '203.0.113.9' }), 401, 'unauthorized');
    }
    await newRep('sprayed@example.com');
    expectError(await call('POST', '/api/session', { body: { email: 'sprayed@example.com', password: GOOD }, ip: '203.0.113.9' }), 429, 'rate_limited');
    await signIn('sprayed@example.com', GOOD, '198.51.100.7');
    h.clock.advance(15 * 60_000);
    await signIn('sprayed@example.com', GOOD, '203.0.113.9');
  });

  it('creates users with a password of at least 10 characters', async () => {
    expectFieldError(await h.api('POST', '/api/users', { name: 'Short', email: 'short@example.com', role: 'rep', password: 'nine-char' }), 'password');
    expectFieldError(await h.api('POST', '/api/users', { name: 'Num', email: 'num@example.com', role: 'rep', password: 1234567890 }), 'password');
    expect((await h.api('GET', '/api/users')).body.items.map((u: any) => u.email)).not.toContain('short@example.com');
    await newRep('ten@example.com', 'ten-chars!');
    await signIn('ten@example.com', 'ten-chars!');
  });

  it('changes a password only with the current one, ending the other sessions', async () => {
    await newRep('change@example.com');
    const other = await signIn('change@example.com');
    const cookie = await signIn('change@example.com');
    const put = (body: unknown, c: Call = {}) => call('PUT', '/api/users/me/password', { body, cookie, origin: OWN, ...c });
    expectError(await put({ current: 'not the password', password: 'a new password' }), 403, 'forbidden');
    expectFieldError(await put({ current: GOOD, password: 'too short' }), 'password');
    expectFieldError(await put({ password: 'a new password' }), 'current');
    expectFieldError(await put({ current: GOOD }), 'password');
    expectError(await put('{"current":'), 400, 'malformed_json');
    expectError(await put({ current: GOOD, password: 'a new password' }, { cookie: undefined }), 401, 'unauthorized');
    await signIn('change@example.com'); // nothing changed yet

    expect((await put({ current: GOOD, password: 'a new password' })).status).toBe(204);
    expectError(await call('POST', '/api/session', { body: { email: 'change@example.com', password: GOOD } }), 401, 'unauthorized');
    await signIn('change@example.com', 'a new password');
    expect((await call('GET', '/api/users/me', { cookie })).status).toBe(200);
    expectError(await call('GET', '/api/users/me', { cookie: other }), 401, 'unauthorized');
    // By bearer token too; a user without a password has none to change.
    expect((await call('PUT', '/api/users/me/password', { body: { current: 'a new password', password: GOOD }, token: (await h.api('POST', `/api/users/${(await call('GET', '/api/users/me', { cookie })).body.id}/tokens`)).body.token })).status).toBe(204);
    expectError(await call('PUT', '/api/users/me/password', { body: { current: GOOD, password: GOOD }, token: h.reps[0].token }), 409, 'invalid_state');
  });

  it('ends sessions 30 days after their last use, and with their user', async () => {
    const rep = await newRep('expiry@example.com');
    const cookie = await signIn('expiry@example.com');
    h.clock.advance(20 * 86_400_000);
    expect((await call('GET', '/api/users/me', { cookie })).status).toBe(200);
    h.clock.advance(20 * 86_400_000); // 40 days after sign-in, 20 after last use
    expect((await call('GET', '/api/users/me', { cookie })).status).toBe(200);
    h.clock.advance(31 * 86_400_000);
    expectError(await call('GET', '/api/users/me', { cookie }), 401, 'unauthorized');

    const again = await signIn('expiry@example.com');
    await h.ctx.db.deleteFrom('users').where('id', '=', rep.id).execute();
    expectError(await call('GET', '/api/users/me', { cookie: again }), 401, 'unauthorized');
  });

  it('stores only a digest of the session token and an scrypt hash of the password', async () => {
    await newRep('stored@example.com');
    const cookie = await signIn('stored@example.com');
    const sessions = await h.ctx.db.selectFrom('sessions').select('token_hash').execute();
    expect(sessions.some((s) => s.token_hash === cookie)).toBe(false);
    const user = await h.ctx.db.selectFrom('users').select('password_hash').where('email', '=', 'stored@example.com').executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/);
    expect(user.password_hash).not.toContain(GOOD);
  });
});

describe.each(BACKENDS)('first visit to an empty workspace on %s', (backend) => {
  it('needs no token: the first admin is set up and signed in', async () => {
    const database = await freshDatabase(backend);
    const ctx = createContext(database.db, new ManualClock(new Date('2026-03-02T08:00:00Z')), { publicUrl: 'http://cadenza.test', smtpUrl: null });
    const app = await buildServer(ctx);
    try {
      expect((await app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needed: true });
      const res = await app.inject({ method: 'POST', url: '/api/setup', payload: { name: 'Owner', email: 'owner@example.com', password: 'correct horse battery' } });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().user).toMatchObject({ email: 'owner@example.com', role: 'admin' });
      expect((await app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needed: false });
    } finally {
      await app.close();
      await database.close();
    }
  });
});
