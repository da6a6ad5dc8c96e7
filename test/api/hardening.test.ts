import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import {
  ALWAYS_OPEN, advance, buildWorld, createCadence, createLead, crlf, enrollOne, expectError, expectFieldError,
  postInbound, replyMessage, rowCounts, send, snapshot, type World,
} from './helpers.ts';

/** The JSON text of `depth` objects nested in one another, {"a":{"a":…}}, written flat (no recursion). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}"deep"${'}'.repeat(depth)}`;

const GIF = 'image/gif';

/**
 * Hostile and broken input at the HTTP edge (issue 11, findings 1, 4, 5 and 6): each
 * gets a 4xx naming what was wrong, never a 500, and nothing half-written.
 */
describe.each(BACKENDS)('hardening of the HTTP edge on %s', (backend) => {
  let h: Harness;
  let w: World;
  beforeAll(async () => {
    h = await startHarness(backend);
    w = await buildWorld(h);
  });
  afterAll(() => h.close());

  const emailToken = async () => {
    const row = await h.ctx.db.selectFrom('emails').select('token').where('id', '=', w.email.id).executeTakeFirstOrThrow();
    return row.token;
  };

  describe('body limits', () => {
    it('a 5 MB body to the public unsubscribe route is refused with 413 before it is read, and unsubscribes no one', async () => {
      const token = await emailToken();
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/json', 'multipart/form-data; boundary=x']) {
        const res = await send(h, { method: 'POST', url: `/u/${token}`, headers: { 'content-type': contentType }, payload: 'x'.repeat(5 * 1024 * 1024) });
        expectError(res, 413, 'payload_too_large');
      }
      expect((await h.api('GET', `/api/leads/${w.lead.id}`)).body.unsubscribed).toBe(false);
    });

    it('the RFC 8058 one-click POST (urlencoded or multipart) still unsubscribes', async () => {
      const a = await createLead(h, { email: `oneclick-${randomUUID()}@example.com`, ownerId: h.reps[0].id, timezone: 'UTC' });
      const cadence = await createCadence(h, { name: 'One click', schedule: ALWAYS_OPEN, steps: [{ type: 'email', subject: 'Hi', body: 'Hello' }] });
      const enrollmentId = await enrollOne(h, cadence.id, a.id);
      await advance(h, 'PT1M');
      const email = (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items[0];
      const { token } = await h.ctx.db.selectFrom('emails').select('token').where('id', '=', email.id).executeTakeFirstOrThrow();
      const multipart = crlf('--b\nContent-Disposition: form-data; name="List-Unsubscribe"\n\nOne-Click\n--b--\n');
      const res = await send(h, { method: 'POST', url: `/u/${token}`, headers: { 'content-type': 'multipart/form-data; boundary=b' }, payload: multipart });
      expect(res.status, String(res.body)).toBe(200);
      const again = await send(h, { method: 'POST', url: `/u/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
      expect(again.status).toBe(200);
      expect((await h.api('GET', `/api/leads/${a.id}`)).body.unsubscribed).toBe(true);
    });

    it('a JSON body over the route\'s limit is 413 with the error shape; the bulk route takes 10,000 full records', async () => {
      const before = await rowCounts(h);
      const big = { email: 'big@example.com', fields: { note: 'x'.repeat(2 * 1024 * 1024) } };
      const res = await h.api('POST', '/api/leads', big);
      expectError(res, 413, 'payload_too_large');
      expect(res.body.error.message).toMatch(/MB|KB/);
      expect(await rowCounts(h)).toEqual(before);
      const records = Array.from({ length: 10_000 }, (_, i) => ({
        email: `full-${i}@example.com`, firstName: 'F'.repeat(200), lastName: 'L'.repeat(200), company: 'C'.repeat(300),
        phone: '+1 555 0100', status: 'New', timezone: 'Europe/Berlin', fields: { note: 'n'.repeat(500) },
      }));
      const bulk = await h.api('POST', '/api/leads/bulk', { records });
      expect(bulk.status, JSON.stringify(bulk.body).slice(0, 300)).toBe(201);
      expect(bulk.body.created).toHaveLength(10_000);
    });

    it('inbound mail over 10 MB is 413 with the error shape, and a large message under it is taken', async () => {
      const huge = Buffer.alloc(11 * 1024 * 1024, 'a');
      expectError(await postInbound(h, huge), 413, 'payload_too_large');
      const attachment = Buffer.alloc(6 * 1024 * 1024, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
      const large = crlf(`From: Lead <${w.lead.email}>
To: rep1@example.com
Subject: Re: Hello
Message-ID: <large-${randomUUID()}@customer.example>
In-Reply-To: <nothing-we-sent@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="B"

--B
Content-Type: text/plain

See attached.
--B
Content-Type: application/octet-stream
Content-Transfer-Encoding: base64

`) + attachment + '\r\n--B--\r\n';
      const res = await postInbound(h, large);
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body.kind).toBe('reply');
    });
  });

  describe('bad input is a 400 naming the field', () => {
    it('JSON nested 5,000 deep is 400 naming the field, on a route and under bulk', async () => {
      const before = await rowCounts(h);
      const res = await h.api('POST', '/api/leads', `{"email":"deep@example.com","fields":${nested(5000)}}`);
      expectFieldError(res, 'fields');
      const cadence = await h.api('POST', '/api/cadences', `{"name":"Deep","steps":[{"type":"call","title":"Call","x":${nested(5000)}}]}`);
      expectFieldError(cadence, 'steps.0');
      const bulk = await h.api('POST', '/api/leads/bulk', `{"records":[{"email":"deep-bulk@example.com"},{"email":"deep-bulk-2@example.com","fields":${nested(5000)}}]}`);
      expectFieldError(bulk, 'records.1');
      expect(await rowCounts(h)).toEqual(before);
      // 60 levels is fine, and brackets inside strings are text, not nesting.
      const brackets = await h.api('POST', '/api/leads', { email: 'brackets@example.com', fields: { note: `${'{['.repeat(500)}"\\` } });
      expect(brackets.status, JSON.stringify(brackets.body)).toBe(201);
      expect(brackets.body.fields.note).toBe(`${'{['.repeat(500)}"\\`);
      const ok = await h.api('POST', '/api/leads', `{"email":"shallow@example.com","fields":${nested(60)}}`);
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    });

    it.each([
      ['firstName', { email: 'sur@example.com', firstName: 'Ada\ud800' }],
      ['company', { email: 'sur@example.com', company: '\udc00Acme' }],
      ['fields.note', { email: 'sur@example.com', fields: { note: 'x\ud800y' } }],
      ['fields', { email: 'sur@example.com', fields: { 'k\ud800': 1 } }],
    ])('a lone surrogate in %s is 400 naming it, and nothing is stored', async (field, body) => {
      const before = await rowCounts(h);
      expectFieldError(await h.api('POST', '/api/leads', body), field);
      expect(await rowCounts(h)).toEqual(before);
    });

    it('a lone surrogate elsewhere (a lead patch, a cadence, a user, the organisation) is 400 naming the field', async () => {
      const before = await snapshot(h, w);
      expectFieldError(await h.api('PATCH', `/api/leads/${w.lead.id}`, { company: 'Acme\ud800' }), 'company');
      expectFieldError(await h.api('POST', '/api/cadences', { name: 'Bad\udfff', steps: [{ type: 'call', title: 'Call' }] }), 'name');
      expectFieldError(await h.api('POST', '/api/users', { name: 'Zed\ud800', email: 'zed-s@example.com', role: 'rep' }), 'name');
      expectFieldError(await h.api('PATCH', '/api/organization', { name: 'Org\ud800' }), 'name');
      expectFieldError(await h.api('POST', `/api/tasks/${w.task.id}/complete`, { note: 'n\ud800' }), 'note');
      expect(await snapshot(h, w)).toEqual(before);
      // A well-formed pair (an emoji) is fine.
      const ok = await h.api('PATCH', `/api/leads/${w.lead.id}`, { company: 'Acme \ud83d\ude00' });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.company).toBe('Acme \u{1F600}');
      await h.api('PATCH', `/api/leads/${w.lead.id}`, { company: 'Acme' });
    });

    it('in a bulk call, a record with a lone surrogate is rejected alone, by its index; the others are created', async () => {
      const before = (await rowCounts(h)).leads;
      const res = await h.api('POST', '/api/leads/bulk', {
        records: [{ email: 'sur-ok-1@example.com' }, { email: 'sur-bad@example.com', lastName: 'B\ud800' }, { email: 'sur-ok-2@example.com', fields: { k: 'v' } }, { email: 'sur-bad-2@example.com', fields: { k: ['\udc00'] } }],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.created).toHaveLength(2);
      expect(res.body.rejected).toEqual([
        { index: 1, reason: expect.stringContaining('lastName') },
        { index: 3, reason: expect.stringContaining('fields.k.0') },
      ]);
      expect((await rowCounts(h)).leads).toBe(before + 2);
    });

    it('PATCH /api/organization with an empty body changes nothing and answers the organisation', async () => {
      const before = (await h.api('GET', '/api/organization')).body;
      const res = await h.api('PATCH', '/api/organization', {});
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual(before);
      // What GET answers, PATCH accepts unchanged.
      expect((await h.api('PATCH', '/api/organization', before)).body).toEqual(before);
    });

    it('%00, over-long and odd tokens: the pixel is still a GIF, click and unsubscribe a 404 page; nothing is recorded', async () => {
      const before = await rowCounts(h);
      // Over-long, lone surrogates and broken escapes never reach a route: the router refuses them.
      for (const token of ['%00', 'abc%00def', 'a'.repeat(99), 'a'.repeat(300), '..%2F..', 'x%20y', '%E2%80%AE', '%ED%A0%80', '%zz', 'a%0D%0Ab']) {
        const pixel = await send(h, { method: 'GET', url: `/t/o/${token}` });
        expect(pixel.status, token).toBe(200);
        expect(pixel.body instanceof Object ? 'json' : 'gif', token).toBe('gif');
        const res = await h.app.inject({ method: 'GET', url: `/t/o/${token}` });
        expect(res.headers['content-type']).toBe(GIF);
        for (const url of [`/t/c/${token}`, `/t/c/${token}.0`, `/u/${token}`]) {
          const page = await h.app.inject({ method: 'GET', url });
          expect(page.statusCode, url).toBe(404);
          expect(page.headers['content-type'], url).toMatch(/text\/html/);
        }
        const post = await h.app.inject({ method: 'POST', url: `/u/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
        expect(post.statusCode, token).toBe(404);
        expect(post.headers['content-type']).toMatch(/text\/html/);
      }
      expect(await rowCounts(h)).toEqual(before);
      // An API path that does not decode answers in the error shape.
      expectError(await h.api('GET', '/api/leads/%zz'), 400, 'bad_url');
      expectError(await h.api('GET', `/api/leads/${'a'.repeat(300)}`), 414, 'uri_too_long');
    });

    it('an inbound message with 70,000 References is taken, and still matched by its In-Reply-To', async () => {
      const lead = await createLead(h, { email: `refs-${randomUUID()}@example.com`, ownerId: h.reps[0].id, timezone: 'UTC' });
      const cadence = await createCadence(h, { name: 'Refs', schedule: ALWAYS_OPEN, steps: [{ type: 'email', subject: 'Hi', body: 'Hello' }, { type: 'call', delayDays: 3 }] });
      const enrollmentId = await enrollOne(h, cadence.id, lead.id);
      await advance(h, 'PT1M');
      const email = (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items[0];
      // Short ids keep the header under the parser's 1 MB header limit: 70,000 lookups would be the problem.
      const refs = Array.from({ length: 70_000 }, (_, i) => `<${i}@x>${i % 50 === 49 ? '\r\n' : ''}`).join(' ');
      const raw = replyMessage(lead.email, email.messageId).replace(/^References: .*$/m, `References: ${refs}`);
      const res = await postInbound(h, raw);
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(202);
      expect(res.body).toMatchObject({ kind: 'reply', matched: true, enrollmentId });
    });

    it('a tracked link whose URL holds CR/LF is sent untracked, never redirected to, and the send succeeds', async () => {
      const lead = await createLead(h, { email: `crlf-${randomUUID()}@example.com`, ownerId: h.reps[0].id, timezone: 'UTC', fields: { path: 'a\r\nSet-Cookie: x=1' } });
      const cadence = await createCadence(h, {
        name: 'CRLF links', schedule: ALWAYS_OPEN,
        steps: [{ type: 'email', subject: 'Hi', body: '<p><a href="https://example.com/{{lead.fields.path}}">bad</a> <a href="https://example.com/ok">good</a></p>' }],
      });
      const enrollmentId = await enrollOne(h, cadence.id, lead.id);
      await advance(h, 'PT1M');
      const emails = (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items;
      expect(emails).toMatchObject([{ status: 'sent' }]);
      const row = await h.ctx.db.selectFrom('emails').select(['token', 'links']).where('id', '=', emails[0].id).executeTakeFirstOrThrow();
      const links = row.links as unknown as string[];
      expect(links).toEqual(['https://example.com/ok']);
      const click = await h.app.inject({ method: 'GET', url: `/t/c/${row.token}.0` });
      expect(click.statusCode).toBe(302);
      expect(click.headers.location).toBe('https://example.com/ok');
      expect((await h.app.inject({ method: 'GET', url: `/t/c/${row.token}.1` })).statusCode).toBe(404);
      // A link stored with CR/LF (before links were checked at send time) is not redirected to either.
      await h.ctx.db.updateTable('emails').set({ links: JSON.stringify(['https://example.com/a\r\nSet-Cookie: x=1']) }).where('id', '=', emails[0].id).execute();
      const stored = await h.app.inject({ method: 'GET', url: `/t/c/${row.token}.0` });
      expect(stored.statusCode).toBe(404);
      expect(stored.headers['set-cookie']).toBeUndefined();
      expect(stored.headers['content-type']).toMatch(/text\/html/);
    });
  });

  describe('mailboxes: a rep sets its sender name and caps; server URLs and other addresses are the admin\'s', () => {
    const rep = () => h.reps[1];
    const put = (body: unknown, token = rep().token) => h.api('PUT', `/api/users/${rep().id}/mailbox`, body, token);

    it.each([
      ['smtpUrl', { fromEmail: 'rep2@example.com', smtpUrl: 'smtp://10.0.0.1:25' }],
      ['imapUrl', { fromEmail: 'rep2@example.com', imapUrl: 'imap://127.0.0.1:143' }],
      ['fromEmail', { fromEmail: 'ceo@example.com' }],
    ])('a rep setting %s gets 403 saying an admin must set it, and the mailbox is unchanged', async (field, body) => {
      const before = await snapshot(h, w);
      const res = await put(body);
      expectError(res, 403, 'forbidden');
      expect(res.body.error.message).toContain(field);
      expect(res.body.error.message).toMatch(/admin/);
      expect(await snapshot(h, w)).toEqual(before);
    });

    it('a rep sets its own address, sender name and caps; the admin sets the rest; the rep\'s round trip keeps it', async () => {
      const own = await put({ fromEmail: 'REP2@example.com', fromName: 'Rep Two', dailyLimit: 50, hourlyLimit: 10, minIntervalSeconds: 30 });
      expect(own.status, JSON.stringify(own.body)).toBe(200);
      expect(own.body).toMatchObject({ fromName: 'Rep Two', dailyLimit: 50, hourlyLimit: 10, minIntervalSeconds: 30, smtpUrl: null });
      const admin = await put({ fromEmail: 'sales@example.com', fromName: 'Rep Two', smtpUrl: 'smtps://u:secret@smtp.example.com:465', imapUrl: 'imaps://u:secret@imap.example.com' }, h.adminToken);
      expect(admin.status).toBe(200);
      // The rep sends back what it was shown (URLs masked) with a new name: the admin's settings stay.
      const roundTrip = await put({ ...admin.body, fromName: 'R. Two', userId: undefined });
      expect(roundTrip.status, JSON.stringify(roundTrip.body)).toBe(200);
      expect(roundTrip.body).toMatchObject({ fromEmail: 'sales@example.com', fromName: 'R. Two', smtpUrl: 'smtps://***@smtp.example.com:465' });
      // Leaving the admin's fields out keeps them too.
      const partial = await put({ fromEmail: 'sales@example.com', dailyLimit: 20 });
      expect(partial.status).toBe(200);
      expect(partial.body).toMatchObject({ smtpUrl: 'smtps://***@smtp.example.com:465', imapUrl: 'imaps://***@imap.example.com', dailyLimit: 20 });
      const stored = await h.ctx.db.selectFrom('mailboxes').selectAll().where('user_id', '=', rep().id).executeTakeFirstOrThrow();
      expect(stored.smtp_url).toBe('smtps://u:secret@smtp.example.com:465');
      expectError(await put({ fromEmail: 'sales@example.com', smtpUrl: 'smtp://evil.example:25' }), 403, 'forbidden');
      expectError(await put({ fromEmail: 'sales@example.com', smtpUrl: null }), 403, 'forbidden');
    });
  });

  describe('writes that commit answer success', () => {
    it('a rep that gives its lead away (ownerId null) gets 200 with the lead as written', async () => {
      const lead = await createLead(h, { email: `away-${randomUUID()}@example.com`, ownerId: h.reps[0].id });
      const res = await h.api('PATCH', `/api/leads/${lead.id}`, { ownerId: null, status: 'Contacted' }, h.reps[0].token);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ id: lead.id, ownerId: null, status: 'Contacted' });
      expect((await h.api('GET', `/api/leads/${lead.id}`)).body).toMatchObject({ ownerId: null, status: 'Contacted' });
    });
  });
});
