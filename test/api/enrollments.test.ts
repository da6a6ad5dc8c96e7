import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, advance, createCadence, createLead, enrollOne, expectError, expectFieldError } from './helpers.ts';

describe.each(BACKENDS)('enrolments and tasks through the API on %s', (backend) => {
  let h: Harness;
  let cadence: any;
  beforeAll(async () => {
    h = await startHarness(backend);
    cadence = await createCadence(h, {
      name: 'Call then email',
      schedule: ALWAYS_OPEN,
      steps: [{ type: 'call', title: 'Call {{lead.firstName}}' }, { type: 'email', delayDays: 1, subject: 'After our call', body: 'Hi' }],
    });
  });
  afterAll(() => h.close());

  const newLead = (extra: Record<string, unknown> = {}) =>
    createLead(h, { email: `lead-${randomUUID()}@example.com`, firstName: 'Lee', ownerId: h.reps[0].id, timezone: 'UTC', ...extra });
  const enrollments = async (cadenceId: string) => (await h.api('GET', `/api/enrollments?cadenceId=${cadenceId}`)).body.items as any[];
  const enrollment = async (id: string) => (await h.api('GET', `/api/enrollments/${id}`)).body;
  const tasksOf = async (enrollmentId: string) => (await h.api('GET', `/api/tasks?enrollmentId=${enrollmentId}`)).body.items as any[];
  const emailsOf = async (enrollmentId: string) => (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items as any[];
  const enroll = (cadenceId: string, recordIds: unknown, token?: string) => h.api('POST', `/api/cadences/${cadenceId}/enrollments`, { recordIds }, token);
  const freshCadence = (extra: Record<string, unknown> = {}) =>
    createCadence(h, { name: `Fresh ${randomUUID()}`, schedule: ALWAYS_OPEN, steps: [{ type: 'call', title: 'Call' }], ...extra });

  describe('POST /api/cadences/:id/enrollments', () => {
    it('enrols the valid records and rejects unknown ids (UUID or not) with not_found', async () => {
      const c = await freshCadence();
      const [a, b] = [await newLead(), await newLead()];
      const ghost = randomUUID();
      const res = await enroll(c.id, [a.id, ghost, 'not-a-uuid', b.id]);
      expect(res.status).toBe(201);
      expect(res.body.enrolled.map((e: { recordId: string }) => e.recordId)).toEqual([a.id, b.id]);
      expect(res.body.rejected).toEqual(expect.arrayContaining([
        { recordId: ghost, reason: 'not_found' },
        { recordId: 'not-a-uuid', reason: 'not_found' },
      ]));
      expect(res.body.rejected).toHaveLength(2);
      const live = await enrollments(c.id);
      expect(live.map((e) => e.recordId).sort()).toEqual([a.id, b.id].sort());
      for (const e of res.body.enrolled) expect(await enrollment(e.id)).toMatchObject({ id: e.id, cadenceId: c.id, recordId: e.recordId, status: 'active' });
    });

    it('rejects an unsubscribed record with unsubscribed and a bounced one with bounced, enrolling neither', async () => {
      const c = await freshCadence();
      const [optedOut, bounced, fine] = [await newLead(), await newLead(), await newLead()];
      expect((await h.api('POST', '/api/signals', { type: 'unsubscribed', recordId: optedOut.id })).status).toBe(202);
      expect((await h.api('POST', '/api/signals', { type: 'bounced', recordId: bounced.id })).status).toBe(202);
      const res = await enroll(c.id, [optedOut.id, bounced.id, fine.id]);
      expect(res.status).toBe(201);
      expect(res.body.enrolled.map((e: { recordId: string }) => e.recordId)).toEqual([fine.id]);
      expect(res.body.rejected).toEqual(expect.arrayContaining([
        { recordId: optedOut.id, reason: 'unsubscribed' },
        { recordId: bounced.id, reason: 'bounced' },
      ]));
      expect((await enrollments(c.id)).map((e) => e.recordId)).toEqual([fine.id]);
    });

    it('rejects a record created again with a bounced address (the first erased) as bounced, not as unsubscribed', async () => {
      const c = await freshCadence();
      const address = `shared-${randomUUID()}@example.com`;
      const first = await newLead({ email: address });
      expect((await h.api('POST', '/api/signals', { type: 'bounced', recordId: first.id })).status).toBe(202);
      expect((await h.api('DELETE', `/api/leads/${first.id}`)).status).toBe(204);
      const second = await newLead({ email: address.toUpperCase(), module: 'lead' });
      const res = await enroll(c.id, [second.id]);
      expect(res.body).toEqual({ enrolled: [], rejected: [{ recordId: second.id, reason: 'bounced' }] });
      expect(await enrollments(c.id)).toEqual([]);
    });

    it('rejects a record already enrolled with already_enrolled, and a duplicated id enrols once', async () => {
      const c = await freshCadence();
      const lead = await newLead();
      const first = await enroll(c.id, [lead.id, lead.id]);
      expect(first.status).toBe(201);
      expect(first.body.enrolled).toHaveLength(1);
      const again = await enroll(c.id, [lead.id]);
      expect(again.status).toBe(201);
      expect(again.body).toEqual({ enrolled: [], rejected: [{ recordId: lead.id, reason: 'already_enrolled' }] });
      expect(await enrollments(c.id)).toHaveLength(1);
      expect(await enrollment(first.body.enrolled[0].id)).toMatchObject({ status: 'active' });
    });

    it('rejects a paused enrolment\'s record as already_enrolled too', async () => {
      const c = await freshCadence();
      const lead = await newLead();
      const id = await enrollOne(h, c.id, lead.id);
      expect((await h.api('POST', `/api/enrollments/${id}/pause`)).status).toBe(200);
      expect((await enroll(c.id, [lead.id])).body.rejected).toEqual([{ recordId: lead.id, reason: 'already_enrolled' }]);
      expect(await enrollments(c.id)).toHaveLength(1);
    });

    it('rejects a contact in a lead cadence and enrols nothing for it', async () => {
      const c = await freshCadence();
      const contact = await newLead({ module: 'contact' });
      const res = await enroll(c.id, [contact.id]);
      expect(res.status).toBe(201);
      expect(res.body.enrolled).toEqual([]);
      expect(res.body.rejected).toEqual([{ recordId: contact.id, reason: 'wrong_module' }]);
      expect(await enrollments(c.id)).toEqual([]);
    });

    it('refuses to enrol again after an exit under the default policy, and allows it under after_exit', async () => {
      const never = await freshCadence();
      const again = await freshCadence({ reenrollment: 'after_exit' });
      const lead = await newLead();
      for (const c of [never, again]) {
        const id = await enrollOne(h, c.id, lead.id);
        expect((await h.api('POST', `/api/enrollments/${id}/exit`)).status).toBe(200);
      }
      const refused = await enroll(never.id, [lead.id]);
      expect(refused.body.enrolled).toEqual([]);
      expect(refused.body.rejected).toEqual([{ recordId: lead.id, reason: expect.any(String) }]);
      expect(await enrollments(never.id)).toHaveLength(1);
      const allowed = await enroll(again.id, [lead.id]);
      expect(allowed.body.enrolled).toHaveLength(1);
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
      expect((await enroll(c.id, [lead.id])).body.enrolled).toHaveLength(1);
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
      const res = await enroll(c.id, [mine.id], h.reps[0].token);
      expect(res.status).toBe(201);
      expect(res.body.enrolled.map((e: { recordId: string }) => e.recordId)).toEqual([mine.id]);
    });
  });

  describe('POST /api/enrollments/:id/pause | resume | exit', () => {
    it('pause and resume are idempotent and show in the enrolment', async () => {
      const id = await enrollOne(h, cadence.id, (await newLead()).id);
      const paused = await h.api('POST', `/api/enrollments/${id}/pause`, undefined, h.reps[0].token);
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({ id, status: 'paused' });
      expect((await h.api('POST', `/api/enrollments/${id}/pause`)).body.status).toBe('paused');
      expect((await enrollment(id)).status).toBe('paused');
      // Nothing runs while paused.
      await advance(h, 'PT1M');
      expect(await tasksOf(id)).toEqual([]);
      const resumed = await h.api('POST', `/api/enrollments/${id}/resume`, undefined, h.reps[0].token);
      expect(resumed.status).toBe(200);
      expect(resumed.body).toMatchObject({ id, status: 'active' });
      expect((await h.api('POST', `/api/enrollments/${id}/resume`)).body.status).toBe('active');
    });

    it('exit ends the enrolment as manual and cancels its open task; nothing runs afterwards', async () => {
      const id = await enrollOne(h, cadence.id, (await newLead()).id);
      await advance(h, 'PT1M');
      expect((await tasksOf(id)).map((t) => t.status)).toEqual(['open']);
      const res = await h.api('POST', `/api/enrollments/${id}/exit`, undefined, h.reps[0].token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, status: 'exited', exitReason: 'manual' });
      expect((await tasksOf(id)).map((t) => t.status)).toEqual(['cancelled']);
      await advance(h, 'P3D');
      expect(await emailsOf(id)).toEqual([]);
      expect(await tasksOf(id)).toHaveLength(1);
    });

    it('an ended enrolment cannot be exited, paused or resumed (409) and keeps its exit reason', async () => {
      const id = await enrollOne(h, cadence.id, (await newLead()).id);
      expect((await h.api('POST', `/api/enrollments/${id}/exit`)).status).toBe(200);
      const before = await enrollment(id);
      for (const action of ['exit', 'pause', 'resume']) {
        expectError(await h.api('POST', `/api/enrollments/${id}/${action}`), 409, 'invalid_state');
      }
      expect(await enrollment(id)).toEqual(before);
      expect(before).toMatchObject({ status: 'exited', exitReason: 'manual' });
    });

    it('an enrolment that exited by a reply cannot be resumed back to life', async () => {
      const lead = await newLead();
      const id = await enrollOne(h, cadence.id, lead.id);
      expect((await h.api('POST', '/api/signals', { type: 'replied', recordId: lead.id })).status).toBe(202);
      expectError(await h.api('POST', `/api/enrollments/${id}/resume`), 409, 'invalid_state');
      expect(await enrollment(id)).toMatchObject({ status: 'exited', exitReason: 'replied' });
    });
  });

  describe('POST /api/tasks/:id/complete', () => {
    async function openTask() {
      const id = await enrollOne(h, cadence.id, (await newLead()).id);
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
      const done = await h.api('POST', `/api/tasks/${task.id}/complete`, { outcome: 'connected', note: 'Talked' }, h.reps[0].token);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ id: task.id, status: 'completed', outcome: 'connected', note: 'Talked' });
      const moved = await enrollment(enrollmentId);
      expect(moved).toMatchObject({ status: 'active', nextStepId: cadence.steps[1].id });
      expectError(await h.api('POST', `/api/tasks/${task.id}/complete`, { outcome: 'voicemail' }, h.reps[0].token), 409, 'invalid_state');
      expect(await tasksOf(enrollmentId)).toEqual([expect.objectContaining({ id: task.id, status: 'completed', outcome: 'connected' })]);
      expect(await enrollment(enrollmentId)).toEqual(moved);
    });

    it('completes a task without a body', async () => {
      const { task } = await openTask();
      const done = await h.api('POST', `/api/tasks/${task.id}/complete`, undefined, h.reps[0].token);
      expect(done.status).toBe(200);
      expect(done.body.status).toBe('completed');
    });

    it('a cancelled task cannot be completed (409) and stays cancelled', async () => {
      const { enrollmentId, task } = await openTask();
      expect((await h.api('POST', `/api/enrollments/${enrollmentId}/exit`)).status).toBe(200);
      expectError(await h.api('POST', `/api/tasks/${task.id}/complete`, { outcome: 'connected' }, h.reps[0].token), 409, 'invalid_state');
      expect((await tasksOf(enrollmentId)).map((t) => t.status)).toEqual(['cancelled']);
      expect(await enrollment(enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'manual' });
    });
  });
});
