import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';

describe.each(BACKENDS)('a cadence runs end to end on %s', (backend) => {
  let h: Harness;
  beforeEach(async () => {
    // Monday 2 March 2026, 08:00 UTC = 03:00 in New York: before the schedule opens.
    h = await startHarness(backend);
  });
  afterEach(() => h.close());

  async function setup() {
    const rep = h.reps[0];
    const lead = await h.api('POST', '/api/leads', { email: 'ada@example.com', firstName: 'Ada', company: 'Acme', ownerId: rep.id, timezone: 'America/New_York' });
    expect(lead.status).toBe(201);
    const cadence = await h.api('POST', '/api/cadences', {
      name: 'Outbound',
      steps: [
        { type: 'email', subject: 'Hello {{lead.firstName}}', body: 'Hi {{lead.firstName}} at {{lead.company}}' },
        { type: 'call', delayDays: 2, title: 'Call {{lead.firstName}}' },
        { type: 'email', delayDays: 3, threadWithPrevious: true, body: 'Following up' },
      ],
    });
    expect(cadence.status).toBe(201);
    expect(cadence.body.status).toBe('draft');
    expect((await h.api('POST', `/api/cadences/${cadence.body.id}/activate`)).body.status).toBe('active');
    const enrolled = await h.api('POST', `/api/cadences/${cadence.body.id}/enrollments`, { recordIds: [lead.body.id] });
    expect(enrolled.status).toBe(201);
    return { lead: lead.body, cadence: cadence.body, enrollmentId: enrolled.body.enrolled[0].id as string };
  }

  it('sends at the schedule opening in the lead zone, waits for the call, threads the follow-up', async () => {
    const { cadence, enrollmentId } = await setup();
    let e = await h.api('GET', `/api/enrollments/${enrollmentId}`);
    expect(e.body).toMatchObject({ status: 'active', nextStepId: cadence.steps[0].id, nextDueAt: '2026-03-02T14:00:00.000Z' });

    await h.api('POST', '/api/dev/clock', { to: '2026-03-02T13:59:00Z' });
    expect((await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items).toHaveLength(0);

    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    const emails = (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items;
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ status: 'sent', subject: 'Hello Ada', to: 'ada@example.com', sentAt: '2026-03-02T14:00:00.000Z' });

    // The call falls due two days after the email was sent, 09:00 New York.
    e = await h.api('GET', `/api/enrollments/${enrollmentId}`);
    expect(e.body.nextDueAt).toBe('2026-03-04T14:00:00.000Z');
    await h.api('POST', '/api/dev/clock', { advance: 'P2D' });
    const tasks = (await h.api('GET', `/api/tasks?status=open&enrollmentId=${enrollmentId}`, undefined, h.reps[0].token)).body.items;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ type: 'call', title: 'Call Ada', ownerId: h.reps[0].id, stepId: cadence.steps[1].id });

    // Nothing moves while the rep has not called.
    await h.api('POST', '/api/dev/clock', { advance: 'P5D' });
    expect((await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items).toHaveLength(1);

    const done = await h.api('POST', `/api/tasks/${tasks[0].id}/complete`, { outcome: 'connected' }, h.reps[0].token);
    expect(done.body.status).toBe('completed');
    e = await h.api('GET', `/api/enrollments/${enrollmentId}`);
    // Completed Mon 9 March 14:00Z, 10:00 EDT after the DST change: three days later at 10:00 local.
    expect(e.body.nextDueAt).toBe('2026-03-12T14:00:00.000Z');

    await h.api('POST', '/api/dev/clock', { to: '2026-03-12T14:00:00Z' });
    const all = (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items;
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({ status: 'sent', subject: 'Re: Hello Ada', inReplyTo: all[0].messageId });
    expect(all[1].messageId).not.toBe(all[0].messageId);
    e = await h.api('GET', `/api/enrollments/${enrollmentId}`);
    expect(e.body).toMatchObject({ status: 'completed' });
    expect(e.body.nextDueAt).toBeUndefined();

    const stats = (await h.api('GET', `/api/cadences/${cadence.id}/stats`)).body;
    expect(stats.enrollments).toMatchObject({ completed: 1, active: 0 });
    expect(stats.steps.map((s: { sent: number }) => s.sent)).toEqual([1, 0, 1]);
    expect(stats.steps[1]).toMatchObject({ executed: 1, tasksCompleted: 1 });
  });

  it('exits on a reply: open tasks cancelled, queued email not sent, reason recorded', async () => {
    const { lead, cadence, enrollmentId } = await setup();
    await h.api('POST', '/api/dev/clock', { to: '2026-03-02T14:00:00Z' });
    await h.api('POST', '/api/dev/clock', { to: '2026-03-04T14:00:00Z' });
    const [task] = (await h.api('GET', `/api/tasks?enrollmentId=${enrollmentId}`)).body.items;
    expect(task.status).toBe('open');
    const signal = await h.api('POST', '/api/signals', { type: 'replied', recordId: lead.id });
    expect(signal.status).toBe(202);
    const e = (await h.api('GET', `/api/enrollments/${enrollmentId}`)).body;
    expect(e).toMatchObject({ status: 'exited', exitReason: 'replied' });
    expect((await h.api('GET', `/api/tasks?enrollmentId=${enrollmentId}`)).body.items[0].status).toBe('cancelled');
    await h.api('POST', '/api/dev/clock', { advance: 'P30D' });
    expect((await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items).toHaveLength(1);
    const stats = (await h.api('GET', `/api/cadences/${cadence.id}/stats`)).body;
    expect(stats.exitReasons).toEqual({ replied: 1 });
  });

});
