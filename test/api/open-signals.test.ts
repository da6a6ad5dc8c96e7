import { randomUUID } from 'node:crypto';
import { sql, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoneIntentBatcher } from '../../src/app/lone-intents.ts';
import { loneIntentsStatement } from '../../src/store/signal.repository.ts';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, advance, createCadence, createLead, enrollOne, expectError, rowCounts } from './helpers.ts';

/**
 * Opens and clicks: most are recorded in one statement (no boost can fire), the rest
 * take the transaction that fires boosts. Either way an open is recorded, flagged as a
 * machine's when it is one, and feeds boosts, conditions and stats as before.
 */
describe.each(BACKENDS)('opens and clicks on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(backend); });
  afterAll(() => h.close());

  const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15';
  const PROXY = 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)';
  const pixel = (token: string, ua = BROWSER) => h.app.inject({ method: 'GET', url: `/t/o/${token}`, headers: { 'user-agent': ua } });
  const emailOf = (enrollmentId: string) =>
    h.ctx.db.selectFrom('emails').select(['id', 'token', 'message_id', 'step_id', 'sent_at']).where('enrollment_id', '=', enrollmentId)
      .orderBy('queued_at').executeTakeFirstOrThrow();
  const signalsOf = (recordId: string) =>
    h.ctx.db.selectFrom('signals').select(['type', 'machine', 'email_id', 'enrollment_id', 'step_id'])
      .where('record_id', '=', recordId).orderBy('at').orderBy('machine', 'desc').execute();
  const tasksOf = async (enrollmentId: string) => (await h.api('GET', `/api/tasks?enrollmentId=${enrollmentId}`)).body.items;

  /** A lead of rep 1 enrolled in a fresh cadence whose first step, an email, has been sent. */
  async function enrolledAndSent(cadence: Record<string, unknown>) {
    const lead = await createLead(h, { email: `open-${randomUUID()}@example.com`, firstName: 'Ada', ownerId: h.reps[0].id });
    const c = await createCadence(h, { name: `Opens ${randomUUID()}`, schedule: ALWAYS_OPEN, ...cadence });
    const enrollmentId = await enrollOne(h, c.id, lead.id);
    await advance(h, 'PT1M');
    const email = await emailOf(enrollmentId);
    expect(email.sent_at).not.toBeNull();
    return { lead, cadence: c, enrollmentId, email };
  }

  it('pixel opens fire an open boost once its count of human opens is reached; opens on delivery and by proxies count for nothing', async () => {
    const { lead, cadence, enrollmentId, email } = await enrolledAndSent({
      steps: [{ type: 'email', subject: 'Hi', body: 'Hello' }, { type: 'call', delayDays: 3, title: 'Call' }],
      boosts: [{ on: 'opened', stepIndex: 0, minCount: 2, action: { type: 'call', title: 'Hot: {{lead.firstName}} opened' } }],
    });
    // Fetched within seconds of sending: a privacy proxy, whatever its user agent says.
    expect((await pixel(email.token)).headers['content-type']).toBe('image/gif');
    await advance(h, 'PT1H');
    await pixel(email.token, PROXY);
    await pixel(email.token);
    expect(await tasksOf(enrollmentId)).toEqual([]);
    await pixel(email.token);
    const tasks = await tasksOf(enrollmentId);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ type: 'call', title: 'Hot: Ada opened', status: 'open' });
    await pixel(email.token);
    expect(await tasksOf(enrollmentId)).toHaveLength(1);

    const signals = await signalsOf(lead.id);
    expect(signals.map((s) => s.machine)).toEqual([true, true, false, false, false]);
    expect(signals.every((s) => s.type === 'opened' && s.email_id === email.id && s.enrollment_id === enrollmentId && s.step_id === email.step_id)).toBe(true);
    const stats = (await h.api('GET', `/api/cadences/${cadence.id}/stats`)).body.steps[0];
    expect(stats).toMatchObject({ sent: 1, opened: 1 }); // enrolments that opened, by people
  });

  it('an open of an enrolment that has ended is recorded and fires nothing', async () => {
    const { lead, enrollmentId, email } = await enrolledAndSent({
      steps: [{ type: 'email', subject: 'Hi', body: 'Hello' }, { type: 'call', delayDays: 3, title: 'Call' }],
      boosts: [{ on: 'opened', stepIndex: 0, action: { type: 'call', title: 'Hot' } }],
    });
    await h.api('POST', `/api/enrollments/${enrollmentId}/exit`);
    await advance(h, 'PT1H');
    await pixel(email.token);
    expect(await signalsOf(lead.id)).toMatchObject([{ type: 'opened', machine: false, enrollment_id: enrollmentId }]);
    expect((await tasksOf(enrollmentId)).filter((t: { title: string }) => t.title === 'Hot')).toEqual([]);
  });

  it('an open posted by a rep for its own lead counts for a condition on that step; a lead without one skips the step', async () => {
    const steps = [
      { type: 'email', subject: 'Hi', body: 'Hello' },
      { type: 'call', delayDays: 1, title: 'Follow up the open', condition: { stepIndex: 0, is: 'opened' } },
    ];
    const opened = await enrolledAndSent({ steps });
    const quiet = await enrolledAndSent({ steps });
    await advance(h, 'PT1H');
    const res = await h.api('POST', '/api/signals', { type: 'opened', messageId: opened.email.message_id }, h.reps[0].token);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: true, recordId: opened.lead.id, exited: [], boosts: [] });
    await advance(h, 'P1D');
    expect((await tasksOf(opened.enrollmentId)).map((t: { title: string }) => t.title)).toEqual(['Follow up the open']);
    expect(await tasksOf(quiet.enrollmentId)).toEqual([]);
  });

  it('refuses an open of another rep\u2019s lead (404), or naming one message and another record (400), and records nothing', async () => {
    const { lead, email } = await enrolledAndSent({ steps: [{ type: 'email', subject: 'Hi', body: 'Hello' }] });
    const other = await createLead(h, { email: `other-${randomUUID()}@example.com`, ownerId: h.reps[1].id });
    const before = await rowCounts(h);
    expectError(await h.api('POST', '/api/signals', { type: 'opened', recordId: lead.id }, h.reps[1].token), 404, 'not_found');
    expectError(await h.api('POST', '/api/signals', { type: 'clicked', messageId: email.message_id }, h.reps[1].token), 404, 'not_found');
    expectError(await h.api('POST', '/api/signals', { type: 'opened', messageId: email.message_id, recordId: other.id }), 400, 'invalid_request');
    expectError(await h.api('POST', '/api/signals', { type: 'opened', messageId: `<${randomUUID()}@nowhere.example>` }), 404, 'not_found');
    expect(await rowCounts(h)).toEqual(before);
  });

  it('thirty pixel opens arriving together are each recorded and flagged, and the one boost fires once', async () => {
    const boosted = await enrolledAndSent({
      steps: [{ type: 'email', subject: 'Hi', body: 'Hello' }, { type: 'call', delayDays: 3, title: 'Call' }],
      boosts: [{ on: 'opened', action: { type: 'call', title: 'Hot' } }],
    });
    const plain = await enrolledAndSent({ steps: [{ type: 'email', subject: 'Hi', body: 'Hello' }, { type: 'call', delayDays: 3, title: 'Call' }] });
    await advance(h, 'PT1H');
    await Promise.all(Array.from({ length: 30 }, (_, i) =>
      pixel(i % 3 === 0 ? boosted.email.token : plain.email.token, i % 2 === 0 ? PROXY : BROWSER)));
    const mark = (rows: Array<{ machine: boolean }>) => rows.map((r) => r.machine).sort();
    expect(mark(await signalsOf(boosted.lead.id))).toEqual([...Array(5).fill(false), ...Array(5).fill(true)]);
    expect(mark(await signalsOf(plain.lead.id))).toEqual([...Array(10).fill(false), ...Array(10).fill(true)]);
    expect((await tasksOf(boosted.enrollmentId)).map((t: { title: string }) => t.title)).toEqual(['Hot']);
  });

  it('opens that arrive while a statement is out share the next one; one that cannot be written fails alone', async () => {
    const { email, lead } = await enrolledAndSent({ steps: [{ type: 'email', subject: 'Hi', body: 'Hello' }] });
    let statements = 0;
    const counting: KyselyPlugin = { transformQuery: (a) => { statements++; return a.node; }, transformResult: async (a) => a.result };
    const batcher = new LoneIntentBatcher(h.ctx.db.withPlugin(counting), 1);
    const open = (data = '{}') => ({
      id: randomUUID(), type: 'opened' as const, target: { token: email.token }, machine: false,
      machineIfSentAfter: null, visibleTo: null, data, at: h.clock.now(),
    });
    const items = Array.from({ length: 20 }, () => open());
    const recorded = await Promise.all(items.map((item) => batcher.record(item)));
    expect(recorded.map((r) => r?.id)).toEqual(items.map((i) => i.id));
    expect(statements).toBe(2); // the first alone, the nineteen that waited for it together
    const outcomes = await Promise.allSettled([open(), open('{not json'), open()].map((item) => batcher.record(item)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await signalsOf(lead.id)).toHaveLength(22);
  });

  it('probes each open\u2019s email and record by index, even on a leads table with no statistics yet', async () => {
    await sql`
      insert into leads (id, module, email, status, owner_id, fields, created_at, updated_at)
      select gen_random_uuid(), 'lead', 'nostats' || g || '@example.com', 'New', ${h.reps[0].id}, '{}', now(), now()
      from generate_series(1, 3000) g`.execute(h.ctx.db);
    const open = (target: { token: string } | { recordId: string }) => ({
      id: randomUUID(), type: 'opened' as const, target, machine: false, machineIfSentAfter: null, visibleTo: null, data: '{}', at: h.clock.now(),
    });
    const items = Array.from({ length: 8 }, (_, i) => (i % 2 ? open({ token: `token-${i}` }) : open({ recordId: randomUUID() })));
    const plan = JSON.stringify((await sql`explain (format json) ${loneIntentsStatement(items)}`.execute(h.ctx.db)).rows);
    expect(plan).toContain('leads_pkey');
    expect(plan).not.toMatch(/Seq Scan[^}]*"Relation Name":"leads"/);
  });

  it('a pixel with a token nobody sent still answers the GIF and records nothing', async () => {
    const before = await rowCounts(h);
    const res = await pixel('no-such-token');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/gif');
    expect(await rowCounts(h)).toEqual(before);
  });
});
