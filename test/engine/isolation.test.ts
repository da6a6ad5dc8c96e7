import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, createCadence, createLead, enrollOne } from '../api/helpers.ts';
import { timeLimitHits } from '../../src/domain/render-limits.ts';

// A message this test cannot compose: the composer throws for it, and only for it.
vi.mock('../../src/mail/compose.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/mail/compose.ts')>();
  return {
    ...actual,
    composeRaw: (msg: Parameters<typeof actual.composeRaw>[0], extra?: Parameters<typeof actual.composeRaw>[1]) => {
      if (msg.subject.includes('uncomposable')) throw new Error('the composer gave up on this one');
      return actual.composeRaw(msg, extra);
    },
  };
});

/**
 * One enrolment's bad step (a template over the render limits, data a constraint
 * refuses, a message that cannot be composed) fails that enrolment or email alone,
 * with a reason the API shows; the rest of its batch commits and the engine settles.
 */
describe.each(BACKENDS)('a failing step is isolated on %s', (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(backend);
  });
  afterEach(() => h.close());

  const lead = (email: string, extra: Record<string, unknown> = {}) =>
    createLead(h, { email, firstName: email.split('@')[0], ownerId: h.reps[0].id, timezone: 'UTC', ...extra });
  const emailsOf = async (enrollmentId: string) => (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items;
  const enrollment = async (id: string) => (await h.api('GET', `/api/enrollments/${id}`)).body;

  it('a template over the render limits fails its enrolment alone; every other enrolment advances and sends', async () => {
    const healthy = await createCadence(h, {
      name: 'Healthy', schedule: ALWAYS_OPEN,
      steps: [{ type: 'email', subject: 'Hello {{lead.firstName}}', body: 'Hi {{lead.firstName}}' }],
    });
    // Fine for most leads; a lead whose custom field asks for a hundred million rounds is not.
    const dataDriven = await createCadence(h, {
      name: 'Loops', schedule: ALWAYS_OPEN,
      steps: [{ type: 'email', subject: 'Hello', body: '{% for i in (1..lead.fields.rounds) %}Hi {% endfor %}there' }],
    });
    // Saved before templates were test-rendered: its body can never render.
    const legacy = await createCadence(h, {
      name: 'Legacy', schedule: ALWAYS_OPEN,
      steps: [{ type: 'call', title: 'Call {{lead.firstName}}' }],
    });
    await sql`update cadence_versions set definition = jsonb_set(definition, '{steps,0,title}',
      to_jsonb(${'{% for i in (1..100000000) %}{% for j in (1..100000000) %}x{% endfor %}{% endfor %}'}::text))
      where cadence_id = ${legacy.id}`.execute(h.ctx.db);

    const ok1 = await enrollOne(h, healthy.id, (await lead('ok1@example.com')).id);
    const ok2 = await enrollOne(h, healthy.id, (await lead('ok2@example.com')).id);
    const fewRounds = await enrollOne(h, dataDriven.id, (await lead('few@example.com', { fields: { rounds: 2 } })).id);
    const tooMany = await enrollOne(h, dataDriven.id, (await lead('many@example.com', { fields: { rounds: 100_000_000 } })).id);
    const neverRenders = await enrollOne(h, legacy.id, (await lead('legacy@example.com')).id);

    const moved = await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);

    for (const id of [ok1, ok2, fewRounds]) {
      expect(await enrollment(id)).toMatchObject({ status: 'completed' });
      expect((await emailsOf(id)).map((e: { status: string }) => e.status)).toEqual(['sent']);
    }
    const outbox = (await h.api('GET', '/api/dev/outbox')).body.items;
    expect(outbox.map((o: { to: string }) => o.to).sort()).toEqual(['few@example.com', 'ok1@example.com', 'ok2@example.com']);

    const failed = await enrollment(tooMany);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/step 1 \(email\).*body.*memory alloc limit exceeded/);
    expect(await emailsOf(tooMany)).toEqual([]);
    const legacyFailed = await enrollment(neverRenders);
    expect(legacyFailed.status).toBe('failed');
    expect(legacyFailed.failureReason).toMatch(/step 1 \(call\).*title.*limit exceeded/);

    // The listing carries the reason too, and the failures show in the cadence's stats.
    const listed = (await h.api('GET', `/api/enrollments?cadenceId=${dataDriven.id}&status=failed`)).body;
    const items = Array.isArray(listed) ? listed : listed.items;
    expect(items.map((e: { id: string; failureReason?: string }) => [e.id, typeof e.failureReason])).toEqual([[tooMany, 'string']]);
    expect((await h.api('GET', `/api/cadences/${dataDriven.id}/stats`)).body.enrollments).toMatchObject({ completed: 1, failed: 1 });

    // Settled: nothing is due any more, so another pass has nothing to retry.
    expect(await h.engine.runOnce(h.clock.now())).toMatchObject({ advanced: 0, sent: 0 });
  });

  it('an email of 300 KB of unclosed nesting is tracked and sent (a DOM parse of it took minutes, outside the render limits)', async () => {
    const body = `<html><body>{% for i in (1..600) %}${'<div>'.repeat(100)}{% endfor %}<a href="https://example.com/deep">deep</a></body></html>`;
    const cadence = await createCadence(h, { name: 'Nested', schedule: ALWAYS_OPEN, steps: [{ type: 'email', subject: 'Deep', body }] });
    const id = await enrollOne(h, cadence.id, (await lead('deep@example.com')).id);
    const moved = await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const [sent] = await emailsOf(id);
    expect(sent.status).toBe('sent');
    const row = await h.ctx.db.selectFrom('emails').select(['html', 'links']).where('id', '=', sent.id).executeTakeFirstOrThrow();
    expect(row.html.length).toBeGreaterThan(300_000);
    expect(row.html).not.toContain('https://example.com/deep');
    expect(row.links).toEqual(['https://example.com/deep']);
    expect(await enrollment(id)).toMatchObject({ status: 'completed' });
  });

  it('a template that runs out of time on its leads\u2019 data holds the batch for one full limit, not one per lead', async () => {
    // The save check's sample lead has no `rounds`: only these leads' data makes the body slow.
    const cadence = await createCadence(h, {
      name: 'Slow for some', schedule: ALWAYS_OPEN,
      steps: [{ type: 'email', subject: 'Hi', body: '{% for i in (1..lead.fields.rounds) %}{% for j in (1..lead.fields.rounds) %}{% endfor %}{% endfor %}Hello' }],
    });
    const slow: string[] = [];
    for (let i = 0; i < 20; i++) slow.push(await enrollOne(h, cadence.id, (await lead(`slow${i}@example.com`, { fields: { rounds: 100_000 } })).id));
    const fine = await enrollOne(h, cadence.id, (await lead('fine@example.com', { fields: { rounds: 3 } })).id);
    const before = { ...timeLimitHits };

    const moved = await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);

    for (const id of slow) {
      const failed = await enrollment(id);
      expect(failed.status).toBe('failed');
      expect(failed.failureReason).toMatch(/step 1 \(email\).*body.*render limit exceeded/);
    }
    expect(await enrollment(fine)).toMatchObject({ status: 'completed' });
    // Counted, not timed: at most one render spent the full limit; the others got the short one.
    expect(timeLimitHits.render - before.render).toBeLessThanOrEqual(1);
    expect(timeLimitHits.render - before.render + timeLimitHits.slowRender - before.slowRender).toBe(20);
  });

  it('a row the database refuses fails its enrolment alone; the rest of the batch is written', async () => {
    // A constraint only one lead's rendered task breaks, in the same batch as healthy work.
    await sql`alter table tasks add constraint test_no_forbidden_titles check (title not like '%forbidden%')`.execute(h.ctx.db);
    const calls = await createCadence(h, { name: 'Calls', schedule: ALWAYS_OPEN, steps: [{ type: 'call', title: 'Call {{lead.firstName}}' }] });
    const mails = await createCadence(h, { name: 'Mails', schedule: ALWAYS_OPEN, steps: [{ type: 'email', subject: 'Hi', body: 'Hello' }] });
    const ids: Record<string, string> = {};
    for (const name of ['ada', 'forbidden', 'grace', 'linus', 'barbara', 'alsoforbidden', 'edsger']) {
      ids[name] = await enrollOne(h, calls.id, (await lead(`${name}@example.com`)).id);
    }
    const mailed = await enrollOne(h, mails.id, (await lead('mail@example.com')).id);

    const moved = await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);

    for (const name of ['forbidden', 'alsoforbidden']) {
      const bad = await enrollment(ids[name]);
      expect(bad.status).toBe('failed');
      expect(bad.failureReason).toMatch(/^step 1 \(call\): the database refused its writes: .*test_no_forbidden_titles/);
      expect((await h.api('GET', `/api/tasks?enrollmentId=${ids[name]}`)).body.items).toEqual([]);
    }
    for (const name of ['ada', 'grace', 'linus', 'barbara', 'edsger']) {
      const tasks = (await h.api('GET', `/api/tasks?enrollmentId=${ids[name]}`)).body.items;
      expect(tasks.map((t: { title: string; status: string }) => [t.title, t.status])).toEqual([[`Call ${name}`, 'open']]);
    }
    expect((await emailsOf(mailed)).map((e: { status: string }) => e.status)).toEqual(['sent']);
    expect(await h.engine.runOnce(h.clock.now())).toMatchObject({ advanced: 0, sent: 0 });
  });

  it('a boost whose content cannot be rendered for its lead fails alone; the click that fired it counts', async () => {
    const cadence = await createCadence(h, {
      name: 'Boosted', schedule: ALWAYS_OPEN,
      steps: [{ type: 'email', subject: 'Hello', body: 'Hi {{lead.firstName}}' }, { type: 'task', delayDays: 3, title: 'Later' }],
      boosts: [
        { on: 'clicked', stepIndex: 0, action: { type: 'email', subject: 'More', body: '{% for i in (1..lead.fields.rounds) %}more {% endfor %}' } },
        { on: 'clicked', stepIndex: 0, action: { type: 'task', title: '{% for i in (1..lead.fields.rounds) %}hot {% endfor %}' } },
        { on: 'clicked', stepIndex: 0, action: { type: 'call', title: 'Call {{lead.firstName}}: clicked' } },
      ],
    });
    const id = await enrollOne(h, cadence.id, (await lead('many@example.com', { fields: { rounds: 100_000_000 } })).id);
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    const [sent] = await emailsOf(id);
    expect(sent.status).toBe('sent');
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });

    const click = await h.api('POST', '/api/signals', { type: 'clicked', messageId: sent.messageId });
    expect(click.status, JSON.stringify(click.body)).toBe(202);
    const emails = await emailsOf(id);
    expect(emails).toHaveLength(2);
    const boosted = emails.find((e: { boostId?: string }) => e.boostId === cadence.boosts[0].id);
    expect(boosted).toMatchObject({ status: 'failed' });
    expect(boosted.error).toMatch(/the body could not be rendered: memory alloc limit exceeded/);
    // The other boosts: the task that cannot render is left out, the call is created.
    const tasks = (await h.api('GET', `/api/tasks?enrollmentId=${id}`)).body.items;
    expect(tasks.map((t: { title: string }) => t.title)).toEqual(['Call many: clicked']);
    expect((await h.api('GET', `/api/cadences/${cadence.id}/stats`)).body.steps[0]).toMatchObject({ clicked: 1 });
    expect(await enrollment(id)).toMatchObject({ status: 'active' });
  });

  it('an email that cannot be composed fails alone, with its reason; the cadence goes on', async () => {
    const cadence = await createCadence(h, {
      name: 'Compose', schedule: ALWAYS_OPEN,
      steps: [
        { type: 'email', subject: '{{lead.fields.subject | fallback: "Hello"}}', body: 'Hi {{lead.firstName}}' },
        { type: 'call', title: 'Call {{lead.firstName}}' },
      ],
    });
    const bad = await enrollOne(h, cadence.id, (await lead('bad@example.com', { fields: { subject: 'an uncomposable subject' } })).id);
    const good = await enrollOne(h, cadence.id, (await lead('good@example.com')).id);

    const moved = await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);

    const [failed] = await emailsOf(bad);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed.error).toMatch(/could not compose the message: .*gave up/);
    expect((await emailsOf(good)).map((e: { status: string }) => e.status)).toEqual(['sent']);
    // Like a refused send, a failed email does not stop its cadence: the call follows for both.
    for (const id of [bad, good]) {
      expect((await h.api('GET', `/api/tasks?enrollmentId=${id}`)).body.items).toHaveLength(1);
    }
  });
});
