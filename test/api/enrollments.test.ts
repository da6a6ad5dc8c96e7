import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import type { Input } from 'cadenza/client';
import { ALWAYS_OPEN, advance, expectError, expectFieldError } from './helpers.ts';

/** Accepted requests go through the typed client (cadenza/client); malformed ones are sent raw. */
describe.each(BACKENDS)('enrolments and tasks through the API on %s', (backend) => {
  let h: Harness;
  let cadence: Awaited<ReturnType<typeof freshCadence>>;
  beforeAll(async () => {
    h = await startHarness(backend);
    cadence = await freshCadence({
      name: 'Call then email',
      steps: [{ type: 'call', title: 'Call {{lead.firstName}}' }, { type: 'email', delayDays: 1, subject: 'After our call', body: 'Hi' }],
    });
  });
  afterAll(() => h.close());

  const rep = () => h.clientAs(h.reps[0].token);
  const newLead = (extra: Partial<Input<'leads', 'create'>['body']> = {}) =>
    h.client.leads.create({ body: { email: `lead-${randomUUID()}@example.com`, firstName: 'Lee', ownerId: h.reps[0].id, timezone: 'UTC', ...extra } });
  const enrollments = async (cadenceId: string) => (await h.client.enrollments.list({ query: { cadenceId } })).items;
  const enrollment = (id: string) => h.client.enrollments.get({ id });
  const tasksOf = async (enrollmentId: string) => (await h.client.tasks.list({ query: { enrollmentId } })).items;
  const emailsOf = async (enrollmentId: string) => (await h.client.emails.list({ query: { enrollmentId } })).items;
  const enroll = (cadenceId: string, recordIds: string[], client = h.client) => client.cadences.enroll({ id: cadenceId, body: { recordIds } });
  const enrollOne = async (cadenceId: string, recordId: string) => {
    const { enrolled, rejected } = await enroll(cadenceId, [recordId]);
    expect(rejected).toEqual([]);
    return enrolled[0].id;
  };
  async function freshCadence(extra: Partial<Input<'cadences', 'create'>['body']> = {}) {
    const created = await h.client.cadences.create({ body: { name: `Fresh ${randomUUID()}`, schedule: ALWAYS_OPEN, steps: [{ type: 'call', title: 'Call' }], ...extra } });
    return h.client.cadences.activate({ id: created.id });
  }
  const signal = (type: 'replied' | 'bounced' | 'unsubscribed', recordId: string) => h.client.signals.create({ body: { type, recordId } });

  describe('POST /api/cadences/:id/enrollments', () => {
    it('enrols the valid records and rejects unknown ids (UUID or not) with not_found', async () => {
      const c = await freshCadence();
      const [a, b] = [await newLead(), await newLead()];
      const ghost = randomUUID();
      const res = await enroll(c.id, [a.id, ghost, 'not-a-uuid', b.id]);
      expect(res.enrolled.map((e) => e.recordId)).toEqual([a.id, b.id]);
      expect(res.rejected).toEqual(expect.arrayContaining([
        { recordId: ghost, reason: 'not_found' },
        { recordId: 'not-a-uuid', reason: 'not_found' },
      ]));
      expect(res.rejected).toHaveLength(2);
      const live = await enrollments(c.id);
      expect(live.map((e) => e.recordId).sort()).toEqual([a.id, b.id].sort());
      for (const e of res.enrolled) expect(await enrollment(e.id)).toMatchObject({ id: e.id, cadenceId: c.id, recordId: e.recordId, status: 'active' });
    });

    it('rejects an unsubscribed record with unsubscribed and a bounced one with bounced, enrolling neither', async () => {
      const c = await freshCadence();
      const [optedOut, bounced, fine] = [await newLead(), await newLead(), await newLead()];
      await signal('unsubscribed', optedOut.id);
      await signal('bounced', bounced.id);
      const res = await enroll(c.id, [optedOut.id, bounced.id, fine.id]);
      expect(res.enrolled.map((e) => e.recordId)).toEqual([fine.id]);
      expect(res.rejected).toEqual(expect.arrayContaining([
        { recordId: optedOut.id, reason: 'unsubscribed' },
        { recordId: bounced.id, reason: 'bounced' },
      ]));
      expect((await enrollments(c.id)).map((e) => e.recordId)).toEqual([fine.id]);
    });

    it('rejects a record created again with a bounced address (the first erased) as bounced, not as unsubscribed', async () => {
      const c = await freshCadence();
      const address = `shared-${randomUUID()}@example.com`;
      const first = await newLead({ email: address });
      await signal('bounced', first.id);
      await h.client.leads.delete({ id: first.id });
      const second = await newLead({ email: address.toUpperCase(), module: 'lead' });
      const res = await enroll(c.id, [second.id]);
      expect(res).toEqual({ enrolled: [], rejected: [{ recordId: second.id, reason: 'bounced' }] });
      expect(await enrollments(c.id)).toEqual([]);
    });

    it('rejects a record already enrolled with already_enrolled, and a duplicated id enrols once', async () => {
      const c = await freshCadence();
      const lead = await newLead();
      const first = await enroll(c.id, [lead.id, lead.id]);
      expect(first.enrolled).toHaveLength(1);
      const again = await enroll(c.id, [lead.id]);
      expect(again).toEqual({ enrolled: [], rejected: [{ recordId: lead.id, reason: 'already_enrolled' }] });
      expect(await enrollments(c.id)).toHaveLength(1);
      expect(await enrollment(first.enrolled[0].id)).toMatchObject({ status: 'active' });
    });

    it('rejects a paused enrolment\'s record as already_enrolled too', async () => {
      const c = await freshCadence();
      const lead = await newLead();
      const id = await enrollOne(c.id, lead.id);
      await h.client.enrollments.pause({ id });
      expect((await enroll(c.id, [lead.id])).rejected).toEqual([{ recordId: lead.id, reason: 'already_enrolled' }]);
      expect(await enrollments(c.id)).toHaveLength(1);
    });

    it('rejects a contact in a lead cadence and enrols nothing for it', async () => {
      const c = await freshCadence();
      const contact = await newLead({ module: 'contact' });
      const res = await enroll(c.id, [contact.id]);
      expect(res.enrolled).toEqual([]);
      expect(res.rejected).toEqual([{ recordId: contact.id, reason: 'wrong_module' }]);
      expect(await enrollments(c.id)).toEqual([]);
    });

    it('refuses to enrol again after an exit under the default policy, and allows it under after_exit', async () => {
      const never = await freshCadence();
      const again = await freshCadence({ reenrollment: 'after_exit' });
      const lead = await newLead();
      for (const c of [never, again]) {
        await h.client.enrollments.exit({ id: await enrollOne(c.id, lead.id) });
      }
      const refused = await enroll(never.id, [lead.id]);
      expect(refused.enrolled).toEqual([]);
      expect(refused.rejected).toEqual([{ recordId: lead.id, reason: expect.any(String) }]);
      expect(await enrollments(never.id)).toHaveLength(1);
      const allowed = await enroll(again.id, [lead.id]);
      expect(allowed.enrolled).toHaveLength(1);
      expect(await enrollments(again.id)).toHaveLength(2);
    });

    it.each([
      ['an empty list', { recordIds: [] }],
      ['no recordIds', { ids: ['x'] }],
      ['recordIds that are not a list', { recordIds: 'abc' }],
    ])('refuses %s with 400 naming recordIds, enrolling nothing', async (_what, body) => {
      const c = await freshCadence();
      const lead = await newLead();
      expectFieldError(await h.api('POST', `/api/cadences/${c.id}/enrollments`, body), 'recordIds');
      expect(await enrollments(c.id)).toEqual([]);
      expect((await enroll(c.id, [lead.id])).enrolled).toHaveLength(1);
    });

    it('refuses a record id that is not a string, naming recordIds.1, and enrols none of the list', async () => {
      const c = await freshCadence();
      const lead = await newLead();
      expectFieldError(await h.api('POST', `/api/cadences/${c.id}/enrollments`, { recordIds: [lead.id, 42] }), 'recordIds.1');
      expect(await enrollments(c.id)).toEqual([]);
    });

    it('refuses more than 10,000 record ids with 400, enrolling none', async () => {
      const c = await freshCadence();
      const lead = await newLead();
      const recordIds = [lead.id, ...Array.from({ length: 10_000 }, () => randomUUID())];
      expectFieldError(await h.api('POST', `/api/cadences/${c.id}/enrollments`, { recordIds }), 'recordIds');
      expect(await enrollments(c.id)).toEqual([]);
    });

    it('a rep enrols its own records', async () => {
      const c = await freshCadence();
      const mine = await newLead();
      const res = await enroll(c.id, [mine.id], rep());
      expect(res.enrolled.map((e) => e.recordId)).toEqual([mine.id]);
    });
  });

  describe('POST /api/enrollments/:id/pause | resume | exit', () => {
    it('pause and resume are idempotent and show in the enrolment', async () => {
      const id = await enrollOne(cadence.id, (await newLead()).id);
      expect(await rep().enrollments.pause({ id })).toMatchObject({ id, status: 'paused' });
      expect((await h.client.enrollments.pause({ id })).status).toBe('paused');
      expect((await enrollment(id)).status).toBe('paused');
      // Nothing runs while paused.
      await advance(h, 'PT1M');
      expect(await tasksOf(id)).toEqual([]);
      expect(await rep().enrollments.resume({ id })).toMatchObject({ id, status: 'active' });
      expect((await h.client.enrollments.resume({ id })).status).toBe('active');
    });

    it('exit ends the enrolment as manual and cancels its open task; nothing runs afterwards', async () => {
      const id = await enrollOne(cadence.id, (await newLead()).id);
      await advance(h, 'PT1M');
      expect((await tasksOf(id)).map((t) => t.status)).toEqual(['open']);
      expect(await rep().enrollments.exit({ id })).toMatchObject({ id, status: 'exited', exitReason: 'manual' });
      expect((await tasksOf(id)).map((t) => t.status)).toEqual(['cancelled']);
      await advance(h, 'P3D');
      expect(await emailsOf(id)).toEqual([]);
      expect(await tasksOf(id)).toHaveLength(1);
    });

    it('an ended enrolment cannot be exited, paused or resumed (409) and keeps its exit reason', async () => {
      const id = await enrollOne(cadence.id, (await newLead()).id);
      await h.client.enrollments.exit({ id });
      const before = await enrollment(id);
      for (const action of ['exit', 'pause', 'resume']) {
        expectError(await h.api('POST', `/api/enrollments/${id}/${action}`), 409, 'invalid_state');
      }
      expect(await enrollment(id)).toEqual(before);
      expect(before).toMatchObject({ status: 'exited', exitReason: 'manual' });
    });

    it('an enrolment that exited by a reply cannot be resumed back to life', async () => {
      const lead = await newLead();
      const id = await enrollOne(cadence.id, lead.id);
      await signal('replied', lead.id);
      expectError(await h.api('POST', `/api/enrollments/${id}/resume`), 409, 'invalid_state');
      expect(await enrollment(id)).toMatchObject({ status: 'exited', exitReason: 'replied' });
    });
  });

  describe('POST /api/tasks/:id/complete', () => {
    async function openTask() {
      const id = await enrollOne(cadence.id, (await newLead()).id);
      await advance(h, 'PT1M');
      const tasks = await tasksOf(id);
      expect(tasks).toHaveLength(1);
      expect(tasks[0].status).toBe('open');
      return { enrollmentId: id, task: tasks[0] };
    }

    it.each([
      ['outcome', { outcome: 5 }],
      ['outcome', { outcome: '' }],
      ['outcome', { outcome: 'x'.repeat(101) }],
      ['note', { note: 123 }],
    ])('refuses a bad %s, naming it; the task stays open and the enrolment waits', async (field, body) => {
      const { enrollmentId, task } = await openTask();
      const before = await enrollment(enrollmentId);
      expectFieldError(await h.api('POST', `/api/tasks/${task.id}/complete`, body, h.reps[0].token), field);
      expect(await tasksOf(enrollmentId)).toEqual([task]);
      expect(await enrollment(enrollmentId)).toEqual(before);
    });

    it('completes an open task once: the outcome is kept and the enrolment moves on; a second completion is 409', async () => {
      const { enrollmentId, task } = await openTask();
      const done = await rep().tasks.complete({ id: task.id, body: { outcome: 'connected', note: 'Talked' } });
      expect(done).toMatchObject({ id: task.id, status: 'completed', outcome: 'connected', note: 'Talked' });
      const moved = await enrollment(enrollmentId);
      expect(moved).toMatchObject({ status: 'active', nextStepId: cadence.steps[1].id });
      expectError(await h.api('POST', `/api/tasks/${task.id}/complete`, { outcome: 'voicemail' }, h.reps[0].token), 409, 'invalid_state');
      expect(await tasksOf(enrollmentId)).toEqual([expect.objectContaining({ id: task.id, status: 'completed', outcome: 'connected' })]);
      expect(await enrollment(enrollmentId)).toEqual(moved);
    });

    it('completes a task without a body', async () => {
      const { task } = await openTask();
      expect((await rep().tasks.complete({ id: task.id })).status).toBe('completed');
    });

    it('a cancelled task cannot be completed (409) and stays cancelled', async () => {
      const { enrollmentId, task } = await openTask();
      await h.client.enrollments.exit({ id: enrollmentId });
      expectError(await h.api('POST', `/api/tasks/${task.id}/complete`, { outcome: 'connected' }, h.reps[0].token), 409, 'invalid_state');
      expect((await tasksOf(enrollmentId)).map((t) => t.status)).toEqual(['cancelled']);
      expect(await enrollment(enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'manual' });
    });
  });
});
