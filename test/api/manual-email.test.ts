import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { ALWAYS_OPEN, advance, createCadence, createLead, enrollOne, expectError, expectFieldError } from './helpers.ts';

/**
 * A manual email step, worked by the rep: the draft rendered for the lead (threaded when
 * the step asks, missing merge fields named), edited, and sent from the task owner's
 * mailbox through the same pipeline as automatic steps, to a real SMTP server.
 */
describe.each(BACKENDS)('manual emails on %s', (backend) => {
  const sink = new SmtpSink();
  let smtpUrl = '';
  let h: Harness;
  beforeAll(async () => { smtpUrl = await sink.start(); });
  afterAll(() => sink.stop());
  beforeEach(async () => {
    sink.received.length = 0;
    h = await startHarness(backend, new Date('2026-03-02T08:00:00Z'), smtpUrl);
    for (const [i, rep] of h.reps.entries()) {
      const res = await h.api('PUT', `/api/users/${rep.id}/mailbox`, { fromEmail: `rep${i + 1}@sales.example`, fromName: `Rep ${i + 1}` });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  });
  afterEach(() => h.close());

  const ok = (res: { status: number; body: any }, status = 200) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  const openTasks = async (enrollmentId: string) =>
    ok(await h.api('GET', `/api/tasks?status=open&enrollmentId=${enrollmentId}`)).items as any[];
  const emailCount = async () => Number((await sql<{ n: number }>`select count(*)::int as n from emails`.execute(h.ctx.db)).rows[0].n);

  /** Rep 1's lead enrolled in `steps`; the engine has run the first minute. */
  async function enrolled(lead: Record<string, unknown>, steps: unknown[]) {
    const record = await createLead(h, { email: `lead-${randomUUID()}@customer.example`, ownerId: h.reps[0].id, timezone: 'UTC', ...lead });
    const cadence = await createCadence(h, { name: 'Outbound', schedule: ALWAYS_OPEN, steps });
    const enrollmentId = await enrollOne(h, cadence.id, record.id, h.reps[0].token);
    await advance(h, 'PT1M');
    return { lead: record, cadence, enrollmentId };
  }

  it('drafts it threaded with the missing field named, refuses to send it so, and sends the rep\u2019s edit tracked and threaded', async () => {
    const rep = h.reps[0];
    const { lead, enrollmentId } = await enrolled({ firstName: 'Ada' }, [
      { type: 'email', subject: 'Hello {{lead.firstName}}', body: 'Hi {{lead.firstName}}' },
      {
        type: 'email', mode: 'manual', threadWithPrevious: true, subject: 'not used: the email is a reply',
        body: '<p>Hi {{lead.firstName}}, how is {{lead.company}}? <a href="https://example.com/demo">Book a demo</a></p>',
      },
      { type: 'task', title: 'After the email' },
    ]);
    expect(sink.received).toHaveLength(1);
    const first = sink.received[0].parsed;
    const [task] = await openTasks(enrollmentId);
    expect(task).toMatchObject({ type: 'email', ownerId: rep.id });

    const draft = ok(await h.api('GET', `/api/tasks/${task.id}/draft`, undefined, rep.token));
    expect(draft).toEqual({
      to: lead.email,
      from: 'Rep 1 <rep1@sales.example>',
      subject: 'Re: Hello Ada',
      body: '<p>Hi Ada, how is {{ lead.company }}? <a href="https://example.com/demo">Book a demo</a></p>',
      format: 'html',
      threaded: true,
      missing: ['lead.company'],
    });

    // Sent as the template, or as the draft unchanged: the missing field blocks it, and nothing is written.
    const emails = await emailCount();
    for (const body of [undefined, { body: draft.body }, { subject: 'Re: Hello Ada' }]) {
      const refused = await h.api('POST', `/api/tasks/${task.id}/send`, body, rep.token);
      expectError(refused, 422, 'unprocessable');
      expect(refused.body.error.message).toContain('lead.company');
      expect(refused.body.error.details).toEqual({ missing: ['lead.company'] });
    }
    expect(await emailCount()).toBe(emails);
    expect((await openTasks(enrollmentId)).map((t) => t.id)).toEqual([task.id]);

    const sent = ok(await h.api('POST', `/api/tasks/${task.id}/send`, { body: draft.body.replace('{{ lead.company }}', 'your team') }, rep.token));
    expect(sent.task).toMatchObject({ id: task.id, status: 'completed' });
    expect(sent.email).toMatchObject({
      status: 'queued', from: 'Rep 1 <rep1@sales.example>', to: lead.email, subject: 'Re: Hello Ada',
      inReplyTo: first.messageId, enrollmentId, stepId: task.stepId,
    });
    // The enrolment moved on as for a completed task.
    expect((await openTasks(enrollmentId)).map((t) => t.title)).toEqual(['After the email']);

    await advance(h, 'PT1M');
    expect(sink.received).toHaveLength(2);
    const mail = sink.received[1];
    expect(mail.envelope.from).toBe('rep1@sales.example');
    expect(mail.envelope.to).toEqual([lead.email]);
    expect(mail.parsed.subject).toBe('Re: Hello Ada');
    expect(mail.parsed.messageId).toBe(sent.email.messageId);
    expect(mail.parsed.inReplyTo).toBe(first.messageId);
    expect([mail.parsed.references].flat()).toContain(first.messageId);
    const html = String(mail.parsed.html);
    expect(html).toContain('how is your team?');
    expect(html).toMatch(/<img[^>]+src="http:\/\/cadenza\.test\/t\/o\/[\w-]+"/);
    expect(html).toMatch(/href="http:\/\/cadenza\.test\/t\/c\/[\w-]+\.0"/);
    expect(mail.raw.toString()).toMatch(/^List-Unsubscribe: <http:\/\/cadenza\.test\/u\/[\w-]+>/m);
    expect(ok(await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).items.map((e: any) => e.status)).toEqual(['sent', 'sent']);
    const timeline = ok(await h.api('GET', `/api/leads/${lead.id}/timeline`, undefined, rep.token)).items;
    expect(timeline.find((i: any) => i.type === 'task_completed')).toMatchObject({ taskId: task.id, emailId: sent.email.id });

    expectError(await h.api('POST', `/api/tasks/${task.id}/send`, {}, rep.token), 409, 'invalid_state');
    expectError(await h.api('GET', `/api/tasks/${task.id}/draft`, undefined, rep.token), 409, 'invalid_state');
  });

  it('sends from the owner\u2019s mailbox after a reassignment, renders the edits, and goes even though its enrolment completed', async () => {
    const [rep1, rep2] = h.reps;
    const { lead, enrollmentId } = await enrolled({ company: 'Acme' }, [
      { type: 'email', mode: 'manual', subject: 'Quick question, {{lead.firstName}}', body: 'Hi {{lead.firstName | fallback: "there"}},\nShall we talk?' },
    ]);
    const [task] = await openTasks(enrollmentId);
    expect(ok(await h.api('GET', `/api/tasks/${task.id}/draft`, undefined, rep1.token))).toEqual({
      to: lead.email, from: 'Rep 1 <rep1@sales.example>', subject: 'Quick question, {{ lead.firstName }}',
      body: 'Hi there,\nShall we talk?', format: 'text', threaded: false, missing: ['lead.firstName'],
    });
    ok(await h.api('POST', `/api/tasks/${task.id}/reassign`, { ownerId: rep2.id }, rep1.token));
    expectError(await h.api('GET', `/api/tasks/${task.id}/draft`, undefined, rep1.token), 404, 'not_found');
    expectError(await h.api('POST', `/api/tasks/${task.id}/send`, { subject: 'Hi' }, rep1.token), 404, 'not_found');
    expect(ok(await h.api('GET', `/api/tasks/${task.id}/draft`, undefined, rep2.token)).from).toBe('Rep 2 <rep2@sales.example>');

    // Bad edits: 400 naming the field, and the task stays open.
    expectFieldError(await h.api('POST', `/api/tasks/${task.id}/send`, { subject: 'x'.repeat(999) }, rep2.token), 'subject');
    expectFieldError(await h.api('POST', `/api/tasks/${task.id}/send`, { body: 'x'.repeat(100_001) }, rep2.token), 'body');
    expectFieldError(await h.api('POST', `/api/tasks/${task.id}/send`, { subject: 5 }, rep2.token), 'subject');
    expectFieldError(await h.api('POST', `/api/tasks/${task.id}/send`, { body: 'Hi {{ lead.firstName' }, rep2.token), 'body');
    expectError(await h.api('POST', `/api/tasks/${task.id}/send`, '[]', rep2.token), 400, 'invalid_request');
    expect((await openTasks(enrollmentId)).map((t) => t.id)).toEqual([task.id]);

    const sent = ok(await h.api('POST', `/api/tasks/${task.id}/send`, { subject: 'A note for {{lead.company}}', body: 'Hello {{lead.email}}' }, rep2.token));
    expect(sent.email).toMatchObject({ subject: 'A note for Acme', from: 'Rep 2 <rep2@sales.example>', status: 'queued' });
    expect(sent.email).not.toHaveProperty('inReplyTo');
    // Its only step done: the enrolment completed, and the rep's email still goes.
    expect(ok(await h.api('GET', `/api/enrollments/${enrollmentId}`)).status).toBe('completed');
    await advance(h, 'PT1M');
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0].envelope.from).toBe('rep2@sales.example');
    expect(sink.received[0].parsed.subject).toBe('A note for Acme');
    expect(sink.received[0].parsed.text).toContain(`Hello ${lead.email}`);
  });

  it('refuses a task that is not an open manual email, a lead that unsubscribed or bounced, and stops at an exit', async () => {
    const rep = h.reps[0];
    for (const id of [randomUUID(), 'not-a-uuid']) {
      expectError(await h.api('GET', `/api/tasks/${id}/draft`, undefined, rep.token), 404, 'not_found');
      expectError(await h.api('POST', `/api/tasks/${id}/send`, {}, rep.token), 404, 'not_found');
    }
    const call = await enrolled({ firstName: 'Bo' }, [{ type: 'call', title: 'Call' }]);
    const [callTask] = await openTasks(call.enrollmentId);
    const notEmail = await h.api('GET', `/api/tasks/${callTask.id}/draft`, undefined, rep.token);
    expectError(notEmail, 409, 'invalid_state');
    expect(notEmail.body.error.message).toContain('not a manual email');
    expectError(await h.api('POST', `/api/tasks/${callTask.id}/send`, {}, rep.token), 409, 'invalid_state');

    const steps = [{ type: 'email', mode: 'manual', subject: 'Hi', body: 'Hello' }, { type: 'task', delayDays: 1, title: 'Next' }];
    const gone = await enrolled({ firstName: 'Cy' }, steps);
    const [goneTask] = await openTasks(gone.enrollmentId);
    await sql`update leads set unsubscribed = true where id = ${gone.lead.id}`.execute(h.ctx.db);
    const refused = await h.api('POST', `/api/tasks/${goneTask.id}/send`, {}, rep.token);
    expectError(refused, 409, 'invalid_state');
    expect(refused.body.error.message).toBe(`${gone.lead.email} unsubscribed: no email may be sent to it`);
    const bounced = await enrolled({ firstName: 'Di' }, steps);
    const [bouncedTask] = await openTasks(bounced.enrollmentId);
    await sql`insert into suppressions (email, reason, created_at) values (${bounced.lead.email.toLowerCase()}, 'bounced', ${h.clock.now()})`.execute(h.ctx.db);
    expect((await h.api('POST', `/api/tasks/${bouncedTask.id}/send`, {}, rep.token)).body.error.message).toContain('bounced');
    expect((await openTasks(bounced.enrollmentId)).map((t) => t.id)).toEqual([bouncedTask.id]);

    // Sent, then the lead replies before the sender's turn: the exit stops it.
    const replied = await enrolled({ firstName: 'Ed' }, steps);
    const [repliedTask] = await openTasks(replied.enrollmentId);
    const queued = ok(await h.api('POST', `/api/tasks/${repliedTask.id}/send`, {}, rep.token));
    ok(await h.api('POST', '/api/signals', { type: 'replied', recordId: replied.lead.id }, rep.token), 202);
    await advance(h, 'PT1M');
    expect(sink.received).toEqual([]);
    expect(ok(await h.api('GET', `/api/emails?enrollmentId=${replied.enrollmentId}`)).items).toEqual([
      expect.objectContaining({ id: queued.email.id, status: 'cancelled' }),
    ]);
  });
});
