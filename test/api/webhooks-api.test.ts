import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expandWebhookEvents } from '../../src/store/webhook-outbox.repository.ts';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, createCadence, createLead, enrollOne, expectError, expectFieldError, send, unknownIds } from './helpers.ts';

/** The webhooks API (issue 15): endpoints, secrets and rotation, the delivery log and manual retries. */

const HOUR = 3600_000;

describe.each(BACKENDS)('webhooks API on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(backend); }, 120_000);
  afterAll(() => h.close());
  beforeEach(async () => { await h.ctx.db.deleteFrom('webhook_endpoints').execute(); });

  const create = async (body: Record<string, unknown> = { url: 'https://hooks.example.com/cadenza', events: ['email.sent', 'enrollment.exited'] }) => {
    const res = await h.api('POST', '/api/webhooks', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const endpointCount = async () => Number((await h.ctx.db.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** Outbox messages and their deliveries to `endpointId`, written as the outbox would. */
  async function seedDeliveries(endpointId: string, rows: Array<{ type: string; status: 'pending' | 'delivered' | 'failed'; minutesAgo: number; code?: number }>) {
    const now = h.clock.now().getTime();
    const ids: string[] = [];
    for (const r of rows) {
      const messageId = `msg_${randomUUID().replace(/-/g, '')}`;
      const at = new Date(now - r.minutesAgo * 60_000);
      await h.ctx.db.insertInto('webhook_messages').values({ id: messageId, type: r.type, at, data: JSON.stringify({ recordId: randomUUID(), email: 'ada@example.com', at: at.toISOString() }) }).execute();
      const d = await h.ctx.db.insertInto('webhook_deliveries').values({
        message_id: messageId, endpoint_id: endpointId, status: r.status, attempts: r.status === 'pending' ? 0 : 3,
        next_attempt_at: r.status === 'pending' ? at : null, created_at: at,
        last_attempt_at: r.code ? at : null, last_status_code: r.code ?? null, last_error: r.status === 'failed' ? 'answered 500' : null,
        delivered_at: r.status === 'delivered' ? at : null,
      }).returning('id').executeTakeFirstOrThrow();
      ids.push(d.id);
    }
    return ids;
  }

  it('registers an endpoint with a Standard Webhooks secret shown once, lists and shows it without the secret', async () => {
    const created = await create({ url: 'https://hooks.example.com/a', events: ['email.sent', 'email.sent', 'task.created'], description: 'CRM sync' });
    expect(created).toMatchObject({
      url: 'https://hooks.example.com/a', description: 'CRM sync', events: ['email.sent', 'task.created'], enabled: true,
      disabledReason: null, pending: 0, failed: 0, lastDeliveryAt: null, previousSecretUntil: null, createdAt: h.clock.now().toISOString(),
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(created.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    // The reference implementation takes the secret as it is and verifies what it signs.
    const wh = new Webhook(created.secret);
    const body = JSON.stringify({ type: 'email.sent', timestamp: h.clock.now().toISOString(), data: {} });
    const at = new Date();
    const signature = wh.sign('msg_1', at, body);
    expect(wh.verify(body, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature })).toBeTruthy();

    const listed = await h.api('GET', '/api/webhooks');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    const { secret, ...shown } = created;
    expect(listed.body.items[0]).toEqual(shown);
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(6));
    const one = await h.api('GET', `/api/webhooks/${created.id}`);
    expect(one.body).toEqual(shown);
    expect(JSON.stringify(one.body)).not.toContain(secret.slice(6));
    expect((await h.api('POST', '/api/webhooks', { url: 'https://hooks.example.com/a', events: ['lead.unsubscribed'] })).status).toBe(201);
    expect(await endpointCount()).toBe(2);
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const bad: Array<[unknown, string]> = [
      [{ events: ['email.sent'] }, 'url'],
      [{ url: 'ftp://hooks.example.com', events: ['email.sent'] }, 'url'],
      [{ url: 'https://user:pass@hooks.example.com', events: ['email.sent'] }, 'url'],
      [{ url: 'not a url', events: ['email.sent'] }, 'url'],
      [{ url: `https://hooks.example.com/${'a'.repeat(2100)}`, events: ['email.sent'] }, 'url'],
      [{ url: 'https://hooks.example.com' }, 'events'],
      [{ url: 'https://hooks.example.com', events: [] }, 'events'],
      [{ url: 'https://hooks.example.com', events: ['email.sent', 'email.exploded'] }, 'events.1'],
      [{ url: 'https://hooks.example.com', events: ['email.sent'], description: 'x'.repeat(201) }, 'description'],
    ];
    for (const [body, field] of bad) expectFieldError(await h.api('POST', '/api/webhooks', body), field);
    expectError(await h.api('POST', '/api/webhooks', '{"url": "https://hooks.example.com",'), 400, 'malformed_json');
    const w = await create();
    for (const [body, field] of [[{}, ''], [{ url: 'gopher://x' }, 'url'], [{ enabled: 'yes' }, 'enabled'], [{ events: [] }, 'events']] as const) {
      const res = await h.api('PATCH', `/api/webhooks/${w.id}`, body);
      if (field) expectFieldError(res, field);
      else expectError(res, 400, 'invalid_request');
    }
    expect(await endpointCount()).toBe(1);
    expect((await h.api('GET', `/api/webhooks/${w.id}`)).body).toMatchObject({ url: w.url, events: w.events, enabled: true });
  });

  it('is for admins: a rep gets 403, no token 401, an unknown id 404, and nothing changes', async () => {
    const w = await create();
    const [delivery] = await seedDeliveries(w.id, [{ type: 'email.sent', status: 'failed', minutesAgo: 5, code: 500 }]);
    const calls: Array<[string, string, unknown?]> = [
      ['POST', '/api/webhooks', { url: 'https://evil.example', events: ['email.sent'] }],
      ['GET', '/api/webhooks'],
      ['GET', `/api/webhooks/${w.id}`],
      ['PATCH', `/api/webhooks/${w.id}`, { url: 'https://evil.example' }],
      ['DELETE', `/api/webhooks/${w.id}`],
      ['POST', `/api/webhooks/${w.id}/rotate-secret`],
      ['GET', `/api/webhooks/${w.id}/deliveries`],
      ['POST', `/api/webhooks/${w.id}/deliveries/${delivery}/retry`],
    ];
    for (const [method, url, body] of calls) {
      expectError(await h.api(method as 'GET', url, body, h.reps[0].token), 403, 'forbidden');
      expectError(await h.api(method as 'GET', url, body, null), 401, 'unauthorized');
    }
    for (const id of unknownIds()) {
      expectError(await h.api('GET', `/api/webhooks/${id}`), 404, 'not_found');
      expectError(await h.api('PATCH', `/api/webhooks/${id}`, { description: 'x' }), 404, 'not_found');
      expectError(await h.api('DELETE', `/api/webhooks/${id}`), 404, 'not_found');
      expectError(await h.api('POST', `/api/webhooks/${id}/rotate-secret`), 404, 'not_found');
      expectError(await h.api('GET', `/api/webhooks/${id}/deliveries`), 404, 'not_found');
      expectError(await h.api('POST', `/api/webhooks/${id}/deliveries/${delivery}/retry`), 404, 'not_found');
      expectError(await h.api('POST', `/api/webhooks/${w.id}/deliveries/${id}/retry`), 404, 'not_found');
    }
    const row = await h.ctx.db.selectFrom('webhook_endpoints').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ url: w.url, secret: w.secret, previous_secret: null, disabled_at: null });
    expect(await endpointCount()).toBe(1);
    const d = await h.ctx.db.selectFrom('webhook_deliveries').select(['status']).where('id', '=', delivery).executeTakeFirstOrThrow();
    expect(d.status).toBe('failed');
  });

  it('changes the address and events, disables by hand, and enables again after a 410', async () => {
    const w = await create();
    const changed = await h.api('PATCH', `/api/webhooks/${w.id}`, { url: 'https://hooks.example.com/v2', events: ['task.completed'], description: 'v2' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ url: 'https://hooks.example.com/v2', events: ['task.completed'], description: 'v2', enabled: true });
    expect(changed.body.secret).toBeUndefined();
    expect((await h.api('PATCH', `/api/webhooks/${w.id}`, { description: null })).body.description).toBeNull();

    const off = await h.api('PATCH', `/api/webhooks/${w.id}`, { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, disabledReason: 'disabled by an admin', disabledAt: h.clock.now().toISOString() });

    // The dispatcher disables an endpoint that answers 410; an admin's enabling sends again.
    await h.ctx.db.updateTable('webhook_endpoints').set({ disabled_at: h.clock.now(), disabled_reason: 'answered 410 Gone' }).execute();
    expect((await h.api('GET', `/api/webhooks/${w.id}`)).body).toMatchObject({ enabled: false, disabledReason: 'answered 410 Gone' });
    // Disabling again keeps the first reason.
    expect((await h.api('PATCH', `/api/webhooks/${w.id}`, { enabled: false })).body.disabledReason).toBe('answered 410 Gone');
    const on = await h.api('PATCH', `/api/webhooks/${w.id}`, { enabled: true });
    expect(on.body).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
  });

  it('rotates the secret: the new one shown once, the old one kept for 24 hours', async () => {
    const w = await create();
    h.clock.set(new Date(h.clock.now().getTime() + HOUR));
    const rotated = await h.api('POST', `/api/webhooks/${w.id}/rotate-secret`);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(w.secret);
    expect(rotated.body.previousSecretUntil).toBe(new Date(h.clock.now().getTime() + 24 * HOUR).toISOString());
    const row = await h.ctx.db.selectFrom('webhook_endpoints').select(['secret', 'previous_secret', 'previous_secret_until']).executeTakeFirstOrThrow();
    expect(row).toEqual({ secret: rotated.body.secret, previous_secret: w.secret, previous_secret_until: new Date(rotated.body.previousSecretUntil) });
    expect((await h.api('GET', `/api/webhooks/${w.id}`)).body.previousSecretUntil).toBe(rotated.body.previousSecretUntil);
  });

  it('shows the delivery log newest first, filtered and paged, with counts and the last answer on the endpoint', async () => {
    const w = await create();
    const other = await create({ url: 'https://other.example.com', events: ['email.sent'] });
    await seedDeliveries(other.id, [{ type: 'email.sent', status: 'failed', minutesAgo: 1, code: 503 }]);
    const ids = await seedDeliveries(w.id, [
      { type: 'email.sent', status: 'delivered', minutesAgo: 50, code: 200 },
      { type: 'enrollment.exited', status: 'failed', minutesAgo: 40, code: 500 },
      { type: 'email.sent', status: 'pending', minutesAgo: 30 },
      { type: 'email.sent', status: 'failed', minutesAgo: 20, code: 404 },
      { type: 'enrollment.exited', status: 'pending', minutesAgo: 10 },
    ]);
    const all = await h.api('GET', `/api/webhooks/${w.id}/deliveries`);
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.items.map((d: any) => d.id)).toEqual([...ids].reverse());
    expect(all.body.nextCursor).toBeNull();
    const failed = all.body.items.find((d: any) => d.id === ids[3]);
    expect(failed).toMatchObject({ event: 'email.sent', status: 'failed', attempts: 3, lastStatusCode: 404, lastError: 'answered 500' });
    expect(failed.messageId).toMatch(/^msg_/);
    expect(failed.payload).toMatchObject({ type: 'email.sent', timestamp: failed.createdAt, data: { email: 'ada@example.com' } });
    expect(failed.nextAttemptAt).toBeUndefined();
    expect(all.body.items[0].nextAttemptAt).toBe(all.body.items[0].createdAt);

    const byStatus = await h.api('GET', `/api/webhooks/${w.id}/deliveries?status=failed`);
    expect(byStatus.body.items.map((d: any) => d.id)).toEqual([ids[3], ids[1]]);
    const byEvent = await h.api('GET', `/api/webhooks/${w.id}/deliveries?event=enrollment.exited`);
    expect(byEvent.body.items.map((d: any) => d.id)).toEqual([ids[4], ids[1]]);
    const both = await h.api('GET', `/api/webhooks/${w.id}/deliveries?event=email.sent&status=pending`);
    expect(both.body.items.map((d: any) => d.id)).toEqual([ids[2]]);

    // Pages of two, then one: each delivery once, in order.
    const seen: string[] = [];
    let cursor: string | null = '';
    for (let page = 0; cursor !== null && page < 5; page++) {
      const res = await h.api('GET', `/api/webhooks/${w.id}/deliveries?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      seen.push(...res.body.items.map((d: any) => d.id));
      cursor = res.body.nextCursor;
    }
    expect(seen).toEqual([...ids].reverse());

    for (const q of ['status=lost', 'event=email.exploded', 'limit=0', 'limit=501', 'cursor=nonsense', `cursor=${'x'.repeat(300)}`]) {
      const res = await h.api('GET', `/api/webhooks/${w.id}/deliveries?${q}`);
      expectFieldError(res, `querystring.${q.split('=')[0]}`);
    }

    const endpoint = (await h.api('GET', '/api/webhooks')).body.items.find((e: any) => e.id === w.id);
    expect(endpoint).toMatchObject({ pending: 2, failed: 2, lastStatusCode: 404, lastDeliveryAt: new Date(h.clock.now().getTime() - 20 * 60_000).toISOString() });
  });

  it('retries a delivery now; refuses while the endpoint is disabled, and a delivery of another endpoint is unknown', async () => {
    const w = await create();
    const other = await create({ url: 'https://other.example.com', events: ['email.sent'] });
    const [failed, delivered] = await seedDeliveries(w.id, [
      { type: 'email.sent', status: 'failed', minutesAgo: 60 * 30, code: 500 },
      { type: 'email.sent', status: 'delivered', minutesAgo: 5, code: 204 },
    ]);
    await h.ctx.db.updateTable('webhook_deliveries').set({ claimed_by: 'worker-1', claim_until: h.clock.now() }).where('id', '=', failed).execute();
    const retried = await h.api('POST', `/api/webhooks/${w.id}/deliveries/${failed}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(202);
    expect(retried.body).toMatchObject({ id: failed, status: 'pending', nextAttemptAt: h.clock.now().toISOString(), attempts: 3 });
    const row = await h.ctx.db.selectFrom('webhook_deliveries').select(['status', 'next_attempt_at', 'claimed_by', 'claim_until']).where('id', '=', failed).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'pending', next_attempt_at: h.clock.now(), claimed_by: null, claim_until: null });
    // A delivered one may be sent again (receivers dedupe by webhook-id).
    expect((await h.api('POST', `/api/webhooks/${w.id}/deliveries/${delivered}/retry`)).body.status).toBe('pending');

    expectError(await h.api('POST', `/api/webhooks/${other.id}/deliveries/${failed}/retry`), 404, 'not_found');
    await h.api('PATCH', `/api/webhooks/${w.id}`, { enabled: false });
    await h.ctx.db.updateTable('webhook_deliveries').set({ status: 'failed' }).where('id', '=', failed).execute();
    const refused = await h.api('POST', `/api/webhooks/${w.id}/deliveries/${failed}/retry`);
    expectError(refused, 409, 'invalid_state');
    expect(refused.body.error.message).toContain('enabled');
    expect((await h.ctx.db.selectFrom('webhook_deliveries').select('status').where('id', '=', failed).executeTakeFirstOrThrow()).status).toBe('failed');
  });

  it('logs the events of real changes for the endpoints subscribed to them', async () => {
    const w = await create({ url: 'https://hooks.example.com/crm', events: ['enrollment.created'] });
    const deaf = await create({ url: 'https://hooks.example.com/other', events: ['task.completed'] });
    const lead = await createLead(h, { email: 'logged@example.com', ownerId: h.reps[0].id });
    const cadence = await createCadence(h, { name: 'Logged', schedule: ALWAYS_OPEN, steps: [{ type: 'call', title: 'Call', delayDays: 3 }] });
    const enrollmentId = await enrollOne(h, cadence.id, lead.id);
    // The enrolment's event, written with it, is expanded into deliveries by the dispatcher's next look (a second at most).
    await expandWebhookEvents(h.ctx.db);
    const log = (await h.api('GET', `/api/webhooks/${w.id}/deliveries`)).body.items;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ event: 'enrollment.created', status: 'pending', attempts: 0 });
    expect(log[0].payload).toMatchObject({ type: 'enrollment.created', data: { recordId: lead.id, enrollmentId, cadenceId: cadence.id, email: 'logged@example.com' } });
    expect((await h.api('GET', `/api/webhooks/${w.id}`)).body.pending).toBe(1);
    expect((await h.api('GET', `/api/webhooks/${deaf.id}/deliveries`)).body.items).toEqual([]);
  });

  it('deletes an endpoint with its deliveries', async () => {
    const w = await create();
    await seedDeliveries(w.id, [{ type: 'email.sent', status: 'pending', minutesAgo: 1 }]);
    const res = await send(h, { method: 'DELETE', url: `/api/webhooks/${w.id}`, headers: { authorization: `Bearer ${h.adminToken}` } });
    expect(res.status).toBe(204);
    expectError(await h.api('GET', `/api/webhooks/${w.id}`), 404, 'not_found');
    expectError(await h.api('DELETE', `/api/webhooks/${w.id}`), 404, 'not_found');
    expect(await h.ctx.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', w.id).execute()).toEqual([]);
    expect((await h.api('GET', '/api/webhooks')).body.items).toEqual([]);
  });
});
