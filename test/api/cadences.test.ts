import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, createCadence, createLead, enrollOne, expectError, expectFieldError } from './helpers.ts';

const email = (extra: Record<string, unknown> = {}) => ({ type: 'email', subject: 'Hello', body: 'Hi there', ...extra });
const call = (extra: Record<string, unknown> = {}) => ({ type: 'call', title: 'Call', ...extra });
const base = (extra: Record<string, unknown> = {}) => ({ name: 'Outbound', steps: [email(), call()], ...extra });

/** Bodies POST /api/cadences must refuse, with the field the answer must name. */
const INVALID_CADENCES: Array<[string, string, Record<string, unknown>]> = [
  ['an unknown step type', 'steps.0.type', base({ steps: [{ type: 'sms', body: 'hi' }] })],
  ['no steps', 'steps', base({ steps: [] })],
  ['no name', 'name', { steps: [call()] }],
  ['a blank name', 'name', base({ name: '   ' })],
  ['a condition on a later step (stepIndex)', 'steps.1.condition', base({ steps: [email(), call({ condition: { stepIndex: 2, is: 'completed' } }), call()] })],
  ['a condition on its own step', 'steps.1.condition', base({ steps: [email(), email({ condition: { stepIndex: 1, is: 'opened' } })] })],
  ['a condition on a later step (stepId)', 'steps.0.condition', base({ steps: [email({ condition: { stepId: 'later', is: 'opened' } }), email({ id: 'later' })] })],
  ['a condition on a step that does not exist', 'steps.1.condition.stepIndex', base({ steps: [email(), call({ condition: { stepIndex: 9, is: 'opened' } })] })],
  ['a condition naming both stepId and stepIndex', 'steps.1.condition', base({ steps: [email({ id: 'first' }), call({ condition: { stepId: 'first', stepIndex: 0, is: 'opened' } })] })],
  ['an email condition on a call step', 'steps.1.condition.is', base({ steps: [call(), call({ condition: { stepIndex: 0, is: 'opened' } })] })],
  ['an unknown condition outcome', 'steps.1.condition.is', base({ steps: [email(), call({ condition: { stepIndex: 0, is: 'liked' } })] })],
  ['an email step without a body', 'steps.0.body', base({ steps: [{ type: 'email', subject: 'Hello' }] })],
  ['an email step with a blank body', 'steps.1.body', base({ steps: [call(), { type: 'email', subject: 'Hello', body: '  ' }] })],
  ['an email step without a subject', 'steps.0.subject', base({ steps: [{ type: 'email', body: 'Hi' }] })],
  ['a task step without a title', 'steps.0.title', base({ steps: [{ type: 'task' }] })],
  ['a template that does not parse', 'steps.0.body', base({ steps: [email({ body: 'Hi {{ lead.firstName ' })] })],
  ['an unknown delay unit', 'steps.1.delay.unit', base({ steps: [email(), call({ delay: { amount: 2, unit: 'weeks' } })] })],
  ['a negative delay', 'steps.1.delayDays', base({ steps: [email(), call({ delayDays: -1 })] })],
  ['both delayDays and delay', 'steps.1', base({ steps: [email(), call({ delayDays: 1, delay: { amount: 1, unit: 'days' } })] })],
  ['duplicate step ids', 'steps.1.id', base({ steps: [email({ id: 'same' }), call({ id: 'same' })] })],
  ['an unknown mode', 'steps.0.mode', base({ steps: [email({ mode: 'robot' })] })],
  ['a schedule whose start is after its end', 'schedule', base({ schedule: { days: [1, 2, 3, 4, 5], start: '17:00', end: '09:00' } })],
  ['a schedule whose start equals its end', 'schedule', base({ schedule: { days: [1, 2, 3, 4, 5], start: '09:00', end: '09:00' } })],
  ['a schedule start after the default end', 'schedule', base({ schedule: { days: [1, 2, 3, 4, 5], start: '18:00' } })],
  ['a schedule window whose start is after its end', 'schedule.windows.1', base({ schedule: { days: [1], windows: [{ start: '09:00', end: '12:00' }, { start: '15:00', end: '13:00' }] } })],
  ['a schedule time that is no time', 'schedule.start', base({ schedule: { days: [1], start: '25:00', end: '26:00' } })],
  ['a schedule weekday 0', 'schedule.days.0', base({ schedule: { days: [0, 1] } })],
  ['a schedule without days', 'schedule.days', base({ schedule: { days: [] } })],
  ['an unknown schedule time zone', 'schedule.timezone', base({ schedule: { days: [1, 2, 3, 4, 5], timezone: 'Mars/Olympus_Mons' } })],
  ['an end date that is no instant', 'exitOn.endDate', base({ exitOn: { endDate: 'next tuesday' } })],
  ['a boost on a call step', 'boosts.0', base({ boosts: [{ on: 'opened', stepIndex: 1, action: call() }] })],
  ['a boost on an unknown signal', 'boosts.0.on', base({ boosts: [{ on: 'replied', action: call() }] })],
  ['a boost email action without a body', 'boosts.0.action.body', base({ boosts: [{ on: 'clicked', stepIndex: 0, action: { type: 'email', subject: 'Saw you clicked' } }] })],
  ['an unknown re-enrolment policy', 'reenrollment', base({ reenrollment: 'sometimes' })],
  ['a zero throttle', 'throttle.perRepPerDay', base({ throttle: { perRepPerDay: 0 } })],
  ['an unknown module', 'module', base({ module: 'deal' })],
  ['a boost on a step that does not exist', 'boosts.0.stepIndex', base({ boosts: [{ on: 'opened', stepIndex: 7, action: call() }] })],
  ['a name longer than 200 characters', 'name', base({ name: 'n'.repeat(201) })],
  ['a NUL character in the name', 'name', base({ name: 'Out\u0000bound' })],
  ['a NUL character in a step body', 'steps.0.body', base({ steps: [email({ body: 'Hi\u0000there' })] })],
];

