/**
 * The transactional outbox (migration 0016): every event of API.md's list is written
 * to webhook_messages, with a pending delivery per enabled endpoint subscribed to it,
 * by the statement that made the change, whichever path made it (the engine, the API,
 * tracking links, inbound mail). Driven through the real flows on the manual clock.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { webhookEventPayload, type WebhookEventPayload } from '../../src/contract/webhooks.ts';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../src/contract/enums.ts';
import { expandWebhookEvents, listWebhookMessages, pruneWebhookMessages, type OutboxMessage } from '../../src/store/webhook-outbox.repository.ts';
import { BACKENDS } from '../support/backends.ts';
import type { Harness } from '../support/harness.ts';
import { sinkAndHarness } from '../support/sink-harness.ts';
import { ALWAYS_OPEN, advance, createCadence, createLead, dsnBounce, enrollOne, postInbound, replyMessage, send } from '../api/helpers.ts';

const HUMAN = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';

async function addEndpoint(h: Harness, events: readonly string[], disabled = false): Promise<string> {
  const id = randomUUID();
  const now = h.clock.now();
  await h.database.db.insertInto('webhook_endpoints').values({
    id, url: `https://hooks.example/${id}`, description: null, events: [...events], secret: `whsec_${Buffer.from(id).toString('base64')}`,
    previous_secret: null, previous_secret_until: null, disabled_at: disabled ? now : null,
    disabled_reason: disabled ? 'disabled by an admin' : null, created_by: null, created_at: now, updated_at: now,
  }).execute();
  return id;
}

/** The messages, once the events written so far are expanded (as the dispatcher does first in each pass). */
const messages = async (h: Harness, type?: string) => {
  await expandWebhookEvents(h.database.db);
  return listWebhookMessages(h.database.db, { type });
};

/** The message as the receiver gets it, checked against the contract's schema. */
function payload(m: OutboxMessage) {
  return webhookEventPayload.parse({ type: m.type, timestamp: m.at.toISOString(), data: m.data });
}

