import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, advance, createCadence, createLead, enrollOne, expectError, expectFieldError } from './helpers.ts';

/**
 * A lead's timeline (GET /api/leads/:id/timeline): what happened to it, newest first,
 * from what the database records, with pauses, resumes and field changes recorded for
 * it (migration 0008). A rep sees its own leads' only.
 */
describe.each(BACKENDS)('a lead\u2019s timeline on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(backend); });
  afterAll(() => h.close());

  const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15';
  const PROXY = 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)';
  const ok = async (res: { status: number; body: any }, status = 200) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  const timelineOf = async (id: string, query = '', token = h.reps[0].token) =>
    ok(await h.api('GET', `/api/leads/${id}/timeline${query}`, undefined, token));

  /** Everything that can happen to a lead, a minute apart where order matters. */
  async function liveALife() {
    const rep = h.reps[0];
    const lead = await createLead(h, { email: `life-${randomUUID()}@example.com`, firstName: 'Ada', company: 'Acme', ownerId: rep.id, timezone: 'UTC' });
    const cadence = await createCadence(h, {
      name: 'Outbound', schedule: ALWAYS_OPEN,
      steps: [
        { type: 'email', subject: 'Hello {{lead.firstName}}', body: '<p>See <a href="https://example.com/pricing">pricing</a></p>' },
        { type: 'call', title: 'Call {{lead.firstName}}' },
        { type: 'task', title: 'Send the case study', condition: { stepIndex: 0, is: 'replied' } },
        { type: 'task', title: 'Wrap up' },
      ],
    });
    const enrollmentId = await enrollOne(h, cadence.id, lead.id, rep.token);
    await advance(h, 'PT1M');
    const email = await h.ctx.db.selectFrom('emails').select(['id', 'token', 'message_id']).where('enrollment_id', '=', enrollmentId).executeTakeFirstOrThrow();
    await advance(h, 'PT1M');
    await h.app.inject({ method: 'GET', url: `/t/o/${email.token}`, headers: { 'user-agent': PROXY } });
    await advance(h, 'PT1M');
    await h.app.inject({ method: 'GET', url: `/t/o/${email.token}`, headers: { 'user-agent': BROWSER } });
    await advance(h, 'PT1M');
    await ok(await h.api('POST', '/api/signals', { type: 'clicked', messageId: email.message_id }, rep.token), 202);
    await advance(h, 'PT1M');
    const [call] = (await h.api('GET', `/api/tasks?status=open&enrollmentId=${enrollmentId}`, undefined, rep.token)).body.items;
    await ok(await h.api('POST', `/api/tasks/${call.id}/complete`, { outcome: 'connected', note: 'Spoke to Ada' }, rep.token));
    await advance(h, 'PT1M');
    await ok(await h.api('POST', `/api/enrollments/${enrollmentId}/pause`, undefined, rep.token));
    await advance(h, 'PT1M');
    await ok(await h.api('POST', `/api/enrollments/${enrollmentId}/resume`, undefined, rep.token));
    await advance(h, 'PT1M');
    await ok(await h.api('PATCH', `/api/leads/${lead.id}`, { status: 'Contacted', company: 'Initech', fields: { industry: 'Retail' } }, rep.token));
    await advance(h, 'PT1M');
    const [wrapUp] = (await h.api('GET', `/api/tasks?status=open&enrollmentId=${enrollmentId}`, undefined, rep.token)).body.items;
    await ok(await h.api('POST', `/api/tasks/${wrapUp.id}/skip`, { note: 'no time' }, rep.token));
    await advance(h, 'PT1M');

    const second = await createCadence(h, { name: 'Nurture', schedule: ALWAYS_OPEN, steps: [{ type: 'email', subject: 'News', body: 'Some news' }, { type: 'call', delayDays: 2, title: 'Call' }] });
    const secondId = await enrollOne(h, second.id, lead.id, rep.token);
    await advance(h, 'PT1M');
    await advance(h, 'PT1M');
    const news = await h.ctx.db.selectFrom('emails').select('message_id').where('enrollment_id', '=', secondId).executeTakeFirstOrThrow();
    const outOfOffice = [
      `From: Ada <${lead.email}>`, 'To: rep1@example.com', 'Subject: Automatic reply: News', 'Auto-Submitted: auto-replied',
      `In-Reply-To: ${news.message_id}`, `Message-ID: <ooo-${randomUUID()}@customer.example>`, 'Content-Type: text/plain', '',
      'I am out of the office and will be back on 2026-04-20.', '',
    ].join('\r\n');
    const inbound = await h.app.inject({ method: 'POST', url: '/api/inbound/email', payload: outOfOffice, headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'message/rfc822' } });
    expect(inbound.json()).toMatchObject({ kind: 'auto_reply', matched: true });
    await advance(h, 'PT1M');
    await ok(await h.api('POST', '/api/signals', { type: 'replied', recordId: lead.id }, rep.token), 202);
    await advance(h, 'PT1M');
    await ok(await h.api('POST', `/api/leads/${lead.id}/convert`, undefined, rep.token));
    await advance(h, 'PT1M');
    await ok(await h.api('POST', '/api/signals', { type: 'meeting_booked', recordId: lead.id }, rep.token), 202);
    await advance(h, 'PT1M');
    await ok(await h.api('POST', '/api/signals', { type: 'unsubscribed', recordId: lead.id }, rep.token), 202);
    return { lead, enrollmentId, secondId, email, call, wrapUp };
  }

  it('tells what happened to a lead, newest first, with the details a rep needs', async () => {
    const { lead, enrollmentId, secondId, email, call, wrapUp } = await liveALife();
    const { items, nextBefore } = await timelineOf(lead.id);
    expect(nextBefore).toBeUndefined();
    expect(items.map((i: any) => i.type)).toEqual([
      'unsubscribed',
      'meeting_booked',
      'converted',
      'exited', 'email_replied',
      'paused', 'auto_reply',
      'email_sent',
      'enrolled',
      'completed', 'task_skipped',
      'field_changed',
      'resumed',
      'paused',
      'task_created', 'step_skipped', 'task_completed',
      'email_clicked',
      'email_opened',
      'email_opened',
      'task_created', 'email_sent',
      'enrolled',
    ]);
    const at = items.map((i: any) => Date.parse(i.at));
    expect([...at].sort((a, b) => b - a)).toEqual(at);

    const byType = (type: string) => items.filter((i: any) => i.type === type);
    expect(byType('enrolled').map((i: any) => i.title)).toEqual(['Enrolled in Nurture', 'Enrolled in Outbound']);
    expect(byType('enrolled')[1].enrollmentId).toBe(enrollmentId);
    expect(byType('email_sent')[1]).toMatchObject({ title: 'Email sent: Hello Ada', emailId: email.id, enrollmentId });
    // Opens by machines are flagged, to be shown apart.
    expect(byType('email_opened').map((i: any) => i.machine)).toEqual([false, true]);
    expect(byType('email_opened')[0]).toMatchObject({ title: 'Opened \u201cHello Ada\u201d', emailId: email.id });
    expect(byType('email_clicked')[0]).toMatchObject({ machine: false, emailId: email.id });
    expect(items.find((i: any) => i.type === 'task_completed')).toMatchObject({ title: 'Done: Call Ada', taskId: call.id, detail: 'connected \u2014 Spoke to Ada' });
    expect(byType('step_skipped')[0]).toMatchObject({ title: 'Step 3 of Outbound skipped', enrollmentId });
    expect(byType('step_skipped')[0].detail).toContain('condition not met');
    expect(byType('task_created').map((i: any) => i.title)).toEqual(['New to-do: Wrap up', 'New call: Call Ada']);
    // An out-of-office reply pauses the enrolment until the date it names.
    expect(byType('auto_reply')[0]).toMatchObject({ title: 'Auto-reply: out of office', enrollmentId: secondId });
    expect(byType('auto_reply')[0].detail).toMatch(/^paused until 2026-04-/);
    expect(byType('paused')[0]).toMatchObject({ title: 'Paused Nurture', enrollmentId: secondId });
    expect(byType('paused')[0].detail).toMatch(/^until 2026-04-/);
    expect(byType('paused')[1]).toMatchObject({ title: 'Paused Outbound', enrollmentId });
    expect(byType('paused')[1]).not.toHaveProperty('detail');
    expect(byType('resumed')[0]).toMatchObject({ title: 'Resumed Outbound', enrollmentId });
    expect(byType('field_changed')[0]).toMatchObject({
      title: 'Changed company, status, fields.industry',
      detail: 'company: Acme \u2192 Initech; status: New \u2192 Contacted; fields.industry: (empty) \u2192 Retail',
    });
    expect(byType('task_skipped')[0]).toMatchObject({ title: 'Skipped: Wrap up', taskId: wrapUp.id, detail: 'no time' });
    expect(byType('completed')[0]).toMatchObject({ title: 'Completed Outbound', enrollmentId });
    expect(byType('exited')[0]).toMatchObject({ title: 'Exited Nurture', enrollmentId: secondId, detail: 'replied: the lead replied' });
    expect(byType('converted')[0].title).toBe('Converted to a contact');
    // The admin sees any lead's timeline, the same.
    expect((await timelineOf(lead.id, '', h.adminToken)).items).toEqual(items);
  });

  it('pages by limit and the nextBefore cursor, without losing or repeating an item', async () => {
    const { lead } = await liveALife();
    const all = (await timelineOf(lead.id, '?limit=1000')).items;
    expect(all.length).toBeGreaterThan(20);
    const paged: any[] = [];
    let query = '?limit=3';
    for (let pages = 0; pages < 20; pages++) {
      const page = await timelineOf(lead.id, query);
      expect(page.items.length).toBeLessThanOrEqual(3);
      paged.push(...page.items);
      if (!page.nextBefore) break;
      query = `?limit=3&before=${encodeURIComponent(page.nextBefore)}`;
    }
    expect(paged).toEqual(all);
    // `before` also takes a plain instant: what happened strictly before it.
    const cut = all[5].at;
    const older = (await timelineOf(lead.id, `?before=${encodeURIComponent(cut)}`)).items;
    expect(older).toEqual(all.filter((i: any) => Date.parse(i.at) < Date.parse(cut)));
    expect((await timelineOf(lead.id, '?limit=1')).items).toEqual([all[0]]);
  });

  it('is the owner\u2019s and the admin\u2019s only; bad input answers 400 naming the parameter', async () => {
    const lead = await createLead(h, { email: `private-${randomUUID()}@example.com`, ownerId: h.reps[0].id });
    expect((await timelineOf(lead.id)).items).toEqual([]);
    expectError(await h.api('GET', `/api/leads/${lead.id}/timeline`, undefined, h.reps[1].token), 404, 'not_found');
    for (const id of [randomUUID(), 'not-a-uuid']) expectError(await h.api('GET', `/api/leads/${id}/timeline`), 404, 'not_found');
    expectError(await h.api('GET', `/api/leads/${lead.id}/timeline`, undefined, null), 401, 'unauthorized');
    for (const query of ['limit=0', 'limit=1001', 'limit=ten', 'before=yesterday', 'before=0000-01-01T00:00:00Z', 'before=2026-03-02T08:00:00Z~x%20y']) {
      const res = await h.api('GET', `/api/leads/${lead.id}/timeline?${query}`);
      expectFieldError(res, `querystring.${query.split('=')[0]}`);
    }
  });
});
