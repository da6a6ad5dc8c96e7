import { beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { BACKENDS } from '../support/backends.ts';
import { type Harness } from '../support/harness.ts';
import { sinkAndHarness } from '../support/sink-harness.ts';

const ALWAYS = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' };

/** What the recipient's server answers at once, as a real SMTP server on loopback (issue 14, part 3). */
describe.each(BACKENDS)('SMTP answers on %s', (backend) => {
  const t = sinkAndHarness(backend);
  const { sink } = t;
  let h: Harness;
  beforeEach(() => { ({ h } = t); });

  /** Leads lead0…, owned by the first rep, enrolled in a new cadence of an email, then another email two days on. */
  async function enrolLeads(n: number) {
    const bulk = await h.api('POST', '/api/leads/bulk', {
      records: Array.from({ length: n }, (_, i) => ({ email: `lead${i}@example.com`, firstName: `L${i}`, ownerId: h.reps[0].id })),
    });
    const cadence = await h.api('POST', '/api/cadences', {
      name: 'Outbound', schedule: ALWAYS,
      steps: [{ type: 'email', subject: 'One', body: 'first' }, { type: 'email', delayDays: 2, subject: 'Two', body: 'second' }],
    });
    await h.api('POST', `/api/cadences/${cadence.body.id}/activate`);
    const enrolled = await h.api('POST', `/api/cadences/${cadence.body.id}/enrollments`, { recordIds: bulk.body.created });
    return {
      cadenceId: cadence.body.id as string,
      leadIds: bulk.body.created as string[],
      enrollmentIds: enrolled.body.enrolled.map((e: { id: string }) => e.id) as string[],
    };
  }

  const emailsTo = async (to: string) =>
    ((await h.api('GET', '/api/emails?limit=100')).body.items as Array<{ to: string; status: string; error: string | null }>).filter((e) => e.to === to);

  it('550 5.1.1 at RCPT is a bounce: lead bounced and suppressed, enrolment exited, counted, shown, never mailed again', async () => {
    sink.faults.set('lead0@example.com', { reply: 550, message: '5.1.1 <lead0@example.com>: Recipient address rejected: User unknown' });
    const { cadenceId, leadIds, enrollmentIds } = await enrolLeads(2);
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });

    const [bounced] = await emailsTo('lead0@example.com');
    expect(bounced).toMatchObject({ status: 'failed', error: expect.stringContaining('550 5.1.1') });
    expect((await h.api('GET', `/api/leads/${leadIds[0]}`)).body).toMatchObject({ bounced: true });
    const suppressions = await sql<{ email: string; reason: string }>`select email, reason from suppressions`.execute(h.database.db);
    expect(suppressions.rows).toEqual([{ email: 'lead0@example.com', reason: 'bounced' }]);
    expect((await h.api('GET', `/api/enrollments/${enrollmentIds[0]}`)).body).toMatchObject({ status: 'exited', exitReason: 'bounced' });
    // The other lead goes on.
    expect((await h.api('GET', `/api/enrollments/${enrollmentIds[1]}`)).body).toMatchObject({ status: 'active' });

    const stats = (await h.api('GET', `/api/cadences/${cadenceId}/stats`)).body;
    expect(stats.exitReasons).toMatchObject({ bounced: 1 });
    expect(stats.steps[0]).toMatchObject({ sent: 1, bounced: 1 });

    const timeline = (await h.api('GET', `/api/leads/${leadIds[0]}/timeline`)).body.items as Array<{ type: string; title: string }>;
    expect(timeline.map((i) => i.type)).toContain('email_bounced');
    const signal = await sql<{ data: { source: string; reply: string } }>`select data from signals where type = 'bounced'`.execute(h.database.db);
    expect(signal.rows).toEqual([{ data: { source: 'smtp', reply: '550 5.1.1 <lead0@example.com>: Recipient address rejected: User unknown' } }]);

    // Two days on, the second email goes to the other lead only.
    await h.api('POST', '/api/dev/clock', { advance: 'P3D' });
    expect(sink.received.map((m) => m.envelope.to[0])).toEqual(['lead1@example.com', 'lead1@example.com']);
    expect(await emailsTo('lead0@example.com')).toHaveLength(1);

    // Another cadence refuses the address.
    const other = await h.api('POST', '/api/cadences', { name: 'Other', schedule: ALWAYS, steps: [{ type: 'email', subject: 'S', body: 'B' }] });
    await h.api('POST', `/api/cadences/${other.body.id}/activate`);
    const again = await h.api('POST', `/api/cadences/${other.body.id}/enrollments`, { recordIds: [leadIds[0]] });
    expect(again.body.rejected).toEqual([{ recordId: leadIds[0], reason: 'bounced' }]);
  }, 180_000);

  it('a 5.1.1 refusal after DATA bounces too; the mailbox health counts the bounce, not as the mailbox\u2019s own error', async () => {
    sink.faults.set('lead0@example.com', { reply: 554, message: '5.1.1 Delivery failed: mailbox does not exist', after: 'data' });
    const { leadIds, enrollmentIds } = await enrolLeads(1);
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect((await h.api('GET', `/api/leads/${leadIds[0]}`)).body).toMatchObject({ bounced: true });
    expect((await h.api('GET', `/api/enrollments/${enrollmentIds[0]}`)).body).toMatchObject({ status: 'exited', exitReason: 'bounced' });
    const mailboxes = (await h.api('GET', '/api/mailboxes')).body.items as Array<{ user: { id: string }; health: Record<string, unknown> }>;
    const health = mailboxes.find((m) => m.user.id === h.reps[0].id)!.health;
    expect(health).toMatchObject({ bouncedLast30Days: 1, lastSmtpError: null });
  });

  it('a 5.7.1 policy block of our server is not the lead\u2019s bounce: the email fails, the mailbox health shows why', async () => {
    sink.faults.set('lead0@example.com', { reply: 554, message: '5.7.1 Service unavailable; client host blocked using a blocklist', after: 'data' });
    sink.faults.set('lead1@example.com', { reply: 550, message: '5.7.1 Relaying denied' });
    const { leadIds, enrollmentIds } = await enrolLeads(2);
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });

    for (const [i, id] of leadIds.entries()) {
      expect((await emailsTo(`lead${i}@example.com`))[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('5.7.1') });
      expect((await h.api('GET', `/api/leads/${id}`)).body).toMatchObject({ bounced: false });
      expect((await h.api('GET', `/api/enrollments/${enrollmentIds[i]}`)).body).toMatchObject({ status: 'active' });
    }
    expect((await sql<{ n: number }>`select count(*)::int as n from suppressions`.execute(h.database.db)).rows[0].n).toBe(0);
    expect((await sql<{ n: number }>`select count(*)::int as n from signals where type = 'bounced'`.execute(h.database.db)).rows[0].n).toBe(0);
    const mailboxes = (await h.api('GET', '/api/mailboxes')).body.items as Array<{ user: { id: string }; health: { lastSmtpError: { message: string } | null; bouncedLast30Days: number } }>;
    const health = mailboxes.find((m) => m.user.id === h.reps[0].id)!.health;
    expect(health.lastSmtpError?.message).toContain('5.7.1');
    expect(health.bouncedLast30Days).toBe(0);
  });
});
