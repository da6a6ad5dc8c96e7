import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startChildServer, type ChildServer } from '../support/child-server.ts';
import { SmtpSink } from '../support/smtp-sink.ts';

/**
 * The whole product as a user runs it: `cadenza serve` in its own process with the
 * manual clock, a real SMTP server receiving the mail, everything through the API.
 */
describe.each(BACKENDS)('cadenza serve end to end on %s', (backend) => {
  let server: ChildServer;
  const sink = new SmtpSink();

  beforeAll(async () => {
    const smtpUrl = await sink.start();
    // Monday 2 November 2026, 09:00 UTC.
    server = await startChildServer(backend, { CADENZA_CLOCK: 'manual', CADENZA_CLOCK_START: '2026-11-02T09:00:00Z', SMTP_URL: smtpUrl });
  });
  afterAll(async () => {
    await server?.stop();
    await sink.stop();
  });

  const schedule = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timezone: 'UTC' };
  let cadenceId = '';
  let repId = '';
  let repToken = '';

  it('runs a three-step cadence: email, call, threaded follow-up over SMTP', async () => {
    const rep = await server.call('POST', '/api/users', { name: 'Riley Rep', email: 'riley@sales.example', role: 'rep' });
    expect(rep.status).toBe(201);
    repId = rep.body.id;
    repToken = (await server.call('POST', `/api/users/${repId}/tokens`)).body.token;
    const mailbox = await server.call('PUT', `/api/users/${repId}/mailbox`, { fromEmail: 'riley@sales.example', fromName: 'Riley Rep' });
    expect(mailbox.status).toBe(200);

    const lead = await server.call('POST', '/api/leads', { email: 'grace@acme.example', firstName: 'Grace', company: 'Acme', ownerId: repId });
    expect(lead.status).toBe(201);
    const cadence = await server.call('POST', '/api/cadences', {
      name: 'Outbound',
      schedule,
      steps: [
        { type: 'email', subject: 'Hello {{lead.firstName}} from {{lead.company}}', body: 'Hi {{lead.firstName}},\nA quick question.' },
        { type: 'call', delayDays: 2, title: 'Call {{lead.firstName}}' },
        { type: 'email', delayDays: 3, threadWithPrevious: true, body: 'Following up, {{lead.firstName}}.' },
      ],
    });
    expect(cadence.status).toBe(201);
    cadenceId = cadence.body.id;
    expect((await server.call('POST', `/api/cadences/${cadenceId}/activate`)).body.status).toBe('active');
    const enrolled = await server.call('POST', `/api/cadences/${cadenceId}/enrollments`, { recordIds: [lead.body.id] });
    expect(enrolled.body.enrolled).toHaveLength(1);
    const enrollmentId = enrolled.body.enrolled[0].id;

    const moved = await server.call('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(moved.body.now).toBe('2026-11-02T09:01:00.000Z');
    expect(sink.received).toHaveLength(1);
    const first = sink.received[0];
    expect(first.envelope).toEqual({ from: 'riley@sales.example', to: ['grace@acme.example'] });
    expect(first.parsed.subject).toBe('Hello Grace from Acme');
    expect(first.parsed.messageId).toMatch(/^<.+@sales\.example>$/);
    expect(first.raw.toString()).toMatch(/^List-Unsubscribe: <http:\/\/localhost:\d+\/u\/[\w-]+>\r?$/m);
    expect(first.raw.toString()).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);

    // The call falls due two days after the send; the follow-up waits for the rep.
    await server.call('POST', '/api/dev/clock', { advance: 'P2D' });
    const tasks = await server.call('GET', `/api/tasks?status=open&enrollmentId=${enrollmentId}`, undefined, { authorization: `Bearer ${repToken}` });
    expect(tasks.body.items).toHaveLength(1);
    expect(tasks.body.items[0]).toMatchObject({ type: 'call', title: 'Call Grace', ownerId: repId });
    await server.call('POST', '/api/dev/clock', { advance: 'P4D' });
    expect(sink.received).toHaveLength(1);

    const done = await server.call('POST', `/api/tasks/${tasks.body.items[0].id}/complete`, { outcome: 'connected' }, { authorization: `Bearer ${repToken}` });
    expect(done.status).toBe(200);
    await server.call('POST', '/api/dev/clock', { advance: 'P2DT23H' });
    expect(sink.received).toHaveLength(1);
    await server.call('POST', '/api/dev/clock', { advance: 'PT1H' });
    expect(sink.received).toHaveLength(2);
    const second = sink.received[1];
    expect(second.parsed.subject).toBe('Re: Hello Grace from Acme');
    expect(second.parsed.messageId).not.toBe(first.parsed.messageId);
    expect(second.parsed.inReplyTo).toBe(first.parsed.messageId);
    expect(second.parsed.references).toContain(first.parsed.messageId);

    const enrollment = await server.call('GET', `/api/enrollments/${enrollmentId}`);
    expect(enrollment.body).toMatchObject({ status: 'completed', cadenceId, recordId: lead.body.id });
    const emails = await server.call('GET', `/api/emails?enrollmentId=${enrollmentId}`);
    expect(emails.body.items.map((e: { status: string }) => e.status)).toEqual(['sent', 'sent']);
    expect(emails.body.items[0].messageId).toBe(first.parsed.messageId);
  });

  it('a raw MIME reply exits the enrolment, cancels its open task and stops its mail', async () => {
    const lead = await server.call('POST', '/api/leads', { email: 'alan@globex.example', firstName: 'Alan', ownerId: repId });
    const enrolled = await server.call('POST', `/api/cadences/${cadenceId}/enrollments`, { recordIds: [lead.body.id] });
    const enrollmentId = enrolled.body.enrolled[0].id;
    const before = sink.received.length;
    await server.call('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(sink.received).toHaveLength(before + 1);
    const sent = sink.received[before].parsed;
    await server.call('POST', '/api/dev/clock', { advance: 'P2D' });
    const [task] = (await server.call('GET', `/api/tasks?enrollmentId=${enrollmentId}`)).body.items;
    expect(task.status).toBe('open');

    const reply = [
      'From: Alan <alan@globex.example>',
      'To: Riley Rep <riley@sales.example>',
      `Subject: Re: ${sent.subject}`,
      'Message-ID: <reply-1@globex.example>',
      `In-Reply-To: ${sent.messageId}`,
      `References: ${sent.messageId}`,
      'Date: Thu, 12 Nov 2026 10:00:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Thanks, not right now.',
      '',
    ].join('\r\n');
    const inbound = await server.call('POST', '/api/inbound/email', reply);
    expect(inbound.status).toBe(202);
    expect(inbound.body).toMatchObject({ kind: 'reply', matched: true, enrollmentId });

    expect((await server.call('GET', `/api/enrollments/${enrollmentId}`)).body).toMatchObject({ status: 'exited', exitReason: 'replied' });
    expect((await server.call('GET', `/api/tasks?enrollmentId=${enrollmentId}`)).body.items[0].status).toBe('cancelled');
    const count = sink.received.length;
    await server.call('POST', '/api/dev/clock', { advance: 'P30D' });
    expect(sink.received).toHaveLength(count);
    const stats = (await server.call('GET', `/api/cadences/${cadenceId}/stats`)).body;
    expect(stats.enrollments).toMatchObject({ completed: 1, exited: 1 });
    expect(stats.exitReasons).toEqual({ replied: 1 });
  });

  it('answers garbage with a 400 that names the problem, never a stack trace', async () => {
    const res = await server.call('POST', '/api/cadences', { name: 'x', steps: [{ type: 'fax' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toContain('body.steps.0.type');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
    expect((await server.call('GET', '/api/cadences', undefined, { authorization: '' })).status).toBe(401);
  });
});
