import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, advance, createCadence, createLead, enrollOne, expectError } from './helpers.ts';

/**
 * "Pause my cadences until…": a rep's time off holds its automatic emails and the steps
 * falling due until it ends, its open tasks are not due meanwhile, and DELETE brings it
 * back early. The clock starts on Monday 2 March 2026, 08:00 UTC.
 */
describe.each(BACKENDS)('time off on %s', (backend) => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(backend); });
  afterEach(() => h.close());

  const at = (offsetMinutes: number) => new Date(h.clock.now().getTime() + offsetMinutes * 60_000).toISOString();
  const ok = (res: { status: number; body: any }, status = 200) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  const takeOff = async (from: string, to: string, rep = h.reps[0]) =>
    ok(await h.api('POST', `/api/users/${rep.id}/time-off`, { from, to }, rep.token), 201);
  const queue = async (due: string, query = '', token = h.reps[0].token) =>
    ok(await h.api('GET', `/api/tasks?status=open&due=${due}${query}`, undefined, token)).items.map((t: any) => t.id);
  const enrollment = async (id: string) => ok(await h.api('GET', `/api/enrollments/${id}`));
  const emailsOf = async (id: string) => ok(await h.api('GET', `/api/emails?enrollmentId=${id}`)).items;

  /** A lead of rep 1 in an email-then-call cadence, the email sent and the call (due now) open. */
  async function callDue(email: string) {
    const lead = await createLead(h, { email, firstName: 'Ada', ownerId: h.reps[0].id, timezone: 'UTC' });
    const cadence = await createCadence(h, {
      name: `Off ${email}`, schedule: ALWAYS_OPEN,
      steps: [{ type: 'email', subject: 'Hi', body: 'Hello' }, { type: 'call', title: 'Call' }, { type: 'email', delay: { amount: 1, unit: 'hours' }, subject: 'Again', body: 'Hello again' }],
    });
    const enrollmentId = await enrollOne(h, cadence.id, lead.id);
    await advance(h, 'PT1M');
    const [task] = ok(await h.api('GET', `/api/tasks?status=open&enrollmentId=${enrollmentId}`)).items;
    return { lead, enrollmentId, task };
  }

  it('lists the time off running or to come, not what is over', async () => {
    await takeOff('2026-02-01T00:00:00Z', '2026-02-10T00:00:00Z');
    const running = await takeOff('2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z');
    const coming = await takeOff('2026-04-01T00:00:00Z', '2026-04-08T00:00:00Z');
    const listed = ok(await h.api('GET', `/api/users/${h.reps[0].id}/time-off`, undefined, h.reps[0].token)).items;
    expect(listed.map((t: any) => t.id)).toEqual([running.id, coming.id]);
    expect(listed[0]).toEqual({ id: running.id, userId: h.reps[0].id, from: '2026-03-01T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' });
    expectError(await h.api('GET', `/api/users/${h.reps[0].id}/time-off`, undefined, h.reps[1].token), 404, 'not_found');
  });

  it('holds the rep\u2019s emails and steps until it ends, and shows its open tasks as not due meanwhile', async () => {
    // One email an hour: the second lead's first email waits (deferred) when the time off begins.
    ok(await h.api('PUT', `/api/users/${h.reps[0].id}/mailbox`, { fromEmail: 'rep1@example.com', hourlyLimit: 1 }));
    const first = await callDue('first@example.com');
    const second = await callDue('second@example.com');
    const [held] = await emailsOf(second.enrollmentId);
    expect(held.status).toBe('queued');
    expect(second.task).toBeUndefined();
    expect(await queue('today')).toEqual([first.task.id]);

    // Away from 08:05 until Wednesday 09:00.
    await takeOff(at(3), '2026-03-04T09:00:00.000Z');
    await advance(h, 'PT20M');
    expect((await enrollment(first.enrollmentId)).status).toBe('paused');
    expect((await enrollment(second.enrollmentId)).status).toBe('paused');
    // The task is due when the rep is back: not today, not overdue, but upcoming; for the admin too.
    expect(await queue('today')).toEqual([]);
    expect(await queue('overdue')).toEqual([]);
    expect(await queue('upcoming')).toEqual([first.task.id]);
    expect(await queue('upcoming', '', h.adminToken)).toEqual([first.task.id]);
    expect(await queue('today', `&ownerId=${h.reps[0].id}`, h.adminToken)).toEqual([]);
    // Completing the call while away moves nothing: the next step waits for the return.
    ok(await h.api('POST', `/api/tasks/${first.task.id}/complete`, { outcome: 'connected' }, h.reps[0].token));
    await advance(h, 'P1D');
    expect((await emailsOf(first.enrollmentId)).map((e: any) => e.subject)).toEqual(['Hi']);
    // The capped email is held, not dropped, however often the sender looks at it.
    const [still] = await emailsOf(second.enrollmentId);
    expect(still).toMatchObject({ id: held.id, status: 'queued' });

    await advance(h, 'P1D'); // Wednesday 08:25: still away.
    expect((await emailsOf(second.enrollmentId))[0].status).toBe('queued');
    await advance(h, 'PT2H'); // Back at 09:00; caps allow one an hour.
    await advance(h, 'PT2H');
    expect((await enrollment(second.enrollmentId)).status).toBe('active');
    expect(await emailsOf(second.enrollmentId)).toEqual([expect.objectContaining({ id: held.id, status: 'sent' })]);
    const afterReturn = await emailsOf(first.enrollmentId);
    expect(afterReturn.map((e: any) => [e.subject, e.status])).toEqual([['Hi', 'sent'], ['Again', 'sent']]);
    expect(Date.parse(afterReturn[1].sentAt)).toBeGreaterThanOrEqual(Date.parse('2026-03-04T09:00:00Z'));
    // The second lead's call comes once its email is out, due now.
    const [secondCall] = ok(await h.api('GET', `/api/tasks?status=open&enrollmentId=${second.enrollmentId}`)).items;
    expect(await queue('today')).toEqual([secondCall.id]);
  });

  it('DELETE brings the rep back early: paused enrolments run again and tasks are due at once', async () => {
    const { enrollmentId, task } = await callDue('early@example.com');
    const off = await takeOff(at(1), '2026-03-09T00:00:00.000Z');
    const later = await takeOff('2026-05-01T00:00:00Z', '2026-05-08T00:00:00Z');
    await advance(h, 'PT5M');
    expect((await enrollment(enrollmentId)).status).toBe('paused');
    expect(await queue('today')).toEqual([]);

    // Another rep, unknown ids and ids that are not ids: 404, and nothing changes.
    for (const [user, id, token] of [
      [h.reps[0].id, off.id, h.reps[1].token],
      [h.reps[1].id, off.id, h.reps[1].token],
      [h.reps[0].id, randomUUID(), h.reps[0].token],
      [h.reps[0].id, 'not-an-id', h.reps[0].token],
      ['nobody', off.id, h.adminToken],
    ]) {
      expectError(await h.api('DELETE', `/api/users/${user}/time-off/${id}`, undefined, token), 404, 'not_found');
    }
    expectError(await h.api('DELETE', `/api/users/${h.reps[0].id}/time-off/${off.id}`, undefined, null), 401, 'unauthorized');
    expect((await enrollment(enrollmentId)).status).toBe('paused');

    const res = await h.api('DELETE', `/api/users/${h.reps[0].id}/time-off/${off.id}`, undefined, h.reps[0].token);
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    expect((await enrollment(enrollmentId)).status).toBe('active');
    expect(await queue('today')).toEqual([task.id]);
    expect(ok(await h.api('GET', `/api/users/${h.reps[0].id}/time-off`, undefined, h.reps[0].token)).items.map((t: any) => t.id)).toEqual([later.id]);
    expectError(await h.api('DELETE', `/api/users/${h.reps[0].id}/time-off/${off.id}`, undefined, h.reps[0].token), 404, 'not_found');
    // Back at work: the call done, the next email goes an hour later, not next week.
    ok(await h.api('POST', `/api/tasks/${task.id}/complete`, { outcome: 'connected' }, h.reps[0].token));
    await advance(h, 'PT61M');
    expect((await emailsOf(enrollmentId)).map((e: any) => [e.subject, e.status])).toEqual([['Hi', 'sent'], ['Again', 'sent']]);
    // A time off still to come goes without touching anything (an admin may cancel it too).
    expect((await h.api('DELETE', `/api/users/${h.reps[0].id}/time-off/${later.id}`)).status).toBe(204);
    expect(ok(await h.api('GET', `/api/users/${h.reps[0].id}/time-off`, undefined, h.reps[0].token)).items).toEqual([]);
  });
});