describe.each(BACKENDS)('cadences through the API on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(backend); });
  afterAll(() => h.close());

  const list = async () => (await h.api('GET', '/api/cadences')).body.items;
  const getCadence = async (id: string) => {
    const res = await h.api('GET', `/api/cadences/${id}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  describe('POST /api/cadences', () => {
    it.each(INVALID_CADENCES)('refuses %s, naming %s, and creates nothing', async (_what, field, body) => {
      const before = await list();
      expectFieldError(await h.api('POST', '/api/cadences', body), field);
      expect(await list()).toEqual(before);
    });

    it('reports cross-field errors at body.<field>, the same path convention as schema errors', async () => {
      const schemaError = await h.api('POST', '/api/cadences', base({ steps: [{ type: 'sms' }] }));
      expect(schemaError.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.steps.0.type']);
      const ruleError = await h.api('POST', '/api/cadences', base({ steps: [{ type: 'email', subject: 'Hello' }] }));
      expect(ruleError.status).toBe(400);
      expect(ruleError.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.steps.0.body']);
    });

    it('reports every problem of a body at once', async () => {
      const res = await h.api('POST', '/api/cadences', base({
        steps: [{ type: 'email', subject: 'Hello' }, call({ condition: { stepIndex: 5, is: 'completed' } })],
        schedule: { days: [1], start: '12:00', end: '08:00' },
      }));
      expect(res.status).toBe(400);
      const paths = res.body.error.details.map((d: { path: string }) => d.path.replace(/^body\./, ''));
      expect(paths).toEqual(expect.arrayContaining(['steps.0.body', 'steps.1.condition.stepIndex', 'schedule']));
    });

    it('a rep cannot create a cadence (403) and nothing is created', async () => {
      const before = await list();
      expectError(await h.api('POST', '/api/cadences', base(), h.reps[0].token), 403, 'forbidden');
      expect(await list()).toEqual(before);
    });

    it('creates a draft at version 1 whose steps and boosts come back with ids and conditions resolved', async () => {
      const res = await h.api('POST', '/api/cadences', base({
        steps: [email(), call({ delayDays: 2, condition: { stepIndex: 0, is: 'not_replied' } })],
        boosts: [{ on: 'clicked', stepIndex: 0, action: call({ title: 'Hot lead' }) }],
        schedule: { days: [1, 2, 3, 4, 5], start: '08:30', end: '16:00', timezone: 'Europe/Paris' },
      }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'draft', version: 1, name: 'Outbound' });
      const [first, second] = res.body.steps;
      expect(typeof first.id).toBe('string');
      expect(second.condition).toEqual({ stepId: first.id, is: 'not_replied' });
      expect(res.body.boosts[0]).toMatchObject({ id: expect.any(String), stepId: first.id });
      expect(res.body.schedule.timezone).toBe('Europe/Paris');
      expect(await getCadence(res.body.id)).toMatchObject({ id: res.body.id, status: 'draft', version: 1 });
    });
  });

  describe('PATCH /api/cadences/:id', () => {
    let cadence: any;
    beforeAll(async () => {
      cadence = await createCadence(h, base({ name: 'Editable', steps: [email({ id: 'intro' }), call({ id: 'dial', delayDays: 2 })] }));
    });

    it.each(INVALID_CADENCES.filter(([what]) => !what.startsWith('no name')))(
      'refuses %s, naming %s; the cadence keeps its version and content',
      async (_what, field, body) => {
        const before = await getCadence(cadence.id);
        const patch = { ...body };
        expectFieldError(await h.api('PATCH', `/api/cadences/${cadence.id}`, patch), field);
        expect(await getCadence(cadence.id)).toEqual(before);
      },
    );

    it('refuses steps whose condition names a step the edit removed; version unchanged', async () => {
      const before = await getCadence(cadence.id);
      const res = await h.api('PATCH', `/api/cadences/${cadence.id}`, { steps: [call({ id: 'dial', condition: { stepId: 'intro', is: 'opened' } })] });
      expectFieldError(res, 'steps.0.condition.stepId');
      expect(await getCadence(cadence.id)).toEqual(before);
    });

    it('refuses a schedule edit with start after end even when the steps are untouched; version unchanged', async () => {
      const before = await getCadence(cadence.id);
      expectFieldError(await h.api('PATCH', `/api/cadences/${cadence.id}`, { schedule: { days: [1, 2], start: '18:00', end: '10:00' } }), 'schedule');
      expect(await getCadence(cadence.id)).toEqual(before);
    });

    it('a rep cannot edit a cadence (403); version unchanged', async () => {
      const before = await getCadence(cadence.id);
      expectError(await h.api('PATCH', `/api/cadences/${cadence.id}`, { name: 'Rep edit' }, h.reps[0].token), 403, 'forbidden');
      expect(await getCadence(cadence.id)).toEqual(before);
    });

    it('an accepted edit saves a new version and keeps step ids; a rejected one after it keeps that version', async () => {
      const before = await getCadence(cadence.id);
      const res = await h.api('PATCH', `/api/cadences/${cadence.id}`, { name: 'Edited', steps: [email({ id: 'intro', subject: 'New subject' }), call({ id: 'dial', delayDays: 3 })] });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'Edited', version: before.version + 1 });
      const after = await getCadence(cadence.id);
      expect(after).toMatchObject({ name: 'Edited', version: before.version + 1, status: 'active' });
      expect(after.steps.map((s: { id: string }) => s.id)).toEqual(['intro', 'dial']);
      expect(after.steps[0].subject).toBe('New subject');
      expect(after.schedule).toEqual(before.schedule);

      expect((await h.api('PATCH', `/api/cadences/${cadence.id}`, { steps: [{ type: 'email', subject: 'x' }] })).status).toBe(400);
      expect(await getCadence(cadence.id)).toEqual(after);
    });

    it('an archived cadence cannot be edited (409); version unchanged', async () => {
      const archived = await createCadence(h, base({ name: 'To archive' }));
      expect((await h.api('POST', `/api/cadences/${archived.id}/archive`)).status).toBe(200);
      const before = await getCadence(archived.id);
      expectError(await h.api('PATCH', `/api/cadences/${archived.id}`, { name: 'Revived' }), 409, 'invalid_state');
      expect(await getCadence(archived.id)).toEqual(before);
    });

    it('a rejected edit leaves running enrolments where they were', async () => {
      const running = await createCadence(h, base({ name: 'Running', schedule: ALWAYS_OPEN, steps: [call({ delayDays: 1 }), email()] }));
      const lead = await createLead(h, { email: `running-${randomUUID()}@example.com`, ownerId: h.reps[0].id, timezone: 'UTC' });
      const enrollmentId = await enrollOne(h, running.id, lead.id);
      const before = (await h.api('GET', `/api/enrollments/${enrollmentId}`)).body;
      expect((await h.api('PATCH', `/api/cadences/${running.id}`, { steps: [call({ id: running.steps[0].id, delayDays: -3 })] })).status).toBe(400);
      expect((await h.api('GET', `/api/enrollments/${enrollmentId}`)).body).toEqual(before);
      expect((await getCadence(running.id)).version).toBe(running.version);
    });
  });

  describe('POST /api/cadences/:id/activate | pause | archive', () => {
    it('follows draft → active ⇄ paused → archived and answers the cadence', async () => {
      const c = await createCadence(h, base({ name: 'Lifecycle' }), false);
      for (const [action, status] of [['activate', 'active'], ['pause', 'paused'], ['activate', 'active'], ['archive', 'archived']]) {
        const res = await h.api('POST', `/api/cadences/${c.id}/${action}`);
        expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
        expect(res.body).toMatchObject({ id: c.id, status });
        expect((await getCadence(c.id)).status).toBe(status);
      }
    });

    it('refuses to pause a draft (409); it stays a draft', async () => {
      const c = await createCadence(h, base({ name: 'Draft' }), false);
      const before = await getCadence(c.id);
      expectError(await h.api('POST', `/api/cadences/${c.id}/pause`), 409, 'invalid_state');
      expect(await getCadence(c.id)).toEqual(before);
      expect(before.status).toBe('draft');
    });

    it('refuses to activate or pause an archived cadence (409); it stays archived and takes no enrolments', async () => {
      const c = await createCadence(h, base({ name: 'Gone' }));
      expect((await h.api('POST', `/api/cadences/${c.id}/archive`)).status).toBe(200);
      const archived = await getCadence(c.id);
      expect(archived.status).toBe('archived');
      expectError(await h.api('POST', `/api/cadences/${c.id}/activate`), 409, 'invalid_state');
      expectError(await h.api('POST', `/api/cadences/${c.id}/pause`), 409, 'invalid_state');
      const lead = await createLead(h, { email: `archived-${randomUUID()}@example.com`, ownerId: h.reps[0].id });
      expectError(await h.api('POST', `/api/cadences/${c.id}/enrollments`, { recordIds: [lead.id] }), 409, 'invalid_state');
      expect(await getCadence(c.id)).toEqual(archived);
      expect((await h.api('GET', `/api/enrollments?cadenceId=${c.id}`)).body.items).toEqual([]);
    });

    it('a rep can neither activate, pause nor archive (403); the status is unchanged', async () => {
      const c = await createCadence(h, base({ name: 'Admin only' }));
      const before = await getCadence(c.id);
      for (const action of ['activate', 'pause', 'archive']) {
        expectError(await h.api('POST', `/api/cadences/${c.id}/${action}`, undefined, h.reps[0].token), 403, 'forbidden');
      }
      expect(await getCadence(c.id)).toEqual(before);
      expect(before.status).toBe('active');
    });
  });
});
