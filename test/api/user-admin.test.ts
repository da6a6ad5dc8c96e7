import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/app/users.ts';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { SmtpSink, SINK_USER } from '../support/smtp-sink.ts';
import { buildWorld, dsnBounce, expectError, expectFieldError, postInbound, send, unknownIds, type Res } from './helpers.ts';

/** Settings (issue 13): invitations, deactivation, mailboxes' health, the test email, the dev outbox. */

const OWN = 'http://cadenza.test';
const PASSWORD = 'a long enough password';

describe.each(BACKENDS)('users, invitations and deactivation on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(backend); }, 120_000);
  afterAll(() => h.close());

  const getInvitation = (token: string) => send(h, { method: 'GET', url: `/api/invitations/${token}` });
  const accept = (token: string, body: unknown, origin = OWN) => h.app.inject({
    method: 'POST', url: `/api/invitations/${token}`, headers: { origin, 'content-type': 'application/json' }, payload: JSON.stringify(body),
  });
  const asCookie = (cookie: string, url: string) => send(h, { method: 'GET', url, headers: { cookie: `cadenza_session=${cookie}` } });
  const sessionOf = (setCookie: string | string[] | undefined) =>
    [setCookie ?? []].flat().find((c) => c.startsWith('cadenza_session='))!.split(';')[0].slice('cadenza_session='.length);

  it('invites a user: the link is answered once, shows who it is for, sets a password, signs in, and works only once', async () => {
    const created = await h.api('POST', '/api/users', { name: 'Ivy Invitee', email: 'ivy@example.com', role: 'rep', invite: true });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { invitation } = created.body;
    expect(invitation.url).toBe(`http://cadenza.test/invite/${invitation.token}`);
    expect(Date.parse(invitation.expiresAt) - h.clock.now().getTime()).toBe(7 * 24 * 3600_000);
    // Only its digest is stored: the listing never shows the token again.
    const listed = (await h.api('GET', '/api/users')).body.items.find((u: any) => u.id === created.body.id);
    expect(listed).toMatchObject({ hasPassword: false, invitationExpiresAt: invitation.expiresAt, deactivatedAt: null });
    expect(JSON.stringify((await h.api('GET', '/api/users')).body)).not.toContain(invitation.token);

    expect((await getInvitation(invitation.token)).body).toEqual({ name: 'Ivy Invitee', email: 'ivy@example.com', expiresAt: invitation.expiresAt });
    const short = await accept(invitation.token, { password: 'short' });
    expectFieldError({ status: short.statusCode, body: short.json() }, 'password');
    const evil = await accept(invitation.token, { password: PASSWORD }, 'https://evil.example');
    expect(evil.statusCode).toBe(403);

    const ok = await accept(invitation.token, { password: PASSWORD });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().user).toMatchObject({ email: 'ivy@example.com', role: 'rep' });
    expect((await asCookie(sessionOf(ok.headers['set-cookie']), '/api/users/me')).body.email).toBe('ivy@example.com');
    // Single use.
    expectError(await getInvitation(invitation.token), 404, 'not_found');
    const again = await accept(invitation.token, { password: PASSWORD });
    expect(again.statusCode).toBe(404);
    const signIn = await h.app.inject({ method: 'POST', url: '/api/session', headers: { origin: OWN, 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'ivy@example.com', password: PASSWORD }) });
    expect(signIn.statusCode).toBe(200);
    const after = (await h.api('GET', '/api/users')).body.items.find((u: any) => u.id === created.body.id);
    expect(after).toMatchObject({ hasPassword: true, invitationExpiresAt: null });
  });

  it('an invitation expires, a new one replaces the old, and bad tokens and inputs are refused', async () => {
    const created = await h.api('POST', '/api/users', { name: 'Otto', email: 'otto@example.com', role: 'rep', invite: true });
    const first = created.body.invitation.token;
    const second = await h.api('POST', `/api/users/${created.body.id}/invitation`);
    expect(second.status).toBe(201);
    expectError(await getInvitation(first), 404, 'not_found');
    expect((await getInvitation(second.body.token)).status).toBe(200);
    h.clock.set(new Date(h.clock.now().getTime() + 7 * 24 * 3600_000 + 1));
    expectError(await getInvitation(second.body.token), 404, 'not_found');
    expect((await accept(second.body.token, { password: PASSWORD })).statusCode).toBe(404);

    for (const bad of ['x', 'has spaces in it!', 'a'.repeat(300)]) {
      expect([400, 414]).toContain((await getInvitation(encodeURIComponent(bad))).status);
    }
    expect((await accept('b'.repeat(40), { password: PASSWORD })).statusCode).toBe(404);
    expect((await accept('b'.repeat(40), {})).statusCode).toBe(400);
    expectFieldError(await h.api('POST', '/api/users', { name: 'Both', email: 'both@example.com', role: 'rep', invite: true, password: PASSWORD }), 'invite');
    expectError(await h.api('POST', '/api/users', { name: 'Rep', email: 'x@example.com', role: 'rep', invite: true }, h.reps[0].token), 403, 'forbidden');
    expect((await h.api('POST', `/api/users/${created.body.id}/invitation`, undefined, h.reps[0].token)).status).toBe(403);
    for (const id of unknownIds()) expect((await h.api('POST', `/api/users/${id}/invitation`)).status).toBe(404);
  });

  it('a deactivated user cannot sign in, its sessions and tokens stop at once, its open tasks stay visible to admins; reactivation restores sign-in', async () => {
    const w = await buildWorld(h, 'deact@example.com');
    const rep = h.reps[0];
    await h.api('POST', '/api/users', { name: 'Dee', email: 'dee@example.com', role: 'rep', password: PASSWORD });
    const dee = (await h.api('GET', '/api/users')).body.items.find((u: any) => u.email === 'dee@example.com');
    const login = () => h.app.inject({ method: 'POST', url: '/api/session', headers: { origin: OWN, 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'dee@example.com', password: PASSWORD }) });
    const cookie = sessionOf((await login()).headers['set-cookie']);
    const token = (await h.api('POST', `/api/users/${dee.id}/tokens`)).body.token;
    expect((await h.api('GET', '/api/users/me', undefined, token)).status).toBe(200);

    const off = await h.api('POST', `/api/users/${dee.id}/deactivate`, {});
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body).toMatchObject({ user: { id: dee.id, deactivatedAt: h.clock.now().toISOString() }, reassigned: { tasks: 0, leads: 0 } });
    expect((await h.api('GET', '/api/users/me', undefined, token)).status).toBe(401);
    expect((await asCookie(cookie, '/api/users/me')).status).toBe(401);
    const refused = await login();
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('deactivated');
    // Deactivating again changes nothing.
    expect((await h.api('POST', `/api/users/${dee.id}/deactivate`)).body.user.deactivatedAt).toBe(off.body.user.deactivatedAt);

    const back = await h.api('POST', `/api/users/${dee.id}/reactivate`);
    expect(back.body.deactivatedAt).toBeNull();
    expect((await login()).statusCode).toBe(200);
    // Its token was revoked for good: a reactivated user gets new ones.
    expect((await h.api('GET', '/api/users/me', undefined, token)).status).toBe(401);

    // Rep 1 owns the world's lead and open call task: deactivated without reassigning, the task stays its own and an admin sees it.
    const before = (await h.api('GET', `/api/tasks?status=open&ownerId=${rep.id}`)).body.items.map((t: any) => t.id);
    expect(before).toContain(w.task.id);
    await h.api('POST', `/api/users/${rep.id}/deactivate`);
    expect((await h.api('GET', `/api/tasks?status=open&ownerId=${rep.id}`)).body.items.map((t: any) => t.id)).toEqual(before);
    await h.api('POST', `/api/users/${rep.id}/reactivate`);
    rep.token = await issueToken(h.ctx, rep.id);
  });

  it('a deactivated user is given no new leads or tasks: by create, update, bulk, import or reassignment, each refused by name', async () => {
    const w = await buildWorld(h, 'gone-owner@example.com');
    const ok = (res: Res, status = 200) => {
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      return res.body;
    };
    const gone = ok(await h.api('POST', '/api/users', { email: 'gone@example.com', name: 'Gone', role: 'rep', password: 'a long password' }), 201);
    await h.api('POST', `/api/users/${gone.id}/deactivate`);
    expectFieldError(await h.api('POST', '/api/leads', { email: 'new-for-gone@example.com', ownerId: gone.id }), 'ownerId');
    expectFieldError(await h.api('PATCH', `/api/leads/${w.lead.id}`, { ownerId: gone.id }), 'ownerId');
    expect((await h.api('GET', `/api/leads/${w.lead.id}`)).body.ownerId).not.toBe(gone.id);
    const bulk = ok(await h.api('POST', '/api/leads/bulk', { records: [{ email: 'bulk-for-gone@example.com', ownerId: gone.id }] }), 201);
    expect(bulk.rejected).toEqual([{ index: 0, reason: expect.stringContaining('deactivated') }]);
    const imported = await send(h, {
      method: 'POST', url: '/api/leads/import', headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'text/csv' },
      payload: 'email,owner\ncsv-for-gone@example.com,gone@example.com\n',
    });
    expect(imported.status).toBe(201);
    expect(imported.body.rejected).toEqual([{ line: 2, email: 'csv-for-gone@example.com', reason: expect.stringContaining('deactivated') }]);
    expectFieldError(await h.api('POST', `/api/tasks/${w.task.id}/reassign`, { ownerId: gone.id }), 'ownerId');
    expect((await h.api('GET', `/api/tasks/${w.task.id}`)).body.ownerId).not.toBe(gone.id);
    expect((await h.api('GET', '/api/leads?q=for-gone')).body.items).toEqual([]);
  });

  it('deactivating with reassignTo moves the open tasks and leads; bad targets are refused naming reassignTo', async () => {
    const w = await buildWorld(h, 'move@example.com');
    const from = h.reps[0];
    const to = h.reps[1];
    expectFieldError(await h.api('POST', `/api/users/${from.id}/deactivate`, { reassignTo: from.id }), 'reassignTo');
    expectFieldError(await h.api('POST', `/api/users/${from.id}/deactivate`, { reassignTo: '00000000-0000-4000-8000-000000000000' }), 'reassignTo');
    expectFieldError(await h.api('POST', `/api/users/${from.id}/deactivate`, { reassignTo: 'nope' }), 'reassignTo');
    expect((await h.api('GET', `/api/users/${from.id}`)).body.deactivatedAt).toBeNull();
    const res = await h.api('POST', `/api/users/${from.id}/deactivate`, { reassignTo: to.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.reassigned.tasks).toBeGreaterThanOrEqual(1);
    expect(res.body.reassigned.leads).toBeGreaterThanOrEqual(1);
    expect((await h.api('GET', `/api/leads/${w.lead.id}`)).body.ownerId).toBe(to.id);
    expect((await h.api('GET', `/api/tasks?status=open&ownerId=${to.id}`)).body.items.map((t: any) => t.id)).toContain(w.task.id);
    await h.api('POST', `/api/users/${from.id}/reactivate`);
    from.token = await issueToken(h.ctx, from.id);
  });

  it('the last active admin cannot be deactivated or demoted (409); a rep cannot deactivate anyone', async () => {
    expectError(await h.api('POST', `/api/users/${h.admin.id}/deactivate`), 409, 'invalid_state');
    expectError(await h.api('PATCH', `/api/users/${h.admin.id}`, { role: 'rep' }), 409, 'invalid_state');
    const other = await h.api('POST', '/api/users', { name: 'Second Admin', email: 'admin2@example.com', role: 'admin' });
    await h.api('POST', `/api/users/${other.body.id}/deactivate`);
    // A deactivated admin does not count.
    expectError(await h.api('PATCH', `/api/users/${h.admin.id}`, { role: 'rep' }), 409, 'invalid_state');
    await h.api('POST', `/api/users/${other.body.id}/reactivate`);
    // With two active admins, either may step down.
    expect((await h.api('PATCH', `/api/users/${other.body.id}`, { role: 'rep' })).body.role).toBe('rep');
    expectError(await h.api('POST', `/api/users/${h.reps[1].id}/deactivate`, undefined, h.reps[0].token), 403, 'forbidden');
    for (const id of unknownIds()) expect([400, 404]).toContain((await h.api('POST', `/api/users/${id}/deactivate`)).status);
    for (const id of unknownIds()) expect((await h.api('POST', `/api/users/${id}/reactivate`)).status).toBe(404);
  });
});

