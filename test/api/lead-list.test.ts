import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, advance, buildWorld, createCadence, createLead, enrollOne, expectError, expectFieldError } from './helpers.ts';

describe.each(BACKENDS)('the leads list, one lead per email, and erasing a lead on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(backend); }, 240_000);
  afterAll(() => h.close());

  const list = async (query: string, token?: string) => {
    const res = await h.api('GET', `/api/leads${query}`, undefined, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: Array<{ id: string; email: string; enrollments: Array<{ cadenceName: string; status: string }>; enrollmentCount: number }>; nextCursor?: string };
  };
  const emails = (body: { items: Array<{ email: string }> }) => body.items.map((i) => i.email);

  describe('GET /api/leads', () => {
    let tag: string;
    let cadenceId: string;
    beforeAll(async () => {
      tag = randomUUID().slice(0, 8);
      // A second apart: the list is newest first.
      await createLead(h, { email: `ada.${tag}@lovelace.org`, firstName: 'Ada', lastName: 'Lovelace', company: `Engines ${tag}`, ownerId: h.reps[0].id });
      await advance(h, 'PT1S');
      await createLead(h, { email: `grace.${tag}@navy.mil`, firstName: 'Grace', lastName: 'Hopper', company: `Navy ${tag}`, status: 'Contacted', ownerId: h.reps[1].id });
      await advance(h, 'PT1S');
      const alan = await createLead(h, { email: `alan.${tag}@bletchley.uk`, firstName: 'Alan', lastName: 'Turing', ownerId: h.reps[0].id, timezone: 'UTC' });
      const cadence = await createCadence(h, { name: `Outreach ${tag}`, schedule: ALWAYS_OPEN, steps: [{ type: 'call', title: 'Call' }] });
      cadenceId = cadence.id;
      await enrollOne(h, cadence.id, alan.id);
    });

    it('finds a lead by a piece of its name, email or company, in any case', async () => {
      expect(emails(await list(`?q=${tag}%20LOVE`))).toEqual([]);
      expect(emails(await list(`?q=lovelace.org&limit=200`)).filter((e) => e.includes(tag))).toEqual([`ada.${tag}@lovelace.org`]);
      expect(emails(await list(`?q=${encodeURIComponent(`navy ${tag}`)}`))).toEqual([`grace.${tag}@navy.mil`]);
      expect(emails(await list(`?q=${encodeURIComponent(`GRACE.${tag}`)}`))).toEqual([`grace.${tag}@navy.mil`]);
      expect(emails(await list(`?q=${tag}`))).toEqual([`alan.${tag}@bletchley.uk`, `grace.${tag}@navy.mil`, `ada.${tag}@lovelace.org`]);
      expect(emails(await list(`?q=${tag}&status=Contacted`))).toEqual([`grace.${tag}@navy.mil`]);
      expect(emails(await list(`?q=${tag}&ownerId=${h.reps[0].id}`))).toEqual([`alan.${tag}@bletchley.uk`, `ada.${tag}@lovelace.org`]);
      expect(emails(await list(`?q=&status=`)).length).toBeGreaterThanOrEqual(3);
    });

    it('lists a cadence\'s leads with their enrolments', async () => {
      const body = await list(`?cadenceId=${cadenceId}`);
      expect(emails(body)).toEqual([`alan.${tag}@bletchley.uk`]);
      expect(body.items[0]).toMatchObject({ enrollmentCount: 1, enrollments: [{ cadenceName: `Outreach ${tag}`, status: 'active' }] });
      expect((await list(`?cadenceId=${randomUUID()}`)).items).toEqual([]);
    });

    it('pages with an opaque cursor, every lead once', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const body: { items: Array<{ email: string }>; nextCursor?: string } = await list(`?q=${tag}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...emails(body));
        cursor = body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual([`alan.${tag}@bletchley.uk`, `grace.${tag}@navy.mil`, `ada.${tag}@lovelace.org`]);
      expect(pages).toBe(3);
    });

    it('shows a rep its own leads only, and none when it asks for another owner\'s', async () => {
      expect(emails(await list(`?q=${tag}`, h.reps[0].token))).toEqual([`alan.${tag}@bletchley.uk`, `ada.${tag}@lovelace.org`]);
      expect(emails(await list(`?q=${tag}&ownerId=${h.reps[1].id}`, h.reps[0].token))).toEqual([]);
    });

    it.each([
      ['limit', '?limit=0'], ['limit', '?limit=201'], ['limit', '?limit=ten'],
      ['ownerId', '?ownerId=rep-1'], ['cadenceId', '?cadenceId=12'],
      ['cursor', '?cursor=not-a-cursor'], ['cursor', `?cursor=${Buffer.from('["yesterday","x"]').toString('base64url')}`],
      ['q', `?q=${'x'.repeat(201)}`], ['q', '?q=a%00b'], ['status', `?status=${'s'.repeat(101)}`],
    ])('refuses a bad %s, naming it (%s)', async (field, query) => {
      const res = await h.api('GET', `/api/leads${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.message).toContain(field);
      expect(res.body.error.details.map((d: { path: string }) => d.path).join()).toMatch(new RegExp(`query(string)?\\.${field}`));
    });

    it('needs a caller', async () => {
      expectError(await h.api('GET', '/api/leads', undefined, null), 401, 'unauthorized');
    });
  });

  describe('one lead per email, any case', () => {
    it('POST answers 409 at the email field for an email a lead has, in any case, and creates nothing', async () => {
      const email = `dup-${randomUUID()}@example.com`;
      await createLead(h, { email });
      const res = await h.api('POST', '/api/leads', { email: email.toUpperCase(), firstName: 'Again' });
      expectFieldError(res, 'email', 409);
      expect(res.body.error.message).toContain(email.toUpperCase());
      expect(emails(await list(`?q=${email.slice(4, 40)}`))).toEqual([email]);
    });

    it('PATCH answers 409 for another lead\'s email, and takes the lead\'s own email in another case', async () => {
      const a = await createLead(h, { email: `a-${randomUUID()}@example.com` });
      const b = await createLead(h, { email: `b-${randomUUID()}@example.com` });
      expectFieldError(await h.api('PATCH', `/api/leads/${b.id}`, { email: a.email.toUpperCase() }), 'email', 409);
      expect((await h.api('GET', `/api/leads/${b.id}`)).body.email).toBe(b.email);
      const same = await h.api('PATCH', `/api/leads/${b.id}`, { email: b.email.toUpperCase() });
      expect(same.status).toBe(200);
      expect(same.body.email).toBe(b.email.toUpperCase());
    });

    it('bulk rejects a record whose email a lead has or an earlier record repeats, alone', async () => {
      const existing = await createLead(h, { email: `bulk-${randomUUID()}@example.com` });
      const fresh = `fresh-${randomUUID()}@example.com`;
      const res = await h.api('POST', '/api/leads/bulk', { records: [{ email: existing.email.toUpperCase() }, { email: fresh }, { email: fresh.toUpperCase() }] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.created).toHaveLength(1);
      expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([0, 2]);
      expect(res.body.rejected[0].reason).toContain(existing.email.toUpperCase());
      expect(res.body.rejected[1].reason).toMatch(/repeats record 1/);
    });
  });

  describe('DELETE /api/leads/:id', () => {
    it('erases the person: their enrolments, tasks, emails, signals and timeline go; the rest stays', async () => {
      const w = await buildWorld(h, `erase-${randomUUID()}@example.com`);
      const keep = await buildWorld(h, `keep-${randomUUID()}@example.com`);
      await h.api('POST', '/api/signals', { type: 'opened', messageId: w.email.messageId });
      const res = await h.api('DELETE', `/api/leads/${w.lead.id}`);
      expect(res.status, JSON.stringify(res.body)).toBe(204);
      expectError(await h.api('GET', `/api/leads/${w.lead.id}`), 404, 'not_found');
      expectError(await h.api('GET', `/api/leads/${w.lead.id}/timeline`), 404, 'not_found');
      expectError(await h.api('GET', `/api/enrollments/${w.enrollmentId}`), 404, 'not_found');
      const left = await sql<{ n: number }>`select
          (select count(*) from tasks where record_id = ${w.lead.id})
        + (select count(*) from emails where record_id = ${w.lead.id} or lower(to_email) = ${w.lead.email})
        + (select count(*) from signals where record_id = ${w.lead.id} or email_id = ${w.email.id})
        + (select count(*) from enrollments where record_id = ${w.lead.id})
        + (select count(*) from record_events where record_id = ${w.lead.id}) as n`.execute(h.ctx.db);
      expect(Number(left.rows[0].n)).toBe(0);
      expect((await h.api('GET', `/api/leads/${keep.lead.id}`)).status).toBe(200);
      expect((await h.api('GET', `/api/tasks?enrollmentId=${keep.enrollmentId}`)).body.items).toHaveLength(1);
      expectError(await h.api('DELETE', `/api/leads/${w.lead.id}`), 404, 'not_found');
    });

    it('keeps an unsubscribed address suppressed: the lead created again is refused enrolment', async () => {
      const email = `gone-${randomUUID()}@example.com`;
      const lead = await createLead(h, { email });
      expect((await h.api('POST', '/api/signals', { type: 'unsubscribed', recordId: lead.id })).status).toBe(202);
      expect((await h.api('DELETE', `/api/leads/${lead.id}`)).status).toBe(204);
      const again = await createLead(h, { email: email.toUpperCase() });
      const cadence = await createCadence(h, { name: `Suppressed ${email}`, schedule: ALWAYS_OPEN, steps: [{ type: 'email', subject: 'Hi', body: 'Hello' }] });
      const res = await h.api('POST', `/api/cadences/${cadence.id}/enrollments`, { recordIds: [again.id] });
      expect(res.body.rejected).toEqual([{ recordId: again.id, reason: 'unsubscribed' }]);
    });

    it('lets a rep erase its own lead, not another rep\'s (404, nothing erased)', async () => {
      const mine = await createLead(h, { email: `mine-${randomUUID()}@example.com` }, h.reps[0].token);
      const theirs = await createLead(h, { email: `theirs-${randomUUID()}@example.com` }, h.reps[1].token);
      expectError(await h.api('DELETE', `/api/leads/${theirs.id}`, undefined, h.reps[0].token), 404, 'not_found');
      expect((await h.api('GET', `/api/leads/${theirs.id}`)).status).toBe(200);
      expect((await h.api('DELETE', `/api/leads/${mine.id}`, undefined, h.reps[0].token)).status).toBe(204);
    });

    it.each([randomUUID(), 'not-a-uuid'])('answers 404 for a lead that does not exist (%s)', async (id) => {
      expectError(await h.api('DELETE', `/api/leads/${id}`), 404, 'not_found');
    });

    it('after erasing a lead, the engine goes on with the others in its cadence', async () => {
      const cadence = await createCadence(h, { name: `Race ${randomUUID()}`, schedule: ALWAYS_OPEN, steps: [{ type: 'call', title: 'Call' }, { type: 'task', title: 'Write' }] });
      const a = await createLead(h, { email: `race-a-${randomUUID()}@example.com`, timezone: 'UTC' });
      const b = await createLead(h, { email: `race-b-${randomUUID()}@example.com`, timezone: 'UTC' });
      await enrollOne(h, cadence.id, a.id);
      const other = await enrollOne(h, cadence.id, b.id);
      expect((await h.api('DELETE', `/api/leads/${a.id}`)).status).toBe(204);
      await advance(h, 'PT1M');
      const tasks = (await h.api('GET', `/api/tasks?enrollmentId=${other}`)).body.items;
      expect(tasks.length).toBeGreaterThan(0);
    });
  });
});
