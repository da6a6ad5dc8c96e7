import { beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Engine, defaultEngineOptions } from '../../src/engine/engine.ts';
import { sentAndSendingStatement } from '../../src/store/email.repository.ts';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { sinkAndHarness } from '../support/sink-harness.ts';

const ALWAYS = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' };

describe.each(BACKENDS)('sending on %s', (backend) => {
  const t = sinkAndHarness(backend);
  const { sink } = t;
  let smtpUrl = '';
  let h: Harness;
  beforeEach(() => { ({ h, smtpUrl } = t); });

  async function enrolLeads(n: number, steps: unknown[], extra: Record<string, unknown> = {}) {
    const bulk = await h.api('POST', '/api/leads/bulk', {
      records: Array.from({ length: n }, (_, i) => ({ email: `lead${i}@example.com`, firstName: `L${i}`, ownerId: h.reps[0].id })),
    });
    const cadence = await h.api('POST', '/api/cadences', { name: 'C', schedule: ALWAYS, steps, ...extra });
    await h.api('POST', `/api/cadences/${cadence.body.id}/activate`);
    const enrolled = await h.api('POST', `/api/cadences/${cadence.body.id}/enrollments`, { recordIds: bulk.body.created });
    return { cadence: cadence.body, leadIds: bulk.body.created as string[], enrollmentIds: enrolled.body.enrolled.map((e: { id: string }) => e.id) as string[] };
  }

  it('a send left in doubt by a dead process becomes uncertain once its lease runs out, and is never sent again', async () => {
    const { enrollmentIds } = await enrolLeads(1, [
      { type: 'email', subject: 'One', body: 'first' },
      { type: 'task', delayDays: 1, title: 'Next' },
    ]);
    // Queue the email, then play a worker that marked it sending, renewed its 30-second
    // lease one last time, and died before recording the answer.
    await h.engine.advanceDue(h.clock.now());
    const until = new Date(h.clock.now().getTime() + 30_000);
    await sql`update emails set status = 'sending', sending_at = ${h.clock.now()}, claimed_by = 'dead-worker', claim_until = ${until}`.execute(h.database.db);
    await sql`insert into worker_leases (worker_id, alive_until) values ('dead-worker', ${until})`.execute(h.database.db);
    await h.api('POST', '/api/dev/clock', { advance: 'PT20S' });
    expect((await h.api('GET', '/api/emails')).body.items[0].status).toBe('sending');
    await h.api('POST', '/api/dev/clock', { advance: 'PT15S' });
    const [email] = (await h.api('GET', '/api/emails')).body.items;
    expect(email.status).toBe('uncertain');
    expect(sink.received).toHaveLength(0);
    // The sequence goes on from there; the uncertain email is not queued again.
    await h.api('POST', '/api/dev/clock', { advance: 'P1D' });
    expect((await h.api('GET', '/api/emails')).body.items).toHaveLength(1);
    expect((await h.api('GET', `/api/tasks?enrollmentId=${enrollmentIds[0]}`)).body.items).toHaveLength(1);
  });

  it('a rep\u2019s own SMTP server is used; without any server mail lands in the dev outbox', async () => {
    const local = await startHarness(backend, new Date('2026-03-02T08:00:00Z'), null);
    try {
      await local.api('PUT', `/api/users/${local.reps[0].id}/mailbox`, { fromEmail: 'rep1@example.com', smtpUrl });
      const leads = await local.api('POST', '/api/leads/bulk', { records: [
        { email: 'mine@example.com', ownerId: local.reps[0].id },
        { email: 'theirs@example.com', ownerId: local.reps[1].id },
      ] });
      const c = await local.api('POST', '/api/cadences', { name: 'C', schedule: ALWAYS, steps: [{ type: 'email', subject: 'S', body: 'B' }] });
      await local.api('POST', `/api/cadences/${c.body.id}/activate`);
      await local.api('POST', `/api/cadences/${c.body.id}/enrollments`, { recordIds: leads.body.created });
      await local.api('POST', '/api/dev/clock', { advance: 'PT1M' });
      expect(sink.received.map((m) => m.envelope.to)).toEqual([['mine@example.com']]);
      const outbox = (await local.api('GET', '/api/dev/outbox')).body.items;
      expect(outbox.map((o: { to: string }) => o.to)).toEqual(['theirs@example.com']);
      expect(outbox[0].raw).toMatch(/^Subject: S\r?$/m);
      expect((await local.api('GET', '/api/emails')).body.items.every((e: { status: string }) => e.status === 'sent')).toBe(true);
    } finally {
      await local.close();
    }
  });

  it('mailbox caps defer mail, never drop it', async () => {
    await h.api('PUT', `/api/users/${h.reps[0].id}/mailbox`, { fromEmail: 'rep1@example.com', hourlyLimit: 2, dailyLimit: 3 });
    await enrolLeads(5, [{ type: 'email', subject: 'Hi {{lead.firstName}}', body: 'Hello' }]);
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(sink.received).toHaveLength(2);
    let emails = (await h.api('GET', '/api/emails')).body.items;
    expect(emails.filter((e: { status: string }) => e.status === 'queued')).toHaveLength(3);
    await h.api('POST', '/api/dev/clock', { advance: 'PT61M' });
    expect(sink.received).toHaveLength(3); // the daily cap of 3 now holds
    await h.api('POST', '/api/dev/clock', { advance: 'P1D' });
    expect(sink.received).toHaveLength(5);
    emails = (await h.api('GET', '/api/emails')).body.items;
    expect(emails.every((e: { status: string }) => e.status === 'sent')).toBe(true);
    expect(new Set(sink.received.map((m) => m.parsed.messageId)).size).toBe(5);
  });

  it('an unsubscribe through the one-click link stops the cadence and suppresses the address', async () => {
    const { leadIds, enrollmentIds, cadence } = await enrolLeads(1, [
      { type: 'email', subject: 'One', body: 'first' },
      { type: 'email', delayDays: 1, subject: 'Two', body: 'second' },
    ]);
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    const raw = sink.received[0].raw.toString();
    const token = /List-Unsubscribe: <http:\/\/cadenza\.test\/u\/([\w-]+)>/.exec(raw)![1];
    const page = await h.app.inject({ method: 'GET', url: `/u/${token}` });
    expect(page.statusCode).toBe(200);
    expect((await h.api('GET', `/api/leads/${leadIds[0]}`)).body.unsubscribed).toBe(false); // GET never unsubscribes
    const post = await h.app.inject({ method: 'POST', url: `/u/${token}`, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(post.statusCode).toBe(200);
    expect((await h.api('GET', `/api/leads/${leadIds[0]}`)).body.unsubscribed).toBe(true);
    expect((await h.api('GET', `/api/enrollments/${enrollmentIds[0]}`)).body).toMatchObject({ status: 'exited', exitReason: 'unsubscribed' });
    await h.api('POST', '/api/dev/clock', { advance: 'P3D' });
    expect(sink.received).toHaveLength(1);
    // Re-enrolment of the address is refused.
    const again = await h.api('POST', `/api/cadences/${cadence.id}/enrollments`, { recordIds: [leadIds[0]] });
    expect(again.body.rejected).toEqual([{ recordId: leadIds[0], reason: 'unsubscribed' }]);
  });

  it('a click fires a boost once: a call task now, main steps unmoved; opens by scanners count for nothing', async () => {
    const { enrollmentIds, cadence } = await enrolLeads(1, [
      { type: 'email', subject: 'One', body: '<p>See <a href="https://example.com/pricing">pricing</a></p>' },
      { type: 'email', delayDays: 2, subject: 'Two', body: 'second' },
    ], { boosts: [{ on: 'clicked', stepIndex: 0, action: { type: 'call', title: 'Hot: {{lead.firstName}} clicked' } }] });
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    const html = sink.received[0].parsed.html as string;
    const clickUrl = /href="http:\/\/cadenza\.test(\/t\/c\/[^"]+)"/.exec(html)![1];
    const before = (await h.api('GET', `/api/enrollments/${enrollmentIds[0]}`)).body.nextDueAt;
    await h.api('POST', '/api/dev/clock', { advance: 'PT1H' });
    const browser = { 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15' };
    const click = await h.app.inject({ method: 'GET', url: clickUrl, headers: browser });
    expect(click.statusCode).toBe(302);
    expect(click.headers.location).toBe('https://example.com/pricing');
    await h.app.inject({ method: 'GET', url: clickUrl, headers: browser });
    const tasks = (await h.api('GET', `/api/tasks?enrollmentId=${enrollmentIds[0]}`)).body.items;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ type: 'call', title: 'Hot: L0 clicked', status: 'open' });
    expect((await h.api('GET', `/api/enrollments/${enrollmentIds[0]}`)).body.nextDueAt).toBe(before);
    // Opens: a proxy's fetch is recorded but not counted; a person's is.
    const pixel = /src="http:\/\/cadenza\.test(\/t\/o\/[^"]+)"/.exec(html)![1];
    const gif = await h.app.inject({ method: 'GET', url: pixel, headers: { 'user-agent': 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)' } });
    expect(gif.headers['content-type']).toBe('image/gif');
    const statsOf = async () => (await h.api('GET', `/api/cadences/${cadence.id}/stats`)).body.steps[0];
    expect(await statsOf()).toMatchObject({ sent: 1, opened: 0, clicked: 1 });
    await h.app.inject({ method: 'GET', url: pixel, headers: browser });
    expect(await statsOf()).toMatchObject({ opened: 1 });
    // A link nobody sent is not a redirect target.
    expect((await h.app.inject({ method: 'GET', url: clickUrl.replace(/\.0$/, '.7') })).statusCode).toBe(404);
  });

  it('one engine pass sends what the same pass queued: the sender runs beside the advance', async () => {
    await enrolLeads(3, [{ type: 'email', subject: 'Hi', body: 'Hello' }]);
    const pass = await h.engine.runOnce(h.clock.now());
    expect(pass).toMatchObject({ advanced: 3, sent: 3 });
    expect(sink.received.map((m) => m.envelope.to[0]).sort()).toEqual(['lead0@example.com', 'lead1@example.com', 'lead2@example.com']);
  });

  it('one pass still advances and sends everything due when batches shrink after queuing mail', async () => {
    await enrolLeads(460, [{ type: 'email', subject: 'Hi', body: 'Hello' }]);
    // A batch of 250, then batches of at most 200 while the mail it queued goes out: 250, 200, 10.
    const base = defaultEngineOptions('shrinking-batches');
    const engine = new Engine(h.ctx, { ...base, batchSize: 250, sender: { ...base.sender, concurrency: 8 } });
    try {
      // The pass may also complete enrolments woken by their sent email: only the sends are fixed.
      const pass = await engine.runOnce(h.clock.now());
      expect(pass.sent).toBe(460);
      expect(pass.advanced).toBeGreaterThanOrEqual(460);
    } finally {
      await engine.stop();
    }
    expect(new Set(sink.received.map((m) => m.envelope.to[0])).size).toBe(460);
  });

  it('caps hold across send batches, with the next batch claimed while the last is still out', async () => {
    await h.api('PUT', `/api/users/${h.reps[0].id}/mailbox`, { fromEmail: 'rep1@example.com', dailyLimit: 3 });
    await enrolLeads(7, [{ type: 'email', subject: 'Hi', body: 'Hello' }]);
    const base = defaultEngineOptions('small-batches');
    // No hand: the mail is claimed from the queue, two at a time.
    const engine = new Engine(h.ctx, { ...base, sender: { ...base.sender, batchSize: 2, concurrency: 2, handLimit: 0 } });
    try {
      await engine.advanceDue(h.clock.now());
      expect(await engine.sendDue(h.clock.now())).toBe(7);
    } finally {
      await engine.stop();
    }
    expect(sink.received).toHaveLength(3);
    const emails = (await h.api('GET', '/api/emails')).body.items as Array<{ status: string }>;
    expect(emails.filter((e) => e.status === 'sent')).toHaveLength(3);
    expect(emails.filter((e) => e.status === 'queued')).toHaveLength(4);
  });

  it('mail a worker queues due now goes to its own sender, claimed: no other worker sends it, and a stop puts it back', async () => {
    await enrolLeads(12, [{ type: 'email', subject: 'Hi', body: 'Hello' }]);
    const base = defaultEngineOptions('worker-a');
    // Worker A holds at most 10 by hand; the two beyond are queued for anyone.
    const a = new Engine(h.ctx, { ...base, sender: { ...base.sender, handLimit: 10 } });
    const b = new Engine(h.ctx, defaultEngineOptions('worker-b'));
    try {
      await a.advanceDue(h.clock.now());
      const claims = async () => (await sql<{ claimed_by: string | null; n: number }>`
        select claimed_by, count(*)::int as n from emails group by claimed_by order by claimed_by`.execute(h.database.db)).rows;
      expect(await claims()).toEqual([{ claimed_by: 'worker-a', n: 10 }, { claimed_by: null, n: 2 }]);
      // B finds only the unclaimed two; A's stop returns the rest to the queue, and B sends them.
      expect(await b.sendDue(h.clock.now())).toBe(2);
      await a.stop();
      expect(await claims()).toEqual([{ claimed_by: null, n: 12 }]);
      expect(await b.sendDue(h.clock.now())).toBe(10);
    } finally {
      await a.stop();
      await b.stop();
    }
    const to = sink.received.map((m) => m.envelope.to[0]);
    expect(to).toHaveLength(12);
    expect(new Set(to).size).toBe(12);
  });

  it('mail queued for a claim does not wait behind a long hand: one send batch in ten comes from the queue', async () => {
    await enrolLeads(13, [{ type: 'email', subject: 'Hi', body: 'Hello' }]);
    const base = defaultEngineOptions('worker-a');
    // Twelve by hand, the thirteenth queued for a claim; then one email a batch, one conversation, in order.
    const a = new Engine(h.ctx, { ...base, sender: { ...base.sender, handLimit: 12, batchSize: 1, concurrency: 1 } });
    try {
      await a.advanceDue(h.clock.now());
      const [queued] = (await sql<{ to_email: string }>`select to_email from emails where claimed_by is null`.execute(h.database.db)).rows;
      expect(await a.sendDue(h.clock.now())).toBe(13);
      const order = sink.received.map((m) => m.envelope.to[0]);
      expect(new Set(order).size).toBe(13);
      // Taken on the tenth batch, not after the whole hand.
      expect(order.indexOf(queued.to_email)).toBe(9);
    } finally {
      await a.stop();
    }
  });

  it('with default settings, the mail a dead worker held is taken over within a minute and sent once', async () => {
    await enrolLeads(3, [{ type: 'email', subject: 'Hi', body: 'Hello' }]);
    const a = new Engine(h.ctx, defaultEngineOptions('worker-a'));
    const b = new Engine(h.ctx, defaultEngineOptions('worker-b'));
    const at = (seconds: number) => new Date(h.clock.now().getTime() + seconds * 1000);
    try {
      // A queues the mail into its own hand, then dies: it never renews its lease again.
      await a.advanceDue(at(0));
      expect(await b.sendDue(at(20))).toBe(0); // A's lease still runs: its claims hold
      expect(await b.sendDue(at(31))).toBe(3);
      // Were A to come back, what it held is no longer its own.
      expect(await a.sendDue(at(32))).toBe(0);
    } finally {
      await a.stop();
      await b.stop();
    }
    const to = sink.received.map((m) => m.envelope.to[0]);
    expect(to.sort()).toEqual(['lead0@example.com', 'lead1@example.com', 'lead2@example.com']);
  });

  it('a live worker\u2019s long send is never taken over; once it stops renewing its lease, the send turns uncertain', async () => {
    await enrolLeads(1, [{ type: 'email', subject: 'Hi', body: 'Hello' }]);
    const a = new Engine(h.ctx, defaultEngineOptions('worker-a'));
    try {
      await a.advanceDue(h.clock.now());
      // Play A's SMTP conversation hanging after its mark, while A lives and renews its lease.
      await sql`update emails set status = 'sending', sending_at = ${h.clock.now()}`.execute(h.database.db);
      for (let i = 0; i < 6; i++) {
        h.clock.advance(20_000);
        await a.keepAlive(h.clock.now());
        await h.engine.runOnce(h.clock.now());
      }
      expect((await h.api('GET', '/api/emails')).body.items[0].status).toBe('sending');
      // A dies: half a minute later its send is in doubt.
      h.clock.advance(31_000);
      await h.engine.runOnce(h.clock.now());
      expect((await h.api('GET', '/api/emails')).body.items[0].status).toBe('uncertain');
    } finally {
      await a.stop();
    }
    expect(sink.received).toHaveLength(0);
  });

  it('a pass the database fails half-way is settled by the next, at the same moment: what was sent is recorded, the rest sent once', async () => {
    await enrolLeads(30, [{ type: 'email', subject: 'Hi', body: 'Hello' }]);
    const { db } = h.database;
    // The database refuses the first statement that records a send: the pass fails with
    // messages gone out, marks unanswered and emails claimed but not yet marked.
    // (A sequence, since the failure rolls back everything else the statement wrote.)
    await sql`create sequence refusals`.execute(db);
    await sql`create function refuse_sent() returns trigger language plpgsql as $$
      begin
        if new.status = 'sent' and nextval('refusals') = 1 then raise exception 'the database went away'; end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger refuse_sent before update on emails for each row execute function refuse_sent()`.execute(db);
    const base = defaultEngineOptions('worker-a');
    const a = new Engine(h.ctx, { ...base, sender: { ...base.sender, batchSize: 5, concurrency: 2 } });
    try {
      await expect(a.runOnce(h.clock.now())).rejects.toThrow('the database went away');
      const before = sink.received.length;
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThan(30);
      // Same moment, no lease has run out: the next passes finish everything.
      await a.drain(h.clock.now());
    } finally {
      await a.stop();
    }
    const emails = (await h.api('GET', '/api/emails?limit=100')).body.items as Array<{ status: string }>;
    expect(emails.map((e) => e.status).filter((s) => s !== 'sent')).toEqual([]);
    const to = sink.received.map((m) => m.envelope.to[0]);
    expect(to).toHaveLength(30);
    expect(new Set(to).size).toBe(30);
  });

  it('a pass sends the mail it queued due now by reading it, never claiming it: each email is written claimed', async () => {
    await enrolLeads(120, [{ type: 'email', subject: 'Hi', body: 'Hello' }]);
    const { db } = h.database;
    // Note who held each email as it went in: handed over (claimed) or left for a claim.
    await sql`create table inserted_claims (claimed_by text)`.execute(db);
    await sql`create function note_claim() returns trigger language plpgsql as $$
      begin insert into inserted_claims values (new.claimed_by); return new; end $$`.execute(db);
    await sql`create trigger note_claim after insert on emails for each row execute function note_claim()`.execute(db);
    // Advance batches of 20, send batches of 5: the sender reads the handed ids batch by batch.
    const base = defaultEngineOptions('patient');
    const engine = new Engine(h.ctx, { ...base, batchSize: 20, sender: { ...base.sender, batchSize: 5 } });
    try {
      // The pass may also complete enrolments woken by their sent email: only the sends are fixed.
      expect((await engine.runOnce(h.clock.now())).sent).toBe(120);
    } finally {
      await engine.stop();
    }
    const held = (await sql<{ claimed_by: string | null; n: number }>`
      select claimed_by, count(*)::int as n from inserted_claims group by claimed_by`.execute(db)).rows;
    expect(held).toEqual([{ claimed_by: 'patient', n: 120 }]);
    expect(new Set(sink.received.map((m) => m.envelope.to[0])).size).toBe(120);
  });

  it('marking emails sending probes them by id, even with statistics from before a burst of queued mail', async () => {
    const { leadIds } = await enrolLeads(1, [{ type: 'task', title: 'Call' }]);
    const { db } = h.database;
    const now = h.clock.now();
    // Statistics of an empty queue, then 3,000 queued emails the planner does not know of.
    await sql`alter table emails set (autovacuum_enabled = off)`.execute(db);
    await sql`analyze emails`.execute(db);
    await sql`
      insert into emails (id, record_id, message_id, token, status, from_email, to_email, subject, html, text, links, refs, send_after, queued_at, claimed_by)
      select gen_random_uuid(), ${leadIds[0]}, '<m' || g || '@x.test>', 't' || g, 'queued', 'rep@x.test', 'lead@y.test', 'Hi', '', '', '[]', '{}', ${now}, ${now}, 'w'
      from generate_series(1, 3000) g`.execute(db);
    const ids = (await sql<{ id: string }>`select id from emails limit 5`.execute(db)).rows.map((r) => r.id);
    const plan = JSON.stringify((await sql`explain (format json) ${sentAndSendingStatement([], ids, 'w', now)}`.execute(db)).rows);
    expect(plan).toContain('emails_pkey');
    // The queue index, partial on status = 'queued', would mean reading every queued email per statement.
    expect(plan).not.toContain('emails_queue_idx');
  });

  it('a refusal with 4xx is retried later; a 5xx about us (not the address) fails the email and the cadence goes on', async () => {
    sink.faults.set('lead0@example.com', { reply: 450, message: 'Mailbox busy, try later' });
    sink.faults.set('lead1@example.com', { reply: 554, message: '5.7.1 Message refused by policy' });
    const { enrollmentIds } = await enrolLeads(3, [
      { type: 'email', subject: 'One', body: 'first' },
      { type: 'task', delayDays: 1, title: 'Next' },
    ]);
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(sink.received.map((m) => m.envelope.to)).toEqual([['lead2@example.com']]);
    const byTo = async () => new Map(((await h.api('GET', '/api/emails')).body.items as Array<{ to: string; status: string; error: string | null }>)
      .map((e) => [e.to, e]));
    let emails = await byTo();
    expect(emails.get('lead0@example.com')).toMatchObject({ status: 'queued', error: expect.stringContaining('Mailbox busy') });
    expect(emails.get('lead1@example.com')).toMatchObject({ status: 'failed', error: expect.stringContaining('refused by policy') });
    // The server recovers: the deferred email goes out at its retry, once.
    sink.faults.clear();
    await h.api('POST', '/api/dev/clock', { advance: 'PT5M' });
    emails = await byTo();
    expect(emails.get('lead0@example.com')).toMatchObject({ status: 'sent' });
    expect(sink.received.map((m) => m.envelope.to[0]).sort()).toEqual(['lead0@example.com', 'lead2@example.com']);
    // A failed email does not stall its enrolment: the next step comes a day later.
    await h.api('POST', '/api/dev/clock', { advance: 'P1D' });
    for (const id of enrollmentIds) {
      expect((await h.api('GET', `/api/tasks?enrollmentId=${id}`)).body.items).toHaveLength(1);
    }
  });

  it('a line cut after the message data leaves the email uncertain: surfaced, never sent again', async () => {
    sink.faults.set('lead0@example.com', 'drop-after-data');
    const { enrollmentIds } = await enrolLeads(2, [
      { type: 'email', subject: 'One', body: 'first' },
      { type: 'task', delayDays: 1, title: 'Next' },
    ]);
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    const emails = (await h.api('GET', '/api/emails')).body.items as Array<{ to: string; status: string }>;
    expect(emails.find((e) => e.to === 'lead0@example.com')).toMatchObject({ status: 'uncertain' });
    expect(emails.find((e) => e.to === 'lead1@example.com')).toMatchObject({ status: 'sent' });
    sink.faults.clear();
    await h.api('POST', '/api/dev/clock', { advance: 'P1D' });
    expect(sink.received.map((m) => m.envelope.to)).toEqual([['lead1@example.com']]);
    expect((await h.api('GET', '/api/emails')).body.items.find((e: { to: string }) => e.to === 'lead0@example.com').status).toBe('uncertain');
    expect((await h.api('GET', `/api/tasks?enrollmentId=${enrollmentIds[0]}`)).body.items).toHaveLength(1);
  });
  it('the message waits for its sending mark: when the mark is not written, nothing is sent, and the email goes out later, once', async () => {
    await enrolLeads(1, [{ type: 'email', subject: 'Hi', body: 'Hello' }]);
    await h.engine.advanceDue(h.clock.now());
    // Play a mark that does not happen (as when the email was cancelled or claimed by
    // another worker meanwhile): the update to `sending` is dropped.
    await sql`create function hold_sending() returns trigger language plpgsql as $$
      begin if new.status = 'sending' then return null; end if; return new; end $$`.execute(h.database.db);
    await sql`create trigger hold_sending before update on emails for each row execute function hold_sending()`.execute(h.database.db);
    await h.engine.sendDue(h.clock.now());
    expect(sink.received).toHaveLength(0);
    expect((await h.api('GET', '/api/emails')).body.items[0].status).toBe('queued');
    // Once the mark can be written, the email goes out, once: the claim was let go, so
    // the next pass takes it without waiting for any lease.
    await sql`drop trigger hold_sending on emails`.execute(h.database.db);
    await h.api('POST', '/api/dev/clock', { advance: 'PT1S' });
    expect(sink.received.map((m) => m.envelope.to)).toEqual([['lead0@example.com']]);
    expect((await h.api('GET', '/api/emails')).body.items[0].status).toBe('sent');
  });
});
