import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import { createContext, type AppContext } from '../../src/app/context.ts';
import { createUser, issueToken } from '../../src/app/users.ts';
import { RETRY_SCHEDULE_MS, webhookSecret } from '../../src/webhooks/standard-webhooks.ts';
import { Engine, defaultEngineOptions } from '../../src/engine/engine.ts';
import { WebhookDispatcher, defaultWebhookOptions, type WebhookDispatcherOptions } from '../../src/engine/webhook-dispatcher.ts';
import { buildServer } from '../../src/http/server.ts';
import type { Database } from '../../src/store/database.ts';
import { claimDueDeliveries, retryDelivery } from '../../src/store/webhook-delivery.repository.ts';
import { BACKENDS, freshDatabase } from '../support/backends.ts';
import { startHarness } from '../support/harness.ts';
import { ALWAYS_OPEN, advance, createCadence, createLead, enrollOne } from '../api/helpers.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const START = new Date('2026-03-02T08:00:00Z');
const HOUR = 3_600_000;

describe.each(BACKENDS)('the webhook dispatcher (%s)', (backend) => {
  const receiver = new WebhookReceiver();
  let database: Database;
  let clock: ManualClock;
  let ctx: AppContext;
  const dispatchers: WebhookDispatcher[] = [];

  beforeAll(async () => { await receiver.start(); });
  afterAll(() => receiver.stop());
  beforeEach(async () => {
    receiver.received.length = 0;
    receiver.peakOpen.clear();
    database = await freshDatabase(backend);
    clock = new ManualClock(START);
    ctx = createContext(database.db, clock, { publicUrl: 'http://cadenza.test', smtpUrl: null });
  }, 180_000);
  afterEach(async () => {
    receiver.release();
    for (const d of dispatchers.splice(0)) await d.stop();
    await database.close();
  });

  /** A dispatcher on the manual clock; the jitter at its lowest unless told (retries as early as they can be). */
  const dispatcher = (opts: Partial<WebhookDispatcherOptions> = {}) => {
    const d = new WebhookDispatcher(ctx, { ...defaultWebhookOptions(`test-${randomUUID().slice(0, 8)}`), random: () => 0, ...opts });
    dispatchers.push(d);
    return d;
  };

  const newSecret = () => webhookSecret(randomBytes(32));

  async function endpoint(url: string, extra: { previousSecret?: string; previousSecretUntil?: Date } = {}) {
    const id = randomUUID();
    const secret = newSecret();
    await ctx.db.insertInto('webhook_endpoints').values({
      id, url, description: null, events: ['task.created'], secret,
      previous_secret: extra.previousSecret ?? null, previous_secret_until: extra.previousSecretUntil ?? null,
      disabled_at: null, disabled_reason: null, created_by: null, created_at: START, updated_at: START,
    }).execute();
    return { id, secret };
  }

  /** An event in the outbox and its delivery to each endpoint, due at `due`. */
  async function event(endpointIds: string[], due = clock.now(), data: Record<string, unknown> = { taskId: randomUUID() }) {
    const messageId = `msg_${randomUUID().replace(/-/g, '')}`;
    await ctx.db.insertInto('webhook_messages').values({ id: messageId, type: 'task.created', at: due, data: JSON.stringify(data) as never }).execute();
    const deliveries: string[] = [];
    for (const endpointId of endpointIds) {
      const row = await ctx.db.insertInto('webhook_deliveries')
        .values({ message_id: messageId, endpoint_id: endpointId, next_attempt_at: due, created_at: due })
        .returning('id').executeTakeFirstOrThrow();
      deliveries.push(row.id);
    }
    return { messageId, deliveries, data };
  }

  const delivery = (id: string) => ctx.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const endpointRow = (id: string) => ctx.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** Checks a request with the reference implementation, as a receiver holding `secret` would. */
  const verify = (secret: string, r: { headers: Record<string, string>; body: string }) => new Webhook(secret).verify(r.body, r.headers);

  it('posts each event signed by Standard Webhooks, the body {type, timestamp, data}, and records it delivered', async () => {
    const ok = await endpoint(receiver.url('ok'));
    const e = await event([ok.id], new Date(START.getTime() - 60_000));
    const result = await dispatcher().runOnce(clock.now());
    expect(result).toMatchObject({ attempts: 1, delivered: 1, retried: 0, failed: 0 });
    const [req] = receiver.of('ok');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['webhook-id']).toBe(e.messageId);
    expect(verify(ok.secret, req)).toEqual({ type: 'task.created', timestamp: '2026-03-02T07:59:00.000Z', data: e.data });
    // Another endpoint's secret does not verify it.
    expect(() => verify(newSecret(), req)).toThrow('No matching signature');
    const row = await delivery(e.deliveries[0]);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 200, last_error: null, last_response: 'ok', claimed_by: null });
    expect(row.delivered_at).toEqual(START);
    // Nothing is due any more.
    expect((await dispatcher().runOnce(clock.now())).attempts).toBe(0);
  });

  it('defers to its engine while it advances steps: nothing within maxDeferMs, a few requests after, all once it is idle', async () => {
    const ok = await endpoint(receiver.url('ok'));
    const e = await event([ok.id]);
    let engineBusy = true;
    const polite = dispatcher({ engineBusy: () => engineBusy, maxDeferMs: 3_600_000, pollIntervalMs: 10 });
    expect((await polite.runOnce(clock.now())).attempts).toBe(0);
    expect(receiver.of('ok')).toHaveLength(0);
    expect((await delivery(e.deliveries[0])).status).toBe('pending');
    engineBusy = false;
    expect(await polite.runOnce(clock.now())).toMatchObject({ attempts: 1, delivered: 1 });

    // Deferred no longer than maxDeferMs: then it goes on beside the busy engine, at busyConcurrency.
    const next = await event([ok.id]);
    const patient = dispatcher({ engineBusy: () => true, maxDeferMs: 0, busyConcurrency: 1 });
    expect(await patient.runOnce(clock.now())).toMatchObject({ attempts: 1, delivered: 1 });
    expect((await delivery(next.deliveries[0])).status).toBe('delivered');
  });

  it('signs with both secrets while a rotation overlaps, and with the new one alone after', async () => {
    const old = newSecret();
    const rotated = await endpoint(receiver.url('rotated'), { previousSecret: old, previousSecretUntil: new Date(START.getTime() + 24 * HOUR) });
    await event([rotated.id]);
    await dispatcher().runOnce(clock.now());
    const [during] = receiver.of('rotated');
    expect(during.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verify(rotated.secret, during)).toMatchObject({ type: 'task.created' });
    expect(verify(old, during)).toMatchObject({ type: 'task.created' });

    clock.advance(24 * HOUR + 1000);
    await event([rotated.id]);
    await dispatcher().runOnce(clock.now());
    const [, after] = receiver.of('rotated');
    expect(after.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(verify(rotated.secret, after)).toMatchObject({ type: 'task.created' });
    expect(() => verify(old, after)).toThrow('No matching signature');
  });

  it('retries a failing endpoint on the schedule, the same webhook-id each time, and gives up after more than 24 hours', async () => {
    const failing = await endpoint(receiver.url('failing', { kind: 'answer', status: 500, body: 'database down' }));
    const e = await event([failing.id]);
    const d = dispatcher();
    const first = clock.now();
    for (const [i, wait] of RETRY_SCHEDULE_MS.entries()) {
      expect(await d.runOnce(clock.now())).toMatchObject({ attempts: 1, retried: 1 });
      const row = await delivery(e.deliveries[0]);
      expect(row).toMatchObject({ status: 'pending', attempts: i + 1, last_status_code: 500, last_error: 'answered 500', last_response: 'database down' });
      // The lowest jitter: 90% of the step.
      expect(row.next_attempt_at!.getTime() - clock.now().getTime()).toBe(wait * 0.9);
      // Not due before its time.
      clock.set(new Date(row.next_attempt_at!.getTime() - 1000));
      expect((await d.runOnce(clock.now())).attempts).toBe(0);
      clock.set(row.next_attempt_at!);
    }
    expect(await d.runOnce(clock.now())).toMatchObject({ attempts: 1, failed: 1 });
    const row = await delivery(e.deliveries[0]);
    expect(row).toMatchObject({ status: 'failed', attempts: 8, next_attempt_at: null });
    expect(clock.now().getTime() - first.getTime()).toBeGreaterThanOrEqual(24 * HOUR);
    const requests = receiver.of('failing');
    expect(requests).toHaveLength(8);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([e.messageId]));
    for (const r of requests) expect(verify(failing.secret, r)).toMatchObject({ type: 'task.created' });
    clock.advance(48 * HOUR);
    expect((await d.runOnce(clock.now())).attempts).toBe(0);
  });

  it('a 410 fails the delivery and disables the endpoint, whose later deliveries wait unsent; other endpoints get theirs', async () => {
    const gone = await endpoint(receiver.url('gone', { kind: 'answer', status: 410 }));
    const ok = await endpoint(receiver.url('ok'));
    const first = await event([gone.id, ok.id], new Date(START.getTime() - 1000));
    // Due too, and claimed ahead with the first (one request at a time to an endpoint): never sent.
    const second = await event([gone.id]);
    const later = await event([gone.id, ok.id], new Date(START.getTime() + 60_000));
    const d = dispatcher({ perEndpoint: 1 });
    expect(await d.runOnce(clock.now())).toMatchObject({ attempts: 2, delivered: 1, failed: 1, disabled: 1 });
    expect(await delivery(first.deliveries[0])).toMatchObject({ status: 'failed', last_status_code: 410 });
    expect(await delivery(second.deliveries[0])).toMatchObject({ status: 'pending', attempts: 0, claimed_by: null });
    expect(await endpointRow(gone.id)).toMatchObject({ disabled_reason: 'answered 410 Gone', disabled_at: START });

    clock.advance(120_000);
    expect(await d.runOnce(clock.now())).toMatchObject({ attempts: 1, delivered: 1 });
    expect(receiver.of('gone')).toHaveLength(1);
    expect(receiver.of('ok')).toHaveLength(2);
    expect(await delivery(later.deliveries[0])).toMatchObject({ status: 'pending', attempts: 0, claimed_by: null });
    expect(await delivery(later.deliveries[1])).toMatchObject({ status: 'delivered' });
  });

  it('a hanging endpoint holds up neither another endpoint\'s deliveries in the same pass nor the engine', async () => {
    const hung = await endpoint(receiver.url('hung', { kind: 'hang' }));
    const ok = await endpoint(receiver.url('ok'));
    const e = await event([hung.id, ok.id]);
    const engine = new Engine(ctx, defaultEngineOptions('engine-beside-webhooks'));
    const pass = dispatcher({ timeoutMs: 30_000 }).runOnce(clock.now());
    await receiver.waitFor('hung', 1);
    // The other endpoint's delivery is recorded while the hung request is still out.
    await vi.waitFor(async () => expect((await delivery(e.deliveries[1])).status).toBe('delivered'), { timeout: 20_000, interval: 20 });
    expect((await delivery(e.deliveries[0])).status).toBe('pending');
    // The engine's pass goes through meanwhile.
    await expect(engine.runOnce(clock.now())).resolves.toMatchObject({ advanced: 0 });
    await engine.stop();
    receiver.release('hung');
    expect(await pass).toMatchObject({ attempts: 2, delivered: 2 });
  });

  it('an attempt that gets no answer within the timeout is a failure retried later; the pass goes on', async () => {
    const hung = await endpoint(receiver.url('hung', { kind: 'hang' }));
    const ok = await endpoint(receiver.url('ok'));
    const e = await event([hung.id, ok.id]);
    expect(await dispatcher({ timeoutMs: 300 }).runOnce(clock.now())).toMatchObject({ attempts: 2, delivered: 1, retried: 1 });
    expect(await delivery(e.deliveries[0])).toMatchObject({
      status: 'pending', attempts: 1, last_status_code: null, last_error: 'no answer within 0.3 s',
      next_attempt_at: new Date(START.getTime() + 4_500),
    });
  });

  it('keeps at most its per-endpoint cap of requests out to one endpoint; the rest go as they end', async () => {
    const slow = await endpoint(receiver.url('slow', { kind: 'hang' }));
    const ok = await endpoint(receiver.url('ok'));
    for (let i = 0; i < 10; i++) await event([slow.id, ok.id]);
    const pass = dispatcher({ perEndpoint: 3, timeoutMs: 30_000 }).runOnce(clock.now());
    await receiver.waitFor('slow', 3);
    await receiver.waitFor('ok', 10);
    expect(receiver.of('slow')).toHaveLength(3);
    // Answer the slow endpoint's requests as they come, three at a time at most.
    const answer = () => receiver.release('slow');
    receiver.on('request', answer);
    answer();
    try {
      expect(await pass).toMatchObject({ attempts: 20, delivered: 20 });
    } finally {
      receiver.off('request', answer);
    }
    expect(receiver.peakOpen.get('/slow')).toBe(3);
    expect(receiver.of('slow')).toHaveLength(10);
  });

  it('a claim whose worker died is taken over by another dispatcher once its lease ends, and sent with the same webhook-id', async () => {
    const ok = await endpoint(receiver.url('ok'));
    const e = await event([ok.id]);
    // A worker claims it and dies before sending.
    const claimed = await claimDueDeliveries(ctx.db, {
      now: clock.now(), workerId: 'dead-worker', claimUntil: new Date(clock.now().getTime() + 60_000),
      limit: 10, perEndpoint: 8, inFlight: new Map(),
    });
    expect(claimed.map((c) => c.id)).toEqual(e.deliveries);
    const other = dispatcher();
    expect((await other.runOnce(clock.now())).attempts).toBe(0);
    clock.advance(61_000);
    expect(await other.runOnce(clock.now())).toMatchObject({ attempts: 1, delivered: 1 });
    expect(receiver.of('ok').map((r) => r.headers['webhook-id'])).toEqual([e.messageId]);
  });

  it('stopping hands back what it had out: due again at once, no attempt counted', async () => {
    const hung = await endpoint(receiver.url('hung', { kind: 'hang' }));
    const e = await event([hung.id]);
    const d = dispatcher({ timeoutMs: 30_000 });
    d.start();
    await receiver.waitFor('hung', 1);
    await d.stop();
    expect(await delivery(e.deliveries[0])).toMatchObject({ status: 'pending', attempts: 0, claimed_by: null, claim_until: null });
  });

  it('its loop delivers what is written while it runs, reading the manual clock: a retry waits for the clock to move; old settled messages are pruned', async () => {
    const ok = await endpoint(receiver.url('ok'));
    const failing = await endpoint(receiver.url('failing', { kind: 'answer', status: 500 }));
    const old = await event([ok.id], new Date(START.getTime() - 31 * 24 * HOUR));
    await ctx.db.updateTable('webhook_deliveries').set({ status: 'delivered' }).where('id', '=', old.deliveries[0]).execute();
    const d = dispatcher({ pollIntervalMs: 20 });
    d.start();
    const e = await event([ok.id, failing.id]);
    await receiver.waitFor('ok', 1);
    await receiver.waitFor('failing', 1);
    await vi.waitFor(async () => {
      expect(await delivery(e.deliveries[0])).toMatchObject({ status: 'delivered' });
      expect(await delivery(e.deliveries[1])).toMatchObject({ status: 'pending', attempts: 1 });
    }, { timeout: 20_000, interval: 20 });
    // Pruned after the loop's first pass.
    await vi.waitFor(async () => expect(await ctx.db.selectFrom('webhook_messages').select('id').where('id', '=', old.messageId).executeTakeFirst()).toBeUndefined(),
      { timeout: 20_000, interval: 20 });
    // The loop goes on polling; the retry is due 4.5 s later on the manual clock, which stands still.
    const polled = receiver.received.length;
    await vi.waitFor(async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from webhook_deliveries where claimed_by is not null`.execute(ctx.db);
      expect(rows[0].n).toBe(0);
    }, { timeout: 20_000, interval: 20 });
    expect(receiver.received.length).toBe(polled);
    clock.advance(5_000);
    await receiver.waitFor('failing', 2);
    await d.stop();
  });

  it('follows no redirect (a failure), honours a 429\'s Retry-After, keeps the first 1,000 characters of an answer', async () => {
    const moved = await endpoint(receiver.url('moved', { kind: 'answer', status: 302, headers: { location: `${receiver.base}/ok` } }));
    const busy = await endpoint(receiver.url('busy', { kind: 'answer', status: 429, headers: { 'retry-after': '120' } }));
    const wordy = await endpoint(receiver.url('wordy', { kind: 'answer', status: 500, body: 'x'.repeat(200_000) }));
    receiver.url('ok');
    const e = await event([moved.id, busy.id, wordy.id]);
    expect(await dispatcher().runOnce(clock.now())).toMatchObject({ attempts: 3, retried: 3 });
    expect(receiver.of('ok')).toHaveLength(0);
    expect(await delivery(e.deliveries[0])).toMatchObject({ last_status_code: 302, last_error: `answered 302: redirects are not followed (to ${receiver.base}/ok)` });
    expect((await delivery(e.deliveries[1])).next_attempt_at).toEqual(new Date(START.getTime() + 120_000));
    expect((await delivery(e.deliveries[2])).last_response).toBe('x'.repeat(1000));
  });

  it('a manual retry sends a delivery again, the one that failed included; unknown ids are refused', async () => {
    const gone = await endpoint(receiver.url('gone-then-back', { kind: 'answer', status: 410 }));
    const e = await event([gone.id]);
    const d = dispatcher();
    await d.runOnce(clock.now());
    expect(await delivery(e.deliveries[0])).toMatchObject({ status: 'failed' });
    // The admin fixes the receiver and enables the endpoint again, then retries.
    receiver.behave('gone-then-back', { kind: 'answer', status: 204 });
    await ctx.db.updateTable('webhook_endpoints').set({ disabled_at: null, disabled_reason: null }).where('id', '=', gone.id).execute();
    clock.advance(HOUR);
    expect(await retryDelivery(ctx.db, gone.id, e.deliveries[0], clock.now())).toEqual({ id: e.deliveries[0], status: 'pending', nextAttemptAt: clock.now() });
    expect(await d.runOnce(clock.now())).toMatchObject({ attempts: 1, delivered: 1 });
    expect(await delivery(e.deliveries[0])).toMatchObject({ status: 'delivered', attempts: 2, last_status_code: 204 });
    expect(receiver.of('gone-then-back').map((r) => r.headers['webhook-id'])).toEqual([e.messageId, e.messageId]);
    expect(await retryDelivery(ctx.db, randomUUID(), e.deliveries[0], clock.now())).toBeNull();
    expect(await retryDelivery(ctx.db, gone.id, 'not-a-uuid', clock.now())).toBeNull();
  });

  it('counts deliveries by outcome and the due backlog in the metrics', async () => {
    const ok = await endpoint(receiver.url('ok'));
    const failing = await endpoint(receiver.url('failing', { kind: 'answer', status: 500 }));
    await event([ok.id, failing.id]);
    await event([ok.id], new Date(START.getTime() + HOUR));
    await dispatcher().runOnce(clock.now());
    clock.advance(2 * HOUR);
    const { scrapeMetrics } = await import('../../src/ops/metrics-endpoint.ts');
    const text = await scrapeMetrics(ctx);
    expect(text).toContain('cadenza_webhook_deliveries_total{outcome="delivered"} 1');
    expect(text).toContain('cadenza_webhook_deliveries_total{outcome="retried"} 1');
    // Due now: the later event, and the failed one's retry.
    expect(text).toContain('cadenza_webhook_backlog 2');
  });

  it('POST /api/dev/clock delivers what fell due at the new time', async () => {
    const ok = await endpoint(receiver.url('ok'));
    const e = await event([ok.id], new Date(START.getTime() + HOUR));
    const engine = new Engine(ctx, defaultEngineOptions('clock-engine'));
    const app = await buildServer(ctx, { manualClock: clock, engine, webhooks: dispatcher() });
    try {
      const admin = await createUser(ctx, { name: 'Admin', email: 'admin@example.com', role: 'admin' });
      const token = await issueToken(ctx, admin.id);
      const res = await app.inject({ method: 'POST', url: '/api/dev/clock', headers: { authorization: `Bearer ${token}` }, payload: { advance: 'PT2H' } });
      expect(res.statusCode).toBe(200);
      expect(await delivery(e.deliveries[0])).toMatchObject({ status: 'delivered', delivered_at: new Date(START.getTime() + 2 * HOUR) });
    } finally {
      await app.close();
      await engine.stop();
    }
  });

  it('events the engine and the API write are expanded from the outbox and delivered, signed, with the lead in their data', async () => {
    const h = await startHarness(backend, START);
    try {
      const hooks = new WebhookDispatcher(h.ctx, { ...defaultWebhookOptions('flow'), random: () => 0 });
      dispatchers.push(hooks);
      const secret = newSecret();
      await h.database.db.insertInto('webhook_endpoints').values({
        id: randomUUID(), url: receiver.url('flow'), description: null, events: ['enrollment.created', 'task.created', 'enrollment.completed'],
        secret, previous_secret: null, previous_secret_until: null, disabled_at: null, disabled_reason: null,
        created_by: null, created_at: START, updated_at: START,
      }).execute();
      const cadence = await createCadence(h, { name: 'Calls', schedule: ALWAYS_OPEN, waitForTasks: false, steps: [{ type: 'task', title: 'Research {{lead.firstName}}' }] });
      const lead = await createLead(h, { email: 'ada@customer.example', firstName: 'Ada', ownerId: h.reps[0].id, timezone: 'UTC' });
      await enrollOne(h, cadence.id, lead.id);
      await advance(h, 'PT1M');
      expect(await hooks.runOnce(h.clock.now())).toMatchObject({ delivered: 3, failed: 0 });
      const events = receiver.of('flow').map((r) => verify(secret, r) as { type: string; data: { recordId: string; email: string } });
      expect(events.map((e) => e.type).sort()).toEqual(['enrollment.completed', 'enrollment.created', 'task.created']);
      for (const e of events) expect(e.data).toMatchObject({ recordId: lead.id, email: 'ada@customer.example' });
    } finally {
      await h.close();
    }
  });

  it('claims with SKIP LOCKED: two dispatchers at once send each delivery once', async () => {
    const ok = await endpoint(receiver.url('ok'));
    for (let i = 0; i < 40; i++) await event([ok.id]);
    const [a, b] = await Promise.all([dispatcher().runOnce(clock.now()), dispatcher().runOnce(clock.now())]);
    expect(a.delivered + b.delivered).toBe(40);
    expect(receiver.of('ok')).toHaveLength(40);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from webhook_deliveries where status = 'delivered'`.execute(ctx.db);
    expect(rows[0].n).toBe(40);
  });
});