describe.each(BACKENDS)('the webhook outbox on %s', (backend) => {
  const env = sinkAndHarness(backend);

  /** A cadence: an email with a link, a call, a second email a day after the call. */
  async function cadence(h: Harness) {
    return createCadence(h, {
      name: 'Outbound',
      schedule: ALWAYS_OPEN,
      steps: [
        { type: 'email', subject: 'Hello {{lead.firstName}}', body: '<p>Hi {{lead.firstName}}, see <a href="https://acme.example/pricing">our prices</a></p>' },
        { type: 'call', title: 'Call {{lead.firstName}}' },
        { type: 'email', delayDays: 1, subject: 'Following up', body: 'Second touch' },
      ],
    });
  }

  async function enrolled(h: Harness, cadenceId: string, email: string) {
    const lead = await createLead(h, { email, firstName: email.split('@')[0], ownerId: h.reps[0].id, timezone: 'UTC' });
    const enrollmentId = await enrollOne(h, cadenceId, lead.id);
    return { lead, enrollmentId };
  }

  const firstEmail = async (h: Harness, enrollmentId: string) =>
    (await h.database.db.selectFrom('emails').selectAll().where('enrollment_id', '=', enrollmentId).orderBy('queued_at').executeTakeFirstOrThrow());

  /**
   * Four leads through one cadence, each event of the list at a known instant:
   * Ada opens, clicks, has her call done and completes; Bob replies; Cy bounces; Dee unsubscribes.
   */
  async function drive(h: Harness) {
    const c = await cadence(h);
    const leads = {} as Record<'ada' | 'bob' | 'cy' | 'dee', { lead: any; enrollmentId: string }>;
    for (const name of ['ada', 'bob', 'cy', 'dee'] as const) leads[name] = await enrolled(h, c.id, `${name}@customer.example`);
    const enrolledAt = h.clock.now();
    await advance(h, 'PT1M'); // the first emails go, the calls fall due
    const sentAt = h.clock.now();

    const adaEmail = await firstEmail(h, leads.ada.enrollmentId);
    await advance(h, 'PT1H');
    expect((await send(h, { method: 'GET', url: `/t/o/${adaEmail.token}`, headers: { 'user-agent': HUMAN } })).status).toBe(200);
    const openedAt = h.clock.now();
    await advance(h, 'PT1H');
    const click = await send(h, { method: 'GET', url: `/t/c/${adaEmail.token}.0`, headers: { 'user-agent': HUMAN } });
    expect(click.status).toBe(302);
    const clickedAt = h.clock.now();

    await advance(h, 'PT1H');
    const bobEmail = await firstEmail(h, leads.bob.enrollmentId);
    expect((await postInbound(h, replyMessage('bob@customer.example', bobEmail.message_id))).body).toMatchObject({ kind: 'reply', matched: true });
    const repliedAt = h.clock.now();

    await advance(h, 'PT1H');
    expect((await postInbound(h, dsnBounce('cy@customer.example'))).body).toMatchObject({ kind: 'bounce' });
    const bouncedAt = h.clock.now();

    await advance(h, 'PT1H');
    const deeEmail = await firstEmail(h, leads.dee.enrollmentId);
    const unsub = await send(h, { method: 'POST', url: `/u/${deeEmail.token}`, payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(unsub.status).toBe(200);
    const unsubscribedAt = h.clock.now();

    await advance(h, 'PT1H');
    const [call] = (await h.api('GET', `/api/tasks?status=open&enrollmentId=${leads.ada.enrollmentId}`)).body.items;
    expect((await h.api('POST', `/api/tasks/${call.id}/complete`, { outcome: 'connected' }, h.reps[0].token)).status).toBe(200);
    const calledAt = h.clock.now();
    await advance(h, 'P1D'); // Ada's second email, and the end of her cadence
    const completedAt = h.clock.now();
    expect((await h.api('GET', `/api/enrollments/${leads.ada.enrollmentId}`)).body.status).toBe('completed');
    return { c, leads, call, adaEmail, bobEmail, deeEmail, at: { enrolledAt, sentAt, openedAt, clickedAt, repliedAt, bouncedAt, unsubscribedAt, calledAt, completedAt } };
  }

  it('writes each event once, with its data, at the instant it happened', async () => {
    const { h } = env;
    const all = await addEndpoint(h, WEBHOOK_EVENTS);
    const w = await drive(h);
    const got = await messages(h);
    const iso = (d: Date) => d.toISOString();
    const byType = <T extends WebhookEvent>(type: T) =>
      got.filter((m) => m.type === type).map((m) => payload(m) as Extract<WebhookEventPayload, { type: T }>);

    // Every message parses with the contract's schema, its timestamp is its data's `at`, and it is to be delivered to the endpoint.
    for (const m of got) {
      expect(payload(m).timestamp).toBe(m.data.at);
      expect(m.endpointIds).toEqual([all]);
      expect(m.id).toMatch(/^msg_[0-9a-f]{32}$/);
    }
    expect(new Set(got.map((m) => m.id)).size).toBe(got.length);
    const counts = Object.fromEntries(WEBHOOK_EVENTS.map((t) => [t, got.filter((m) => m.type === t).length]));
    expect(counts).toEqual({
      'enrollment.created': 4, 'enrollment.exited': 3, 'enrollment.completed': 1,
      'email.sent': 5, 'email.opened': 1, 'email.clicked': 1, 'email.replied': 1, 'email.bounced': 1,
      'lead.unsubscribed': 1, 'task.created': 4, 'task.completed': 1,
    });

    const { ada, bob, cy, dee } = w.leads;
    expect(byType('enrollment.created').map((p) => p.data)).toEqual(expect.arrayContaining([{
      enrollmentId: ada.enrollmentId, cadenceId: w.c.id, recordId: ada.lead.id, email: 'ada@customer.example',
      status: 'active', exitReason: null, at: iso(w.at.enrolledAt),
    }]));
    expect(byType('enrollment.exited').map((p) => [p.data.recordId, p.data.exitReason, p.data.status, p.timestamp])).toEqual(expect.arrayContaining([
      [bob.lead.id, 'replied', 'exited', iso(w.at.repliedAt)],
      [cy.lead.id, 'bounced', 'exited', iso(w.at.bouncedAt)],
      [dee.lead.id, 'unsubscribed', 'exited', iso(w.at.unsubscribedAt)],
    ]));
    expect(byType('enrollment.completed')[0]).toEqual({ type: 'enrollment.completed', timestamp: iso(w.at.completedAt), data: {
      enrollmentId: ada.enrollmentId, cadenceId: w.c.id, recordId: ada.lead.id, email: 'ada@customer.example',
      status: 'completed', exitReason: null, at: iso(w.at.completedAt),
    } });

    const sent = byType('email.sent');
    expect(sent.find((p) => p.data.emailId === w.adaEmail.id)).toEqual({ type: 'email.sent', timestamp: iso(w.at.sentAt), data: {
      emailId: w.adaEmail.id, enrollmentId: ada.enrollmentId, cadenceId: w.c.id, stepId: w.c.steps[0].id, recordId: ada.lead.id,
      email: 'ada@customer.example', messageId: w.adaEmail.message_id, subject: 'Hello ada', at: iso(w.at.sentAt),
    } });
    expect(sent.filter((p) => p.data.recordId === ada.lead.id).map((p) => [p.data.subject, p.timestamp]))
      .toEqual([['Hello ada', iso(w.at.sentAt)], ['Following up', iso(w.at.completedAt)]]);

    const emailIds = { emailId: w.adaEmail.id, enrollmentId: ada.enrollmentId, stepId: w.c.steps[0].id, recordId: ada.lead.id, email: 'ada@customer.example' };
    expect(byType('email.opened')).toEqual([{ type: 'email.opened', timestamp: iso(w.at.openedAt), data: { ...emailIds, machine: false, at: iso(w.at.openedAt) } }]);
    expect(byType('email.clicked')).toEqual([{ type: 'email.clicked', timestamp: iso(w.at.clickedAt),
      data: { ...emailIds, machine: false, url: 'https://acme.example/pricing', at: iso(w.at.clickedAt) } }]);
    expect(byType('email.replied')).toEqual([{ type: 'email.replied', timestamp: iso(w.at.repliedAt), data: {
      emailId: w.bobEmail.id, enrollmentId: bob.enrollmentId, stepId: w.c.steps[0].id, recordId: bob.lead.id,
      email: 'bob@customer.example', at: iso(w.at.repliedAt) } }]);
    expect(byType('email.bounced')).toEqual([{ type: 'email.bounced', timestamp: iso(w.at.bouncedAt), data: expect.objectContaining({
      recordId: cy.lead.id, email: 'cy@customer.example', at: iso(w.at.bouncedAt) }) }]);
    expect(byType('lead.unsubscribed')).toEqual([{ type: 'lead.unsubscribed', timestamp: iso(w.at.unsubscribedAt),
      data: { recordId: dee.lead.id, email: 'dee@customer.example', at: iso(w.at.unsubscribedAt) } }]);

    const taskData = { taskId: w.call.id, enrollmentId: ada.enrollmentId, stepId: w.c.steps[1].id, recordId: ada.lead.id,
      email: 'ada@customer.example', ownerId: h.reps[0].id, type: 'call', title: 'Call ada', dueAt: w.call.dueAt };
    expect(byType('task.created').find((p) => p.data.taskId === w.call.id)).toEqual({ type: 'task.created', timestamp: iso(w.at.sentAt),
      data: { ...taskData, at: iso(w.at.sentAt) } });
    expect(byType('task.completed')).toEqual([{ type: 'task.completed', timestamp: iso(w.at.calledAt),
      data: { ...taskData, outcome: 'connected', at: iso(w.at.calledAt) } }]);

    // One pending delivery per message, due at the event's instant.
    const deliveries = await h.database.db.selectFrom('webhook_deliveries as d').innerJoin('webhook_messages as m', 'm.id', 'd.message_id')
      .select(['d.status', 'd.attempts', 'd.next_attempt_at', 'd.created_at', 'm.at']).execute();
    expect(deliveries).toHaveLength(got.length);
    for (const d of deliveries) {
      expect(d).toMatchObject({ status: 'pending', attempts: 0 });
      expect([d.next_attempt_at?.getTime(), d.created_at.getTime()]).toEqual([d.at.getTime(), d.at.getTime()]);
    }
  }, 180_000); // the first test of a file also warms PGlite up: minutes on a busy machine

  it('delivers each event only to the enabled endpoints subscribed to it, and keeps none that nobody wants', async () => {
    const { h } = env;
    const sentOnly = await addEndpoint(h, ['email.sent']);
    const tasks = await addEndpoint(h, ['task.created', 'task.completed', 'email.sent']);
    await addEndpoint(h, WEBHOOK_EVENTS, true); // disabled: gets nothing, and keeps no other type alive
    await drive(h);
    const got = await messages(h);
    expect(new Set(got.map((m) => m.type))).toEqual(new Set(['email.sent', 'task.created', 'task.completed']));
    for (const m of got) expect(m.endpointIds).toEqual(m.type === 'email.sent' ? [sentOnly, tasks].sort() : [tasks]);
    expect(got.filter((m) => m.type === 'email.sent')).toHaveLength(5);
  }, 120_000);

  it('writes nothing without an enabled endpoint', async () => {
    const { h } = env;
    await addEndpoint(h, WEBHOOK_EVENTS, true);
    await drive(h);
    expect(await messages(h)).toEqual([]);
    const [{ n }] = (await sql<{ n: number }>`select count(*)::int as n from webhook_deliveries`.execute(h.database.db)).rows;
    expect(n).toBe(0);
  }, 120_000);

  it('writes no event for a change that rolled back', async () => {
    const { h } = env;
    await addEndpoint(h, WEBHOOK_EVENTS);
    const c = await cadence(h);
    const { lead, enrollmentId } = await enrolled(h, c.id, 'ada@customer.example');
    await advance(h, 'PT1M');
    const before = await messages(h);
    const email = await firstEmail(h, enrollmentId);
    const [call] = (await h.api('GET', `/api/tasks?status=open&enrollmentId=${enrollmentId}`)).body.items;
    const failure = h.database.db.transaction().execute(async (trx) => {
      const now = h.clock.now();
      await trx.insertInto('signals').values({ id: randomUUID(), type: 'replied', record_id: lead.id, enrollment_id: enrollmentId,
        email_id: email.id, step_id: email.step_id, machine: false, data: '{}', at: now }).execute();
      await trx.updateTable('tasks').set({ status: 'completed', outcome: 'connected', completed_at: now }).where('id', '=', call.id).execute();
      await trx.updateTable('enrollments').set({ status: 'exited', exit_reason: 'manual', ended_at: now, updated_at: now }).where('id', '=', enrollmentId).execute();
      await trx.updateTable('leads').set({ unsubscribed: true, updated_at: now }).where('id', '=', lead.id).execute();
      // The triggers did write, inside the transaction...
      expect(await expandWebhookEvents(trx)).toBe(4);
      expect((await listWebhookMessages(trx)).length).toBe(before.length + 4);
      throw new Error('the change fails after its events were written');
    });
    await expect(failure).rejects.toThrow('the change fails');
    // ...and nothing of it is left.
    expect(await messages(h)).toEqual(before);
    expect((await h.api('GET', `/api/enrollments/${enrollmentId}`)).body.status).toBe('active');
  });

  it('says when an open was a machine\'s', async () => {
    const { h } = env;
    await addEndpoint(h, ['email.opened']);
    const c = await cadence(h);
    const { enrollmentId } = await enrolled(h, c.id, 'ada@customer.example');
    await advance(h, 'PT1M');
    const email = await firstEmail(h, enrollmentId);
    await send(h, { method: 'GET', url: `/t/o/${email.token}`, headers: { 'user-agent': 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)' } });
    await advance(h, 'PT1H');
    await send(h, { method: 'GET', url: `/t/o/${email.token}`, headers: { 'user-agent': HUMAN } });
    expect((await messages(h)).map((m) => [m.type, m.data.machine])).toEqual([['email.opened', true], ['email.opened', false]]);
  });

  it('counts a status change once: a row updated again says nothing twice', async () => {
    const { h } = env;
    await addEndpoint(h, WEBHOOK_EVENTS);
    const c = await cadence(h);
    const { enrollmentId } = await enrolled(h, c.id, 'ada@customer.example');
    const exit = await h.api('POST', `/api/enrollments/${enrollmentId}/exit`);
    expect(exit.status, JSON.stringify(exit.body)).toBe(200);
    const now = h.clock.now();
    await h.database.db.updateTable('enrollments').set({ updated_at: now, exit_reason: 'manual' }).where('id', '=', enrollmentId).execute();
    expect((await messages(h, 'enrollment.exited')).map((m) => m.data.exitReason)).toEqual(['manual']);
  });

  it('erasing a lead erases the messages about it, and pruning drops old settled messages only', async () => {
    const { h } = env;
    await addEndpoint(h, WEBHOOK_EVENTS);
    const c = await cadence(h);
    const ada = await enrolled(h, c.id, 'ada@customer.example');
    const bob = await enrolled(h, c.id, 'bob@customer.example');
    await advance(h, 'PT1M');
    const erase = await h.api('DELETE', `/api/leads/${ada.lead.id}`);
    expect(erase.status, JSON.stringify(erase.body)).toBeLessThan(300);
    const left = await messages(h);
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((m) => m.data.recordId === bob.lead.id)).toBe(true);
    expect(JSON.stringify(left)).not.toContain('ada@customer.example');

    // Bob's email.sent delivered, the others pending: a month later only the settled one goes.
    const sent = left.find((m) => m.type === 'email.sent')!;
    await h.database.db.updateTable('webhook_deliveries').set({ status: 'delivered', delivered_at: h.clock.now() }).where('message_id', '=', sent.id).execute();
    expect(await pruneWebhookMessages(h.database.db, h.clock.now())).toBe(0); // not older than the cut
    const later = new Date(h.clock.now().getTime() + 31 * 24 * 3600_000);
    expect(await pruneWebhookMessages(h.database.db, later, 1)).toBe(1);
    expect((await messages(h)).map((m) => m.id)).toEqual(left.filter((m) => m.id !== sent.id).map((m) => m.id));
  });

  it('a batch of 1,000 task steps: one event each, timed with and without an endpoint', async () => {
    const { h } = env;
    const timed = async (withEndpoint: boolean) => {
      const c = await createCadence(h, { name: `Calls ${withEndpoint}`, schedule: ALWAYS_OPEN, steps: [{ type: 'task', title: 'Research {{lead.firstName}}' }] });
      const imported = await h.api('POST', '/api/leads/bulk', { records: Array.from({ length: 1000 }, (_, i) => ({ email: `l${i}-${withEndpoint}@bulk.example`, ownerId: h.reps[0].id })) });
      expect(imported.status, JSON.stringify(imported.body).slice(0, 500)).toBeLessThan(300);
      const ids: string[] = imported.body.created ?? imported.body.items?.map((l: { id: string }) => l.id);
      const res = await h.api('POST', `/api/cadences/${c.id}/enrollments`, { recordIds: ids });
      expect(res.body.enrolled).toHaveLength(1000);
      const started = performance.now();
      await advance(h, 'PT1M');
      const ms = performance.now() - started;
      const [{ n }] = (await sql<{ n: number }>`select count(*)::int as n from tasks t join enrollments e on e.id = t.enrollment_id
        where e.cadence_id = ${c.id}`.execute(h.database.db)).rows;
      expect(n).toBe(1000);
      return ms;
    };
    const without = await timed(false);
    expect(await messages(h)).toEqual([]);
    await addEndpoint(h, WEBHOOK_EVENTS);
    const withHooks = await timed(true);
    expect(await messages(h, 'task.created')).toHaveLength(1000);
    console.log(`[webhook-outbox ${backend}] 1,000 task steps: ${without.toFixed(0)} ms without an endpoint, ${withHooks.toFixed(0)} ms with one`);
  }, 120_000);
});
