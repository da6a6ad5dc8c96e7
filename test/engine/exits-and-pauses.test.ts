import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';

const ALWAYS = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' };

describe.each(BACKENDS)('exits and pauses on %s', (backend) => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(backend, new Date('2026-03-02T08:00:00Z')); });
  afterEach(() => h.close());

  async function enrolOne(cadence: Record<string, unknown>, lead: Record<string, unknown> = {}) {
    const l = await h.api('POST', '/api/leads', { email: 'x@example.com', firstName: 'X', ownerId: h.reps[0].id, ...lead });
    const c = await h.api('POST', '/api/cadences', { name: 'C', schedule: ALWAYS, ...cadence });
    expect(c.status).toBe(201);
    await h.api('POST', `/api/cadences/${c.body.id}/activate`);
    const e = await h.api('POST', `/api/cadences/${c.body.id}/enrollments`, { recordIds: [l.body.id] });
    return { leadId: l.body.id as string, cadenceId: c.body.id as string, enrollmentId: e.body.enrolled[0].id as string };
  }
  const steps = [
    { type: 'call', title: 'Call' },
    { type: 'email', delayDays: 1, subject: 'S', body: 'B' },
  ];
  const enrollment = async (id: string) => (await h.api('GET', `/api/enrollments/${id}`)).body;
  const tasksOfEnrollment = async (id: string) => (await h.api('GET', `/api/tasks?enrollmentId=${id}`)).body.items;

  it('a status change that meets a field criterion exits with criteria_met', async () => {
    const { leadId, enrollmentId } = await enrolOne({ steps, exitOn: { fieldCriteria: [{ field: 'status', in: ['Qualified'] }] } });
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect((await h.api('PATCH', `/api/leads/${leadId}`, { status: 'Contacted' })).status).toBe(200);
    expect((await enrollment(enrollmentId)).status).toBe('active');
    await h.api('PATCH', `/api/leads/${leadId}`, { status: 'Qualified' });
    expect(await enrollment(enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'criteria_met' });
    expect((await h.api('GET', `/api/tasks?enrollmentId=${enrollmentId}`)).body.items[0].status).toBe('cancelled');
  });

  it('conversion and a booked meeting exit; a cadence may opt out of the meeting exit', async () => {
    const a = await enrolOne({ steps });
    expect((await h.api('POST', `/api/leads/${a.leadId}/convert`)).body).toMatchObject({ converted: true, module: 'contact' });
    expect(await enrollment(a.enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'converted' });

    const b = await enrolOne({ steps, exitOn: { onMeeting: false } }, { email: 'y@example.com' });
    expect((await h.api('POST', '/api/signals', { type: 'meeting_booked', recordId: b.leadId })).status).toBe(202);
    expect((await enrollment(b.enrollmentId)).status).toBe('active');
    const c = await enrolOne({ steps }, { email: 'z@example.com' });
    await h.api('POST', '/api/signals', { type: 'meeting_booked', recordId: c.leadId });
    expect(await enrollment(c.enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'meeting_booked' });
  });

  it('a call outcome the cadence names exits with call_outcome', async () => {
    const { enrollmentId } = await enrolOne({ steps, exitOn: { callOutcomes: ['not_interested'] } });
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    const [task] = (await h.api('GET', `/api/tasks?enrollmentId=${enrollmentId}`)).body.items;
    await h.api('POST', `/api/tasks/${task.id}/complete`, { outcome: 'not_interested' }, h.reps[0].token);
    expect(await enrollment(enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'call_outcome' });
    await h.api('POST', '/api/dev/clock', { advance: 'P3D' });
    expect((await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items).toHaveLength(0);
  });

  it('an auto-reply pauses until the return date it names, then the sequence resumes', async () => {
    const { enrollmentId } = await enrolOne({
      steps: [{ type: 'email', subject: 'One', body: 'first' }, { type: 'email', delayDays: 1, subject: 'Two', body: 'second' }],
    });
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    const [sent] = (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items;
    const ooo = [
      'From: X <x@example.com>', 'To: rep1@example.com', 'Subject: Automatic reply: One',
      'Auto-Submitted: auto-replied', `In-Reply-To: ${sent.messageId}`, 'Message-ID: <ooo-1@example.com>',
      'Date: Mon, 02 Mar 2026 08:02:00 +0000', 'Content-Type: text/plain', '',
      'I am out of the office and will be back on 2026-03-10.', '',
    ].join('\r\n');
    const res = await h.app.inject({ method: 'POST', url: '/api/inbound/email', payload: ooo, headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'message/rfc822' } });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ kind: 'auto_reply', matched: true, enrollmentId });
    expect((await enrollment(enrollmentId)).status).toBe('paused');
    await h.api('POST', '/api/dev/clock', { to: '2026-03-09T12:00:00Z' });
    expect((await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items).toHaveLength(1);
    await h.api('POST', '/api/dev/clock', { to: '2026-03-10T00:01:00Z' });
    expect((await enrollment(enrollmentId)).status).toBe('completed');
    const emails = (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items;
    expect(emails).toHaveLength(2);
    expect(emails[1].sentAt).toBe('2026-03-10T00:01:00.000Z');
  });

  it('a manual pause holds every step; resuming does not burst overdue steps outside the schedule', async () => {
    const weekdays = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timezone: 'UTC' };
    const { enrollmentId } = await enrolOne({ schedule: weekdays, steps: [{ type: 'email', subject: 'S', body: 'B' }] });
    expect((await h.api('POST', `/api/enrollments/${enrollmentId}/pause`, undefined, h.reps[0].token)).body.status).toBe('paused');
    await h.api('POST', '/api/dev/clock', { to: '2026-03-07T20:00:00Z' }); // Saturday evening
    expect((await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items).toHaveLength(0);
    const resumed = (await h.api('POST', `/api/enrollments/${enrollmentId}/resume`, undefined, h.reps[0].token)).body;
    expect(resumed).toMatchObject({ status: 'active', nextDueAt: '2026-03-09T09:00:00.000Z' });
    await h.api('POST', '/api/dev/clock', { advance: 'PT1H' });
    expect((await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items).toHaveLength(0);
  });

  it('the end date also ends enrolments waiting on a rep\u2019s open task', async () => {
    const { enrollmentId } = await enrolOne({ steps, exitOn: { endDate: '2026-03-02T12:00:00Z' } });
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect((await tasksOfEnrollment(enrollmentId))[0].status).toBe('open');
    await h.api('POST', '/api/dev/clock', { to: '2026-03-02T12:00:00Z' });
    expect(await enrollment(enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'ended' });
    expect((await tasksOfEnrollment(enrollmentId))[0].status).toBe('cancelled');
  });

  it('the cadence end date ends what is left', async () => {
    const { enrollmentId } = await enrolOne({ steps, exitOn: { endDate: '2026-03-02T12:00:00Z' } });
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    const [task] = (await h.api('GET', `/api/tasks?enrollmentId=${enrollmentId}`)).body.items;
    await h.api('POST', `/api/tasks/${task.id}/complete`, {}, h.reps[0].token);
    await h.api('POST', '/api/dev/clock', { to: '2026-03-03T12:00:00Z' });
    expect(await enrollment(enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'ended' });
    expect((await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items).toHaveLength(0);
  });
});
