import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import {
  ALWAYS_OPEN, WRITE_ROUTES, advance, buildWorld, callRoute, createCadence, createLead, enrollOne, expectError,
  expectFieldError, expectNoStack, send, snapshot, unknownIds, type World,
} from './helpers.ts';

/**
 * The cross-cutting contract of every write route: tokens, roles, malformed JSON and
 * unknown ids, each refusal leaving the world exactly as it was.
 */
describe.each(BACKENDS)('API access and error contract on %s', (backend) => {
  let h: Harness;
  let w: World;
  beforeAll(async () => {
    h = await startHarness(backend);
    w = await buildWorld(h);
  });
  afterAll(() => h.close());

  describe('public routes', () => {
    it('GET /api/health answers {"ok":true} without a token', async () => {
      const res = await h.api('GET', '/api/health', undefined, null);
      expect(res).toEqual({ status: 200, body: { ok: true } });
    });

    it('GET /api/openapi.json without a token is an OpenAPI 3 document of the API.md paths with request body schemas', async () => {
      const res = await h.api('GET', '/api/openapi.json', undefined, null);
      expect(res.status).toBe(200);
      expect(res.body.openapi).toMatch(/^3\./);
      const paths = res.body.paths as Record<string, Record<string, any>>;
      for (const path of [
        '/api/health', '/api/dev/clock', '/api/users', '/api/users/{id}/tokens', '/api/users/{id}/mailbox',
        '/api/leads', '/api/leads/bulk', '/api/leads/{id}', '/api/leads/{id}/convert',
        '/api/cadences', '/api/cadences/{id}', '/api/cadences/{id}/activate', '/api/cadences/{id}/pause',
        '/api/cadences/{id}/archive', '/api/cadences/{id}/stats', '/api/cadences/{id}/enrollments',
        '/api/enrollments/{id}', '/api/enrollments/{id}/pause', '/api/enrollments/{id}/resume', '/api/enrollments/{id}/exit',
        '/api/tasks', '/api/tasks/{id}/complete', '/api/emails', '/api/signals', '/api/inbound/email',
      ]) {
        expect(paths, `OpenAPI document lists ${path}`).toHaveProperty([path]);
      }
      const bodySchema = (path: string, method: string) => paths[path][method]?.requestBody?.content?.['application/json']?.schema;
      expect(bodySchema('/api/leads', 'post')?.properties).toHaveProperty('email');
      expect(bodySchema('/api/leads', 'post')?.required).toContain('email');
      expect(bodySchema('/api/leads/bulk', 'post')?.properties).toHaveProperty('records');
      expect(bodySchema('/api/leads/{id}', 'patch')?.properties).toHaveProperty('status');
      expect(bodySchema('/api/cadences', 'post')?.properties).toHaveProperty('steps');
      expect(bodySchema('/api/cadences', 'post')?.required).toEqual(expect.arrayContaining(['name', 'steps']));
      expect(bodySchema('/api/cadences/{id}/enrollments', 'post')?.properties).toHaveProperty('recordIds');
      expect(bodySchema('/api/signals', 'post')?.properties).toHaveProperty('type');
      expect(bodySchema('/api/users', 'post')?.properties).toHaveProperty('role');
      expect(bodySchema('/api/users/{id}/mailbox', 'put')?.properties).toHaveProperty('fromEmail');
      expect(bodySchema('/api/dev/clock', 'post')?.properties).toHaveProperty('advance');
    });

    it('GET /api/openapi.json and /api/health still answer with a wrong token', async () => {
      expect((await h.api('GET', '/api/health', undefined, 'cad_wrong')).status).toBe(200);
      expect((await h.api('GET', '/api/openapi.json', undefined, 'cad_wrong')).status).toBe(200);
    });
  });

  describe.each(WRITE_ROUTES)('$name', (route) => {
    it('refuses no token, a wrong token, an empty token and a non-bearer scheme with 401, writing nothing', async () => {
      const before = await snapshot(h, w);
      expectError(await callRoute(h, w, route, null), 401, 'unauthorized');
      expectError(await callRoute(h, w, route, 'cad_not-a-real-token'), 401, 'unauthorized');
      expectError(await callRoute(h, w, route, null, undefined, 'Bearer '), 401, 'unauthorized');
      expectError(await callRoute(h, w, route, null, undefined, `Basic ${h.adminToken}`), 401, 'unauthorized');
      expectError(await callRoute(h, w, route, null, undefined, h.adminToken), 401, 'unauthorized');
      expect(await snapshot(h, w)).toEqual(before);
    });

    it('answers malformed JSON with 400 malformed_json and no stack trace, writing nothing', async () => {
      const before = await snapshot(h, w);
      const url = route.url(w, route.idOf?.(w, h));
      for (const bad of ['{"name":', '{"email": "a@b.com",}', "{'single': 'quotes'}", 'not json at all']) {
        expectError(await h.api(route.method, url, bad), 400, 'malformed_json');
      }
      if (route.body) {
        // Well-formed JSON that is not an object is a bad body, not a fault.
        for (const bad of [...(route.optionalBody ? [] : ['null']), '[]', '"text"', '42']) {
          const res = await h.api(route.method, url, bad);
          expect(res.status, `${bad}: ${JSON.stringify(res.body)}`).toBe(400);
          expect(typeof res.body.error.code).toBe('string');
          expectNoStack(res.body);
        }
      }
      expect(await snapshot(h, w)).toEqual(before);
    });

    if (route.idOf) {
      it('answers unknown ids (random UUID, non-UUID strings) with 404 not_found and writes nothing', async () => {
        const before = await snapshot(h, w);
        for (const id of unknownIds()) {
          const res = await callRoute(h, w, route, h.adminToken, id);
          expectError(res, 404, 'not_found');
        }
        expect(await snapshot(h, w)).toEqual(before);
      });
    }

    if (route.admin) {
      it('refuses a rep with 403 forbidden and writes nothing', async () => {
        const before = await snapshot(h, w);
        // Rep 1 owns the world's lead: even the owner cannot use an admin route.
        expectError(await callRoute(h, w, route, h.reps[0].token), 403, 'forbidden');
        expectError(await callRoute(h, w, route, h.reps[1].token), 403, 'forbidden');
        expect(await snapshot(h, w)).toEqual(before);
      });
    }
  });

  describe('a rep touching another rep\'s things is told they do not exist', () => {
    const other = () => h.reps[1].token;

    it('another rep\'s lead: GET, PATCH and convert answer 404 and the lead is unchanged', async () => {
      const before = await snapshot(h, w);
      expectError(await h.api('GET', `/api/leads/${w.lead.id}`, undefined, other()), 404, 'not_found');
      expectError(await h.api('PATCH', `/api/leads/${w.lead.id}`, { status: 'Qualified', company: 'Stolen' }, other()), 404, 'not_found');
      expectError(await h.api('POST', `/api/leads/${w.lead.id}/convert`, undefined, other()), 404, 'not_found');
      const after = await snapshot(h, w);
      expect(after).toEqual(before);
      expect((after.lead as any)).toMatchObject({ status: 'New', company: 'Acme', converted: false });
      expect((after.enrollment as any).status).toBe('active');
    });

    it('another rep\'s enrolment: GET, pause, resume and exit answer 404 and the enrolment stays active', async () => {
      const before = await snapshot(h, w);
      for (const action of ['pause', 'resume', 'exit']) {
        expectError(await h.api('POST', `/api/enrollments/${w.enrollmentId}/${action}`, undefined, other()), 404, 'not_found');
      }
      expectError(await h.api('GET', `/api/enrollments/${w.enrollmentId}`, undefined, other()), 404, 'not_found');
      const after = await snapshot(h, w);
      expect(after).toEqual(before);
      expect((after.enrollment as any).status).toBe('active');
    });

    it('another rep\'s task: complete answers 404 and the task stays open', async () => {
      const before = await snapshot(h, w);
      expectError(await h.api('POST', `/api/tasks/${w.task.id}/complete`, { outcome: 'connected' }, other()), 404, 'not_found');
      const after = await snapshot(h, w);
      expect(after).toEqual(before);
      const tasks = (await h.api('GET', `/api/tasks?enrollmentId=${w.enrollmentId}`)).body.items;
      expect(tasks).toEqual([expect.objectContaining({ id: w.task.id, status: 'open' })]);
      expect((await h.api('GET', '/api/tasks', undefined, other())).body.items).toEqual([]);
    });

    it('another rep\'s record in a signal answers 404 and no enrolment exits', async () => {
      const before = await snapshot(h, w);
      expectError(await h.api('POST', '/api/signals', { type: 'replied', recordId: w.lead.id }, other()), 404, 'not_found');
      expectError(await h.api('POST', '/api/signals', { type: 'bounced', messageId: w.email.messageId }, other()), 404, 'not_found');
      const after = await snapshot(h, w);
      expect(after).toEqual(before);
      expect((after.lead as any).bounced).toBe(false);
    });

    it('another rep\'s record in an enrolment request is rejected as not_found, and nothing is enrolled', async () => {
      const fresh = await h.api('POST', '/api/cadences', { name: 'Rep 2 tries', steps: [{ type: 'call', title: 'Call' }] });
      expect(fresh.status).toBe(201);
      const res = await h.api('POST', `/api/cadences/${fresh.body.id}/enrollments`, { recordIds: [w.lead.id] }, other());
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ enrolled: [], rejected: [{ recordId: w.lead.id, reason: 'not_found' }] });
      expect((await h.api('GET', `/api/enrollments?cadenceId=${fresh.body.id}`)).body.items).toEqual([]);
      expect((await h.api('POST', `/api/cadences/${fresh.body.id}/archive`)).status).toBe(200);
    });

    it('another rep\'s mailbox cannot be set, while a rep can set its own', async () => {
      const before = await snapshot(h, w);
      const res = await h.api('PUT', `/api/users/${h.reps[0].id}/mailbox`, { fromEmail: 'hijack@evil.example' }, other());
      expect([403, 404]).toContain(res.status);
      expectError(res, res.status, res.status === 403 ? 'forbidden' : 'not_found');
      expect(await snapshot(h, w)).toEqual(before);
      const own = await h.api('PUT', `/api/users/${h.reps[1].id}/mailbox`, { fromEmail: 'rep2@example.com', fromName: 'Rep Two' }, other());
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ fromEmail: 'rep2@example.com', fromName: 'Rep Two' });
    });
  });

  it('a rep may use its own lead, enrolment and task', async () => {
    const rep = h.reps[0].token;
    expect((await h.api('GET', `/api/leads/${w.lead.id}`, undefined, rep)).status).toBe(200);
    expect((await h.api('GET', `/api/enrollments/${w.enrollmentId}`, undefined, rep)).status).toBe(200);
    const tasks = (await h.api('GET', '/api/tasks?status=open', undefined, rep)).body.items;
    expect(tasks.map((t: { id: string }) => t.id)).toContain(w.task.id);
    expect(tasks.every((t: { ownerId: string }) => t.ownerId === h.reps[0].id)).toBe(true);
  });

  it('a token issued by POST /api/users/:id/tokens works at once and is shown once', async () => {
    const issued = await h.api('POST', `/api/users/${h.reps[1].id}/tokens`);
    expect(issued.status).toBe(201);
    expect(typeof issued.body.token).toBe('string');
    const me = await h.api('GET', '/api/users/me', undefined, issued.body.token);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(h.reps[1].id);
    const again = await h.api('POST', `/api/users/${h.reps[1].id}/tokens`);
    expect(again.body.token).not.toBe(issued.body.token);
    expect(JSON.stringify((await h.api('GET', `/api/users/${h.reps[1].id}`)).body)).not.toContain(issued.body.token);
  });

  it('an unknown route under /api answers 404 not_found, and asks for a token first', async () => {
    expectError(await h.api('POST', '/api/nothing-here', { a: 1 }), 404, 'not_found');
    expectError(await send(h, { method: 'POST', url: '/api/nothing-here' }), 401, 'unauthorized');
  });

  describe('users, tokens and mailboxes', () => {
    const users = async () => (await h.api('GET', '/api/users')).body.items;

    it.each([
      ['email', { name: 'Zoe', email: 'not-an-email', role: 'rep' }],
      ['email', { name: 'Zoe', role: 'rep' }],
      ['role', { name: 'Zoe', email: 'zoe@example.com', role: 'boss' }],
      ['name', { name: '   ', email: 'zoe@example.com', role: 'rep' }],
      ['timezone', { name: 'Zoe', email: 'zoe@example.com', role: 'rep', timezone: 'Mars/Olympus_Mons' }],
      ['timezone', { name: 'Zoe', email: 'zoe@example.com', role: 'rep', timezone: '' }],
      ['name', { name: 'Zo\u0000e', email: 'zoe@example.com', role: 'rep' }],
    ])('POST /api/users refuses a bad %s, naming it, and creates no user', async (field, body) => {
      const before = await users();
      expectFieldError(await h.api('POST', '/api/users', body), field);
      expect(await users()).toEqual(before);
    });

    it('POST /api/users refuses an email already taken (in any case) with 409 and creates no user', async () => {
      const before = await users();
      const res = await h.api('POST', '/api/users', { name: 'Rep Again', email: 'REP1@example.com', role: 'rep' });
      expectError(res, 409, 'conflict');
      expect(await users()).toEqual(before);
    });

    it('POST /api/users sent several times at once with one address creates one user; the others get 409', async () => {
      const bodies = ['race@example.com', 'RACE@example.com', 'race@example.com', 'Race@Example.com'].map((email) => ({ name: 'Racer', email, role: 'rep' }));
      const answers = await Promise.all(bodies.map((body) => h.api('POST', '/api/users', body)));
      expect(answers.map((a) => a.status).sort(), JSON.stringify(answers)).toEqual([201, 409, 409, 409]);
      for (const a of answers.filter((x) => x.status === 409)) expectError(a, 409, 'conflict');
      expect((await users()).filter((u: { email: string }) => u.email.toLowerCase() === 'race@example.com')).toHaveLength(1);
    });

    it('POST /api/users creates a user with a valid zone, and the zone comes back', async () => {
      const res = await h.api('POST', '/api/users', { name: 'Yuki', email: 'yuki@example.com', role: 'rep', timezone: 'Asia/Tokyo' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'Yuki', email: 'yuki@example.com', role: 'rep', timezone: 'Asia/Tokyo' });
      expect((await h.api('GET', `/api/users/${res.body.id}`)).body.timezone).toBe('Asia/Tokyo');
    });

    it.each([
      ['fromEmail', { fromEmail: 'nope' }],
      ['fromEmail', { fromName: 'No address' }],
      ['smtpUrl', { fromEmail: 'rep@sales.example', smtpUrl: 'http://mail.sales.example' }],
      ['imapUrl', { fromEmail: 'rep@sales.example', imapUrl: 'ftp://mail.sales.example' }],
      ['dailyLimit', { fromEmail: 'rep@sales.example', dailyLimit: 0 }],
      ['hourlyLimit', { fromEmail: 'rep@sales.example', hourlyLimit: -5 }],
      ['minIntervalSeconds', { fromEmail: 'rep@sales.example', minIntervalSeconds: 1.5 }],
      ['fromName', { fromEmail: 'rep@sales.example', fromName: 'Rep\u0000One' }],
    ])('PUT /api/users/:id/mailbox refuses a bad %s, naming it, and leaves the mailbox as it was', async (field, body) => {
      const before = await snapshot(h, w);
      expectFieldError(await h.api('PUT', `/api/users/${h.reps[0].id}/mailbox`, body), field);
      expectFieldError(await h.api('PUT', `/api/users/${h.reps[0].id}/mailbox`, body, h.reps[0].token), field);
      expect(await snapshot(h, w)).toEqual(before);
    });

    it('PUT /api/users/:id/mailbox never shows the credentials of its URLs back', async () => {
      const res = await h.api('PUT', `/api/users/${h.reps[1].id}/mailbox`, {
        fromEmail: 'rep2@sales.example', smtpUrl: 'smtps://rep2:s3cret-pass@smtp.sales.example:465', imapUrl: 'imaps://rep2:s3cret-pass@imap.sales.example',
      });
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain('s3cret-pass');
      expect(res.body.fromEmail).toBe('rep2@sales.example');
    });

    it('rejected mailbox updates do not change the sender of the next email; the last accepted one does', async () => {
      const rep = h.reps[0];
      // The admin gives the rep its sales address; the rep names itself.
      expect((await h.api('PUT', `/api/users/${rep.id}/mailbox`, { fromEmail: 'rep1@sales.example' })).status).toBe(200);
      const ok = await h.api('PUT', `/api/users/${rep.id}/mailbox`, { fromEmail: 'rep1@sales.example', fromName: 'Rep One' }, rep.token);
      expect(ok.status).toBe(200);
      expect((await h.api('PUT', `/api/users/${rep.id}/mailbox`, { fromEmail: 'x@evil.example', fromName: 'Evil' }, rep.token)).status).toBe(403);
      expect((await h.api('PUT', `/api/users/${rep.id}/mailbox`, { fromEmail: 'broken' }, rep.token)).status).toBe(400);
      expect((await h.api('PUT', `/api/users/${rep.id}/mailbox`, { fromEmail: 'x@evil.example', smtpUrl: 'nope' })).status).toBe(400);
      expect([403, 404]).toContain((await h.api('PUT', `/api/users/${rep.id}/mailbox`, { fromEmail: 'x@evil.example' }, h.reps[1].token)).status);
      expect((await h.api('PUT', `/api/users/${rep.id}/mailbox`, { fromEmail: 'x@evil.example' }, null)).status).toBe(401);

      const lead = await createLead(h, { email: 'mailbox-check@example.com', ownerId: rep.id, timezone: 'UTC' });
      const cadence = await createCadence(h, { name: 'Mailbox check', schedule: ALWAYS_OPEN, steps: [{ type: 'email', subject: 'Hi', body: 'Hello' }] });
      const enrollmentId = await enrollOne(h, cadence.id, lead.id);
      await advance(h, 'PT1M');
      const emails = (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items;
      expect(emails).toHaveLength(1);
      expect(emails[0]).toMatchObject({ status: 'sent', from: 'Rep One <rep1@sales.example>', to: 'mailbox-check@example.com' });
    });
  });
});
