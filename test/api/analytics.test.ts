import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, advance, createCadence, createLead, expectError, expectFieldError, send, unknownIds } from './helpers.ts';

/**
 * A cadence's analytics (GET /api/cadences/:id/stats, …/stats/export, …/stats/leads)
 * against a story driven through the engine on the manual clock:
 *
 * Monday 2 March 2026 08:00 UTC, four leads enrolled in email → call (a day later) →
 * email (a day later). Ada (rep 1) opens and clicks the first email; Bob (rep 1)
 * replies to it; Cy (rep 2) bounces. On Tuesday the calls: Ada's books a meeting,
 * Dee's (owned by "=cmd", a rep whose name is a spreadsheet formula) gets a voicemail.
 * On Wednesday Dee alone gets the last email.
 */
describe.each(BACKENDS)('cadence analytics on %s', (backend) => {
  let h: Harness;
  let cadence: any;
  let leads: Record<'ada' | 'bob' | 'cy' | 'dee', any>;
  let evilRep: { id: string };
  let stepIds: string[];
  const get = (url: string, as?: string | null) => h.api('GET', url, undefined, as);
  const stats = async (query = '') => {
    const res = await get(`/api/cadences/${cadence.id}/stats${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const leadsBehind = async (query: string, as?: string) => {
    const res = await get(`/api/cadences/${cadence.id}/stats/leads?${query}`, as);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const names = (body: { items: Array<{ name: string }> }) => body.items.map((i) => i.name);

  beforeAll(async () => {
    h = await startHarness(backend);
    const created = await h.api('POST', '/api/users', { name: '=cmd|" /C calc"!A0', email: 'evil@example.com', role: 'rep' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    evilRep = created.body;
    const [rep1, rep2] = h.reps;
    leads = {
      ada: await createLead(h, { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', company: 'Engines', ownerId: rep1.id }),
      bob: await createLead(h, { email: 'bob@example.com', firstName: 'Bob', company: 'Builders', ownerId: rep1.id }),
      cy: await createLead(h, { email: 'cy@example.com', firstName: 'Cy', ownerId: rep2.id }),
      dee: await createLead(h, { email: 'dee@example.com', firstName: 'Dee', ownerId: evilRep.id }),
    };
    cadence = await createCadence(h, {
      name: 'Outbound Q1',
      schedule: ALWAYS_OPEN,
      steps: [
        { type: 'email', subject: 'Hello {{lead.firstName}}', body: 'Hi' },
        { type: 'call', delayDays: 1, title: 'Call {{lead.firstName}}' },
        { type: 'email', delayDays: 1, subject: '=HYPERLINK("http://evil.example","Follow up")', body: 'Again' },
      ],
    });
    stepIds = cadence.steps.map((s: { id: string }) => s.id);
    const enrolled = await h.api('POST', `/api/cadences/${cadence.id}/enrollments`, { recordIds: Object.values(leads).map((l) => l.id) });
    expect(enrolled.status).toBe(201);
    await advance(h, 'PT1M');

    const emails = (await get(`/api/emails?limit=100`)).body.items as Array<{ to: string; messageId: string; status: string }>;
    const messageOf = (email: string) => emails.find((e) => e.to === email)!.messageId;
    expect(emails.filter((e) => e.status === 'sent')).toHaveLength(4);
    await advance(h, 'PT2H');
    for (const [type, email] of [['opened', 'ada'], ['opened', 'ada'], ['clicked', 'ada'], ['replied', 'bob'], ['bounced', 'cy']] as const) {
      const res = await h.api('POST', '/api/signals', { type, messageId: messageOf(`${email}@example.com`) });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
    }
    // A proxy's open of Dee's email counts for nothing.
    await h.api('POST', '/api/signals', { type: 'opened', messageId: messageOf('dee@example.com') });
    await h.ctx.db.updateTable('signals').set({ machine: true }).where('record_id', '=', leads.dee.id).execute();

    await advance(h, 'P1D'); // Tuesday: the calls
    const calls = (await get('/api/tasks?status=open')).body.items as Array<{ id: string; recordId: string }>;
    expect(calls).toHaveLength(2);
    const callOf = (lead: any) => calls.find((t) => t.recordId === lead.id)!.id;
    expect((await h.api('POST', `/api/tasks/${callOf(leads.ada)}/complete`, { outcome: 'meeting_booked' })).status).toBe(200);
    expect((await h.api('POST', `/api/tasks/${callOf(leads.dee)}/complete`, { outcome: 'voicemail' })).status).toBe(200);
    await advance(h, 'P1D'); // Wednesday: the last email, Dee's
    await advance(h, 'PT1M');
  }, 120_000);
  afterAll(() => h.close());

  it('keeps the stats as they were and adds each step\'s index, type and name, calls by outcome, reps and days', async () => {
    const s = await stats();
    expect(s.enrollments).toEqual({ pending: 0, active: 0, paused: 0, completed: 1, exited: 3, failed: 0 });
    expect(s.exitReasons).toEqual({ replied: 1, bounced: 1, meeting_booked: 1 });
    expect(s.steps).toHaveLength(3);
    expect(s.steps[0]).toMatchObject({
      stepId: stepIds[0], index: 0, type: 'email', name: 'Hello {{lead.firstName}}',
      executed: 4, skipped: 0, sent: 4, opened: 1, clicked: 1, replied: 1, bounced: 1, unsubscribed: 0, tasksCompleted: 0,
    });
    expect(s.steps[1]).toMatchObject({ index: 1, type: 'call', name: 'Call {{lead.firstName}}', executed: 2, tasksCompleted: 2, sent: 0 });
    expect(s.steps[1].callOutcomes).toEqual({
      connected: 0, voicemail: 1, no_answer: 0, busy: 0, wrong_number: 0, not_interested: 0, meeting_booked: 1,
    });
    expect(s.steps[2]).toMatchObject({ index: 2, type: 'email', executed: 1, sent: 1, opened: 0 });

    const byRep = Object.fromEntries(s.byRep.map((r: any) => [r.name, r]));
    expect(byRep['Rep 1']).toEqual({ ownerId: h.reps[0].id, name: 'Rep 1', enrolled: 2, sent: 2, replied: 1, meetings: 1 });
    expect(byRep['Rep 2']).toEqual({ ownerId: h.reps[1].id, name: 'Rep 2', enrolled: 1, sent: 1, replied: 0, meetings: 0 });
    expect(byRep['=cmd|" /C calc"!A0']).toMatchObject({ enrolled: 1, sent: 2, replied: 0, meetings: 0 });

    expect(s.range).toEqual({ from: null, to: null, timezone: 'UTC' });
    // Without a range: every day since the cadence was created, to today.
    expect(s.activity).toEqual([
      { day: '2026-03-02', sent: 4, opened: 1, clicked: 1, replied: 1, meetings: 0 },
      { day: '2026-03-03', sent: 0, opened: 0, clicked: 0, replied: 0, meetings: 1 },
      { day: '2026-03-04', sent: 1, opened: 0, clicked: 0, replied: 0, meetings: 0 },
    ]);
  });

  it('a date range counts what happened in it, days taken whole in the organisation\'s zone', async () => {
    const s = await stats('?from=2026-03-03&to=2026-03-04');
    expect(s.range).toEqual({ from: '2026-03-03T00:00:00.000Z', to: '2026-03-05T00:00:00.000Z', timezone: 'UTC' });
    expect(s.steps.map((x: any) => x.sent)).toEqual([0, 0, 1]);
    expect(s.steps[1].tasksCompleted).toBe(2);
    expect(s.exitReasons).toEqual({ meeting_booked: 1 }); // Ada's meeting was on Tuesday
    expect(s.enrollments.exited).toBe(0); // all four were enrolled on Monday
    expect(s.activity.map((d: any) => d.day)).toEqual(['2026-03-03', '2026-03-04']);

    // Instants too: Monday's first hours only.
    const monday = await stats('?from=2026-03-02T00:00:00Z&to=2026-03-02T09:00:00Z');
    expect(monday.steps[0]).toMatchObject({ sent: 4, opened: 0, replied: 0 }); // the opens and the reply came at 10:01

    // In Honolulu (UTC-10) Monday's sends at 08:01 UTC were on Sunday evening; the opens and the reply at 10:01 UTC, just after
    // Monday's midnight; Tuesday's calls at 10:01 UTC, just after Tuesday's.
    expect((await h.api('PATCH', '/api/organization', { timezone: 'Pacific/Honolulu' })).status).toBe(200);
    try {
      const honolulu = await stats('?from=2026-03-02&to=2026-03-02');
      expect(honolulu.range).toEqual({ from: '2026-03-02T10:00:00.000Z', to: '2026-03-03T10:00:00.000Z', timezone: 'Pacific/Honolulu' });
      expect(honolulu.steps[0]).toMatchObject({ sent: 0, opened: 1, clicked: 1, replied: 1, bounced: 1 });
      expect(honolulu.steps[1].tasksCompleted).toBe(0);
      expect(honolulu.activity).toEqual([{ day: '2026-03-02', sent: 0, opened: 1, clicked: 1, replied: 1, meetings: 0 }]);
      expect((await stats()).activity.slice(0, 2)).toEqual([
        { day: '2026-03-01', sent: 4, opened: 0, clicked: 0, replied: 0, meetings: 0 },
        { day: '2026-03-02', sent: 0, opened: 1, clicked: 1, replied: 1, meetings: 0 },
      ]);
    } finally {
      await h.api('PATCH', '/api/organization', { timezone: 'UTC' });
    }
  });

  it('a rep filter counts only that rep\'s leads', async () => {
    const s = await stats(`?ownerId=${h.reps[1].id}`);
    expect(s.byRep).toEqual([{ ownerId: h.reps[1].id, name: 'Rep 2', enrolled: 1, sent: 1, replied: 0, meetings: 0 }]);
    expect(s.steps[0]).toMatchObject({ sent: 1, bounced: 1, opened: 0 });
    expect(s.exitReasons).toEqual({ bounced: 1 });
    expect(s.enrollments.exited).toBe(1);
  });

  it('each number lists the leads behind it, by name, a page at a time', async () => {
    expect(names(await leadsBehind(`metric=opened&stepId=${stepIds[0]}`))).toEqual(['Ada Lovelace']);
    expect(names(await leadsBehind('metric=exit:bounced'))).toEqual(['Cy']);
    expect(names(await leadsBehind('metric=meetings'))).toEqual(['Ada Lovelace']);
    expect(names(await leadsBehind(`metric=call:voicemail&stepId=${stepIds[1]}`))).toEqual(['Dee']);
    expect(names(await leadsBehind('metric=status:completed'))).toEqual(['Dee']);
    expect(names(await leadsBehind(`metric=sent&stepId=${stepIds[2]}`))).toEqual(['Dee']);
    expect(names(await leadsBehind('metric=replied&from=2026-03-03'))).toEqual([]);
    expect(names(await leadsBehind(`metric=enrolled&ownerId=${h.reps[0].id}`))).toEqual(['Ada Lovelace', 'Bob']);

    const first = await leadsBehind('metric=sent&limit=3');
    expect(first.items[0]).toEqual({ id: leads.ada.id, name: 'Ada Lovelace', email: 'ada@example.com', company: 'Engines' });
    expect(names(first)).toEqual(['Ada Lovelace', 'Bob', 'Cy']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await leadsBehind(`metric=sent&limit=3&cursor=${first.nextCursor}`);
    expect(names(second)).toEqual(['Dee']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('a rep sees only their own leads behind a number', async () => {
    expect(names(await leadsBehind('metric=sent', h.reps[1].token))).toEqual(['Cy']);
  });

  it('exports the funnel per step and the reps as CSV, formulas defused', async () => {
    const res = await h.app.inject({
      method: 'GET', url: `/api/cadences/${cadence.id}/stats/export?from=2026-03-02&to=2026-03-04`, headers: { authorization: `Bearer ${h.adminToken}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="outbound-q1-2026-03-02-to-2026-03-04.csv"');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toMatch(/^Step,Type,Name,Executed,Skipped,Sent,Human opens \(estimate\),Clicked,Replied,Bounced,Unsubscribed,Tasks done,Calls: Connected,/);
    expect(lines[1]).toBe('1,email,Hello {{lead.firstName}},4,0,4,1,1,1,1,0,0,0,0,0,0,0,0,0');
    expect(lines[2]).toBe('2,call,Call {{lead.firstName}},2,0,0,0,0,0,0,0,2,0,1,0,0,0,0,1');
    expect(lines[3]).toBe('3,email,"\'=HYPERLINK(""http://evil.example"",""Follow up"")",1,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0');
    expect(lines[4]).toBe('');
    expect(lines[5]).toBe('Rep,Enrolled,Sent,Replied,Meetings');
    expect(lines).toContain('"\'=cmd|"" /C calc""!A0",1,2,0,0');
    expect(lines).toContain('Rep 1,2,2,1,1');
  });

  it('refuses a bad range, rep, metric, step or cursor, naming the parameter', async () => {
    const base = `/api/cadences/${cadence.id}`;
    for (const path of ['/stats', '/stats/export', '/stats/leads?metric=sent&']) {
      const url = (q: string) => `${base}${path}${path.endsWith('&') ? '' : '?'}${q}`;
      expectFieldError(await get(url('from=2026-02-30')), 'querystring.from');
      expectFieldError(await get(url('to=yesterday')), 'querystring.to');
      expectFieldError(await get(url('from=2026-03-02T10:00:00')), 'querystring.from'); // an instant without its offset
      expectFieldError(await get(url('from=2026-03-05&to=2026-03-01')), 'querystring.to');
      expectFieldError(await get(url('from=2025-01-01&to=2026-03-01')), 'querystring.to');
      expectFieldError(await get(url('from=2020-01-01')), 'querystring.from'); // to today: six years
      expectFieldError(await get(url('ownerId=rep-1')), 'querystring.ownerId');
    }
    // 366 days is the most.
    expect((await get(`${base}/stats?from=2025-03-05&to=2026-03-05`)).status).toBe(200);
    expect((await get(`${base}/stats?from=2025-03-05&to=2026-03-05`)).body.activity).toHaveLength(366);
    expectFieldError(await get(`${base}/stats/leads`), 'querystring.metric');
    expectFieldError(await get(`${base}/stats/leads?metric=opens`), 'querystring.metric');
    expectFieldError(await get(`${base}/stats/leads?metric=exit:bored`), 'querystring.metric');
    expectFieldError(await get(`${base}/stats/leads?metric=sent&stepId=nope`), 'querystring.stepId');
    expectFieldError(await get(`${base}/stats/leads?metric=sent&cursor=garbage`), 'querystring.cursor');
    expectFieldError(await get(`${base}/stats/leads?metric=sent&limit=1000`), 'querystring.limit');
  });

  it('an unknown cadence is not found; without a token, 401', async () => {
    for (const id of unknownIds()) {
      for (const path of ['stats', 'stats/export', 'stats/leads?metric=sent']) {
        expectError(await get(`/api/cadences/${id}/${path}`), 404, 'not_found');
      }
    }
    for (const path of ['stats', 'stats/export', 'stats/leads?metric=sent']) {
      expectError(await send(h, { method: 'GET', url: `/api/cadences/${cadence.id}/${path}` }), 401, 'unauthorized');
    }
  });
});
