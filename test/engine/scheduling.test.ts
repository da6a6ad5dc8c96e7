import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';

describe.each(BACKENDS)('scheduling a sales team can trust, on %s', (backend) => {
  let h: Harness;
  afterEach(() => h.close());

  async function cadence(body: Record<string, unknown>) {
    const c = await h.api('POST', '/api/cadences', { name: 'C', ...body });
    expect(c.status).toBe(201);
    expect((await h.api('POST', `/api/cadences/${c.body.id}/activate`)).status).toBe(200);
    return c.body;
  }
  async function lead(extra: Record<string, unknown> = {}) {
    const l = await h.api('POST', '/api/leads', { email: `l${Math.random()}@example.com`, ownerId: h.reps[0].id, ...extra });
    expect(l.status).toBe(201);
    return l.body.id as string;
  }
  async function enrol(cadenceId: string, recordIds: string[]) {
    return (await h.api('POST', `/api/cadences/${cadenceId}/enrollments`, { recordIds })).body;
  }
  const get = async (id: string) => (await h.api('GET', `/api/enrollments/${id}`)).body;
  const tasksOf = async (enrollmentId: string) => (await h.api('GET', `/api/tasks?enrollmentId=${enrollmentId}`)).body.items;

  it('a Friday-evening enrolment in Asia/Kolkata first runs Monday 09:00 IST', async () => {
    h = await startHarness(backend, new Date('2026-03-06T13:00:00Z')); // Friday 18:30 IST
    const c = await cadence({ steps: [{ type: 'call', title: 'Call' }] });
    const { enrolled } = await enrol(c.id, [await lead({ timezone: 'Asia/Kolkata' })]);
    expect((await get(enrolled[0].id)).nextDueAt).toBe('2026-03-09T03:30:00.000Z');
    await h.api('POST', '/api/dev/clock', { to: '2026-03-09T03:29:00Z' });
    expect(await tasksOf(enrolled[0].id)).toHaveLength(0);
    await h.api('POST', '/api/dev/clock', { to: '2026-03-09T03:30:00Z' });
    expect((await tasksOf(enrolled[0].id))[0].dueAt).toBe('2026-03-09T03:30:00.000Z');
  });

  it('a 09:30 step stays at 09:30 local across the daylight-saving change', async () => {
    h = await startHarness(backend, new Date('2026-03-06T14:30:00Z')); // Friday 09:30 EST
    const c = await cadence({ waitForTasks: false, steps: [{ type: 'task', title: 'A' }, { type: 'task', delayDays: 3, title: 'B' }] });
    const { enrolled } = await enrol(c.id, [await lead({ timezone: 'America/New_York' })]);
    await h.api('POST', '/api/dev/clock', { advance: 'PT0S' });
    // Monday 9 March, after the clocks went forward: 09:30 EDT is 13:30 UTC.
    expect((await get(enrolled[0].id)).nextDueAt).toBe('2026-03-09T13:30:00.000Z');
    await h.api('POST', '/api/dev/clock', { to: '2026-03-09T13:30:00Z' });
    expect((await tasksOf(enrolled[0].id)).map((t: { dueAt: string }) => t.dueAt)).toEqual(['2026-03-06T14:30:00.000Z', '2026-03-09T13:30:00.000Z']);
  });

  it('a week-long pause resumes without a burst of overdue steps', async () => {
    h = await startHarness(backend, new Date('2026-03-02T10:00:00Z')); // Monday
    const schedule = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timezone: 'UTC' };
    const c = await cadence({ schedule, steps: [1, 2, 3].map((n) => ({ type: 'email', delayDays: n === 1 ? 0 : 1, subject: `S${n}`, body: 'B' })) });
    const { enrolled } = await enrol(c.id, [await lead()]);
    const id = enrolled[0].id;
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    await h.api('POST', `/api/enrollments/${id}/pause`);
    await h.api('POST', '/api/dev/clock', { advance: 'P7D' });
    const emails = async () => (await h.api('GET', `/api/emails?enrollmentId=${id}`)).body.items;
    expect(await emails()).toHaveLength(1);
    expect((await h.api('POST', `/api/enrollments/${id}/resume`)).body.nextDueAt).toBe('2026-03-09T10:01:00.000Z');
    await h.api('POST', '/api/dev/clock', { to: '2026-03-09T10:01:00Z' });
    expect((await emails()).map((e: { subject: string }) => e.subject)).toEqual(['S1', 'S2']);
    expect((await get(id)).nextDueAt).toBe('2026-03-10T10:01:00.000Z');
  });

  it('a paused cadence runs nothing, and on reactivation over a weekend waits for Monday', async () => {
    h = await startHarness(backend, new Date('2026-03-02T10:00:00Z'));
    const schedule = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timezone: 'UTC' };
    const c = await cadence({ schedule, waitForTasks: false, steps: [{ type: 'task', title: 'A' }, { type: 'task', delayDays: 1, title: 'B' }] });
    const { enrolled } = await enrol(c.id, [await lead()]);
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    await h.api('POST', `/api/cadences/${c.id}/pause`);
    await h.api('POST', '/api/dev/clock', { to: '2026-03-07T12:00:00Z' }); // Saturday
    expect(await tasksOf(enrolled[0].id)).toHaveLength(1);
    await h.api('POST', `/api/cadences/${c.id}/activate`);
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(await tasksOf(enrolled[0].id)).toHaveLength(1);
    expect((await get(enrolled[0].id)).nextDueAt).toBe('2026-03-09T09:00:00.000Z');
    await h.api('POST', '/api/dev/clock', { to: '2026-03-09T09:00:00Z' });
    expect(await tasksOf(enrolled[0].id)).toHaveLength(2);
  });

  it('an edit mid-cadence: running enrolments follow the new version from their next step', async () => {
    h = await startHarness(backend, new Date('2026-03-02T10:00:00Z'));
    const schedule = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' };
    const c = await cadence({ schedule, steps: [
      { type: 'email', subject: 'One', body: 'B' },
      { type: 'email', delayDays: 1, subject: 'Two', body: 'B' },
      { type: 'email', delayDays: 1, subject: 'Three', body: 'B' },
    ] });
    const { enrolled } = await enrol(c.id, [await lead()]);
    const id = enrolled[0].id;
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    // Step two is removed and step three reworded, while the enrolment waits for step two.
    const edited = await h.api('PATCH', `/api/cadences/${c.id}`, { steps: [
      { id: c.steps[0].id, type: 'email', subject: 'One', body: 'B' },
      { id: c.steps[2].id, type: 'email', delayDays: 1, subject: 'Three, reworded', body: 'B' },
    ] });
    expect(edited.body.version).toBe(2);
    expect((await h.api('GET', `/api/cadences/${c.id}`)).body.enrollmentsByVersion).toEqual({ 1: 1 });
    await h.api('POST', '/api/dev/clock', { advance: 'P1D' });
    const subjects = (await h.api('GET', `/api/emails?enrollmentId=${id}`)).body.items.map((e: { subject: string }) => e.subject);
    expect(subjects).toEqual(['One', 'Three, reworded']);
    const e = await get(id);
    expect(e).toMatchObject({ status: 'completed', cadenceVersion: 2 });
    expect(e.history.map((x: { stepId: string; cadenceVersion: number }) => [x.stepId, x.cadenceVersion])).toEqual([[c.steps[0].id, 1], [c.steps[2].id, 2]]);
  });

  it('an edit that removes the waited-on step and adds one in front: the enrolment goes on with the next remaining step', async () => {
    h = await startHarness(backend, new Date('2026-03-02T10:00:00Z'));
    const schedule = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' };
    const c = await cadence({ schedule, waitForTasks: false, steps: [
      { type: 'task', title: 'A' },
      { type: 'task', delayDays: 1, title: 'B' },
      { type: 'task', delayDays: 1, title: 'C' },
    ] });
    const { enrolled } = await enrol(c.id, [await lead()]);
    const id = enrolled[0].id;
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect((await get(id)).nextStepId).toBe(c.steps[1].id);
    const edited = await h.api('PATCH', `/api/cadences/${c.id}`, { steps: [
      { type: 'task', title: 'New first' },
      { id: c.steps[0].id, type: 'task', title: 'A' },
      { id: c.steps[2].id, type: 'task', delayDays: 1, title: 'C' },
    ] });
    expect(edited.body.version).toBe(2);
    await h.api('POST', '/api/dev/clock', { advance: 'P2D' });
    // A is not run again and C is not skipped; the new first step is behind the enrolment.
    expect((await tasksOf(id)).map((t: { title: string }) => t.title).sort()).toEqual(['A', 'C']);
    expect(await get(id)).toMatchObject({ status: 'completed', cadenceVersion: 2 });
  });

  it('a throttle of 5 per rep per day with 12 enrolments: 5 start, the rest wait and start in order', async () => {
    h = await startHarness(backend, new Date('2026-03-02T10:00:00Z'));
    const c = await cadence({ throttle: { perRepPerDay: 5 }, steps: [{ type: 'call', title: 'Call' }] });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await lead({ email: `t${i}@example.com` }));
    const { enrolled } = await enrol(c.id, ids);
    expect(enrolled).toHaveLength(12);
    const statuses = async () => Promise.all(enrolled.map(async (e: { id: string }) => (await get(e.id)).status));
    expect(await statuses()).toEqual([...Array(5).fill('active'), ...Array(7).fill('pending')]);
    expect((await h.api('GET', `/api/cadences/${c.id}/stats`)).body.enrollments).toMatchObject({ active: 5, pending: 7 });
    await h.api('POST', '/api/dev/clock', { advance: 'PT1H' });
    expect(await statuses()).toEqual([...Array(5).fill('active'), ...Array(7).fill('pending')]);
    await h.api('POST', '/api/dev/clock', { to: '2026-03-03T05:01:00Z' }); // a new day in New York
    expect(await statuses()).toEqual([...Array(10).fill('active'), ...Array(2).fill('pending')]);
    await h.api('POST', '/api/dev/clock', { to: '2026-03-04T05:01:00Z' });
    expect(await statuses()).toEqual(Array(12).fill('active'));
  });

  it('automatic enrolment by a saved filter, on create, on change and for existing records', async () => {
    h = await startHarness(backend, new Date('2026-03-02T10:00:00Z'));
    const before = await lead({ status: 'Hot' });
    const c = await cadence({ autoEnroll: { filter: [{ field: 'status', in: ['Hot'] }], existingRecords: true }, steps: [{ type: 'call', title: 'Call' }] });
    const created = await lead({ status: 'Hot' });
    const cold = await lead({ status: 'Cold' });
    const list = async () => (await h.api('GET', `/api/enrollments?cadenceId=${c.id}`)).body.items.map((e: { recordId: string }) => e.recordId).sort();
    expect(await list()).toEqual([before, created].sort());
    await h.api('PATCH', `/api/leads/${cold}`, { status: 'Hot' });
    expect(await list()).toEqual([before, created, cold].sort());
  });

  it('business days skip the organisation\u2019s holidays; an unknown zone is refused', async () => {
    h = await startHarness(backend, new Date('2026-03-05T10:00:00Z')); // Thursday
    expect((await h.api('PATCH', '/api/organization', { timezone: 'Mars/Olympus' })).status).toBe(400);
    expect((await h.api('POST', '/api/holidays', { dates: ['2026-03-06'] })).body.items).toEqual(['2026-03-06']);
    const c = await cadence({ schedule: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timezone: 'UTC' }, waitForTasks: false,
      steps: [{ type: 'task', title: 'A' }, { type: 'task', delay: { amount: 1, unit: 'business_days' }, title: 'B' }] });
    const { enrolled } = await enrol(c.id, [await lead()]);
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    // Thursday + 1 business day, Friday being a holiday: Monday.
    expect((await get(enrolled[0].id)).nextDueAt).toBe('2026-03-09T10:01:00.000Z');
  });

  it('a rep\u2019s time off pauses their enrolments for the range; they resume after it', async () => {
    h = await startHarness(backend, new Date('2026-03-02T10:00:00Z'));
    const schedule = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' };
    const c = await cadence({ schedule, waitForTasks: false, steps: [{ type: 'task', title: 'A' }, { type: 'task', delayDays: 1, title: 'B' }] });
    const { enrolled } = await enrol(c.id, [await lead()]);
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    const off = await h.api('POST', `/api/users/${h.reps[0].id}/time-off`, { from: '2026-03-02T12:00:00Z', to: '2026-03-06T00:00:00Z' }, h.reps[0].token);
    expect(off.status).toBe(201);
    await h.api('POST', '/api/dev/clock', { to: '2026-03-03T12:00:00Z' });
    expect((await get(enrolled[0].id)).status).toBe('paused');
    expect(await tasksOf(enrolled[0].id)).toHaveLength(1);
    await h.api('POST', '/api/dev/clock', { to: '2026-03-06T00:00:00Z' });
    expect((await get(enrolled[0].id)).status).toBe('completed');
    expect((await tasksOf(enrolled[0].id))[1].dueAt).toBe('2026-03-06T00:00:00.000Z');
  });
});