describe.each(BACKENDS)('mailboxes: health, the test email and the dev outbox on %s', (backend) => {
  const sink = new SmtpSink();
  let smtpUrl: string;
  let h: Harness;
  beforeAll(async () => {
    smtpUrl = await sink.start();
    h = await startHarness(backend);
  }, 120_000);
  afterAll(async () => {
    await h.close();
    await sink.stop();
  });

  it('lists every user\u2019s mailbox with its sends against the caps, the queue, bounces and errors, in one answer', async () => {
    const w = await buildWorld(h, 'health@example.com');
    await postInbound(h, dsnBounce('health@example.com'));
    await h.ctx.db.insertInto('sender_errors').values({ user_id: h.reps[0].id, error: '421 try later', at: h.clock.now() }).execute();
    const res = await h.api('GET', '/api/mailboxes');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(3);
    const rep = res.body.items.find((i: any) => i.user.id === h.reps[0].id);
    expect(rep).toMatchObject({
      configured: false,
      delivery: 'outbox',
      mailbox: { fromEmail: 'rep1@example.com', dailyLimit: 500, hourlyLimit: 100 },
      health: {
        sentLastDay: 1, sentLastHour: 1, sentLast30Days: 1, bouncedLast30Days: 1, bounceRate: 1, queued: 0, deferred: 0,
        lastSmtpError: { message: '421 try later', at: h.clock.now().toISOString() }, lastImapError: null, imapPolledAt: null,
      },
    });
    expect(w.email.status).toBe('sent');
    const other = res.body.items.find((i: any) => i.user.id === h.reps[1].id);
    expect(other.health).toMatchObject({ sentLastDay: 0, bounceRate: null, lastSmtpError: null });
    expectError(await h.api('GET', '/api/mailboxes', undefined, h.reps[0].token), 403, 'forbidden');
  });

  it('the test email goes through the mailbox\u2019s SMTP server to the admin or the address given, and says what the server answered', async () => {
    const rep = h.reps[1];
    await h.api('PUT', `/api/users/${rep.id}/mailbox`, { fromEmail: 'sales@example.com', fromName: 'Sales', smtpUrl });
    const toAdmin: Res = await h.api('POST', `/api/users/${rep.id}/mailbox/test`, {});
    expect(toAdmin.status, JSON.stringify(toAdmin.body)).toBe(200);
    expect(toAdmin.body).toMatchObject({ ok: true, to: 'admin@example.com', delivery: 'smtp' });
    expect(toAdmin.body.message).toContain('accepted');
    expect(toAdmin.body.response).toMatch(/^250/);
    const got = sink.received.at(-1)!;
    expect(got.envelope).toEqual({ from: 'sales@example.com', to: ['admin@example.com'] });
    expect(got.parsed.subject).toBe('Cadenza test email from sales@example.com');

    const given = await h.api('POST', `/api/users/${rep.id}/mailbox/test`, { to: 'me@elsewhere.example' });
    expect(given.body).toMatchObject({ ok: true, to: 'me@elsewhere.example' });

    // The server refuses the recipient: the answer says so in words, and the mailbox health shows it.
    sink.faults.set('refused@example.com', { reply: 550, message: 'No such user here' });
    const refused = await h.api('POST', `/api/users/${rep.id}/mailbox/test`, { to: 'refused@example.com' });
    expect(refused.body.ok).toBe(false);
    expect(refused.body.message).toContain('refused the addresses');
    expect(refused.body.message).toContain('No such user here');
    const health = (await h.api('GET', '/api/mailboxes')).body.items.find((i: any) => i.user.id === rep.id).health;
    expect(health.lastSmtpError.message).toContain('No such user here');

    // A wrong password: the sign-in was refused.
    await h.api('PUT', `/api/users/${rep.id}/mailbox`, { fromEmail: 'sales@example.com', smtpUrl: smtpUrl.replace('//', `//${SINK_USER.user}:wrong@`) });
    const auth = await h.api('POST', `/api/users/${rep.id}/mailbox/test`, {});
    expect(auth.body).toMatchObject({ ok: false });
    expect(auth.body.message).toContain('refused the sign-in');

    // Nothing listens there.
    await h.api('PUT', `/api/users/${rep.id}/mailbox`, { fromEmail: 'sales@example.com', smtpUrl: 'smtp://127.0.0.1:1' });
    const down = await h.api('POST', `/api/users/${rep.id}/mailbox/test`, {});
    expect(down.body.ok).toBe(false);
    expect(down.body.message).toContain('127.0.0.1:1');

    // No SMTP server at all: nothing is sent, and it says why.
    const outbox = await h.api('POST', `/api/users/${h.reps[0].id}/mailbox/test`, {});
    expect(outbox.body).toMatchObject({ ok: false, delivery: 'outbox' });
    expect(outbox.body.message).toContain('dev outbox');

    expectFieldError(await h.api('POST', `/api/users/${rep.id}/mailbox/test`, { to: 'not an address' }), 'to');
    expectError(await h.api('POST', `/api/users/${rep.id}/mailbox/test`, {}, rep.token), 403, 'forbidden');
    for (const id of unknownIds()) expect([400, 404]).toContain((await h.api('POST', `/api/users/${id}/mailbox/test`, {})).status);
  });

  it('the dev outbox decodes each message (headers, HTML, text), pages with a cursor and searches', async () => {
    await buildWorld(h, 'outbox-one@example.com');
    await buildWorld(h, 'outbox-two@example.com');
    const all = await h.api('GET', '/api/dev/outbox?limit=500');
    expect(all.body.smtpConfigured).toBe(false);
    const one = all.body.items.find((i: any) => i.to === 'outbox-one@example.com');
    expect(one.headers.listUnsubscribe).toContain('http://cadenza.test/u/');
    expect(one.headers.listUnsubscribePost).toBe('List-Unsubscribe=One-Click');
    expect(one.headers.messageId).toMatch(/^<.+>$/);
    expect(one.html).toContain('Hi Ada');
    expect(one.text).toContain('Hi Ada');
    expect(one.fromHeader).toContain('rep1@example.com');

    const searched = await h.api('GET', '/api/dev/outbox?q=OUTBOX-TWO');
    expect(searched.body.items.map((i: any) => i.to)).toEqual(['outbox-two@example.com']);
    const first = await h.api('GET', '/api/dev/outbox?limit=1');
    expect(first.body.items).toHaveLength(1);
    const next = await h.api('GET', `/api/dev/outbox?limit=500&cursor=${first.body.nextCursor}`);
    expect(next.body.items.map((i: any) => i.emailId)).toEqual(all.body.items.slice(1).map((i: any) => i.emailId));
    expect(next.body.nextCursor).toBeUndefined();
    expect((await h.api('GET', '/api/dev/outbox?cursor=nonsense')).status).toBe(400);
    expect((await h.api('GET', `/api/dev/outbox?q=${'x'.repeat(300)}`)).status).toBe(400);
    expect((await h.api('GET', '/api/dev/outbox?q=%25_')).body.items).toEqual([]);
  });
});
