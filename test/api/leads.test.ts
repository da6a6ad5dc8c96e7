import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, expectError, expectFieldError, rowCounts } from './helpers.ts';

/** Accepted requests go through the typed client (cadenza/client); malformed ones are sent raw. */
describe.each(BACKENDS)('leads through the API on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(backend); });
  afterAll(() => h.close());

  const leadCount = async () => (await rowCounts(h)).leads;
  const getLead = (id: string) => h.client.leads.get({ id });

  describe('POST /api/leads', () => {
    it.each([
      ['email', { email: 'not-an-email' }],
      ['email', { firstName: 'No address' }],
      ['email', { email: 42 }],
      ['timezone', { email: 'tz@example.com', timezone: 'Mars/Olympus_Mons' }],
      ['timezone', { email: 'tz@example.com', timezone: 'GMT+25' }],
      ['timezone', { email: 'tz@example.com', timezone: '' }],
      ['ownerId', { email: 'owner@example.com', ownerId: 'rep-1' }],
      ['module', { email: 'module@example.com', module: 'account' }],
      ['status', { email: 'status@example.com', status: '' }],
      ['fields', { email: 'fields@example.com', fields: 'not an object' }],
      ['firstName', { email: 'name@example.com', firstName: 12 }],
      ['firstName', { email: 'name@example.com', firstName: 'x'.repeat(201) }],
      ['firstName', { email: 'nul@example.com', firstName: 'Ad\u0000a' }],
      ['company', { email: 'nul@example.com', company: 'Acme\u0000Corp' }],
      ['fields', { email: 'nul@example.com', fields: { note: 'a\u0000b' } }],
    ])('refuses a bad %s, naming it, and creates nothing', async (field, body) => {
      const before = await leadCount();
      expectFieldError(await h.api('POST', '/api/leads', body), field);
      expect(await leadCount()).toBe(before);
    });

    it('refuses an unknown time zone rather than treating it as UTC, and keeps a valid one', async () => {
      const before = await leadCount();
      const bad = await h.api('POST', '/api/leads', { email: 'zone@example.com', timezone: 'Europe/Atlantis' });
      expectFieldError(bad, 'timezone');
      expect(await leadCount()).toBe(before);
      const good = await h.client.leads.create({ body: { email: 'zone@example.com', timezone: 'Asia/Kolkata' } });
      expect((await getLead(good.id)).timezone).toBe('Asia/Kolkata');
    });

    it('refuses an ownerId that names no user, naming ownerId, and creates nothing', async () => {
      const before = await leadCount();
      const res = await h.api('POST', '/api/leads', { email: 'orphan@example.com', ownerId: randomUUID() });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('ownerId');
      expect(res.body.error.details.map((d: { path: string }) => d.path).join()).toContain('ownerId');
      expect(await leadCount()).toBe(before);
    });

    it('reports an unknown ownerId at body.ownerId, the same path convention as every other bad field', async () => {
      const unknownOwner = await h.api('POST', '/api/leads', { email: 'orphan@example.com', ownerId: randomUUID() });
      const badEmail = await h.api('POST', '/api/leads', { email: 'orphan' });
      expect(badEmail.body.error.details[0].path).toBe('body.email');
      expect(unknownOwner.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.ownerId']);
    });

    it('a rep cannot create a lead for another rep (403) and nothing is created; its own leads are its own', async () => {
      const before = await leadCount();
      const res = await h.api('POST', '/api/leads', { email: 'gift@example.com', ownerId: h.reps[1].id }, h.reps[0].token);
      expectError(res, 403, 'forbidden');
      expect(await leadCount()).toBe(before);
      const mine = await h.clientAs(h.reps[0].token).leads.create({ body: { email: 'mine@example.com' } });
      expect(mine.ownerId).toBe(h.reps[0].id);
      await expect(h.clientAs(h.reps[1].token).leads.get({ id: mine.id })).rejects.toMatchObject({ status: 404, code: 'not_found' });
    });

    it('creates a lead with every documented field and shows them back', async () => {
      const lead = await h.client.leads.create({
        body: {
          email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', company: 'Navy', phone: '+1 555 0100',
          status: 'Contacted', ownerId: h.reps[1].id, timezone: 'America/New_York', module: 'contact', fields: { industry: 'Defense' },
        },
      });
      expect(await getLead(lead.id)).toMatchObject({
        email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', company: 'Navy', phone: '+1 555 0100',
        status: 'Contacted', ownerId: h.reps[1].id, timezone: 'America/New_York', module: 'contact', fields: { industry: 'Defense' },
        unsubscribed: false, bounced: false, converted: false,
      });
    });
  });

  describe('POST /api/leads/bulk', () => {
    it('creates exactly the valid records in input order and rejects the others with their index and the field', async () => {
      const before = await leadCount();
      const unknownOwner = randomUUID();
      const res = await h.client.leads.bulk({
        body: {
          records: [
            { email: 'bulk-a@example.com', firstName: 'A' },
            { email: 'not-an-email', firstName: 'B' },
            { email: 'bulk-c@example.com', firstName: 'C', ownerId: h.reps[0].id },
            { email: 'bulk-d@example.com', timezone: 'Nowhere/Land' },
            'not a record',
            { email: 'bulk-f@example.com', ownerId: unknownOwner },
            { email: 'bulk-g@example.com', firstName: 'G', timezone: 'Europe/Berlin' },
            { email: 'bulk-h@example.com', module: 'account' },
          ],
        },
      });
      expect(res.created).toHaveLength(3);
      const created = await Promise.all(res.created.map(getLead));
      expect(created.map((l) => l.email)).toEqual(['bulk-a@example.com', 'bulk-c@example.com', 'bulk-g@example.com']);
      expect(created[1].ownerId).toBe(h.reps[0].id);
      expect(created[2].timezone).toBe('Europe/Berlin');
      expect(res.rejected.map((r) => r.index)).toEqual([1, 3, 4, 5, 7]);
      const reason = (i: number) => res.rejected.find((r) => r.index === i)!.reason;
      expect(reason(1)).toContain('email');
      expect(reason(3)).toContain('timezone');
      expect(reason(4).length).toBeGreaterThan(0);
      expect(reason(5)).toContain('ownerId');
      expect(reason(7)).toContain('module');
      expect(await leadCount()).toBe(before + 3);
    });

    it('a record with a NUL character is rejected by itself, naming the field; the valid records are still created', async () => {
      const before = await leadCount();
      const res = await h.client.leads.bulk({
        body: { records: [{ email: 'nul-ok-1@example.com' }, { email: 'nul-bad@example.com', company: 'Acme\u0000Corp' }, { email: 'nul-ok-2@example.com' }] },
      });
      expect(res.created).toHaveLength(2);
      expect(res.rejected).toEqual([{ index: 1, reason: expect.stringContaining('company') }]);
      expect(await leadCount()).toBe(before + 2);
    });

    it('answers 201 with nothing created when every record is invalid', async () => {
      const before = await leadCount();
      const res = await h.client.leads.bulk({ body: { records: [{ email: 'x' }, { firstName: 'no email' }] } });
      expect(res.created).toEqual([]);
      expect(res.rejected).toEqual([
        { index: 0, reason: expect.stringContaining('email') },
        { index: 1, reason: expect.stringContaining('email') },
      ]);
      expect(await leadCount()).toBe(before);
    });

    it.each([
      ['an empty list', { records: [] }],
      ['no records field', { leads: [{ email: 'a@example.com' }] }],
      ['records that are not a list', { records: { email: 'a@example.com' } }],
    ])('refuses %s with 400 naming records, creating nothing', async (_what, body) => {
      const before = await leadCount();
      expectFieldError(await h.api('POST', '/api/leads/bulk', body), 'records');
      expect(await leadCount()).toBe(before);
    });

    it('refuses more than 10,000 records with 400 naming records, creating none of them', async () => {
      const before = await leadCount();
      const records = Array.from({ length: 10_001 }, (_, i) => ({ email: `many-${i}@example.com` }));
      expectFieldError(await h.api('POST', '/api/leads/bulk', { records }), 'records');
      expect(await leadCount()).toBe(before);
    });

    it('a rep\'s bulk creates its own records and rejects records for another rep, naming ownerId', async () => {
      const before = await leadCount();
      const res = await h.clientAs(h.reps[0].token).leads.bulk({
        body: { records: [{ email: 'rep-own@example.com' }, { email: 'rep-gift@example.com', ownerId: h.reps[1].id }] },
      });
      expect(res.created).toHaveLength(1);
      expect(res.rejected).toEqual([{ index: 1, reason: expect.stringContaining('ownerId') }]);
      expect((await getLead(res.created[0])).ownerId).toBe(h.reps[0].id);
      expect(await leadCount()).toBe(before + 1);
    });
  });

  describe('PATCH /api/leads/:id and POST /api/leads/:id/convert', () => {
    let cadenceId: string;
    beforeAll(async () => {
      const cadence = await h.client.cadences.create({
        body: {
          name: 'Qualify exits',
          schedule: ALWAYS_OPEN,
          exitOn: { fieldCriteria: [{ field: 'status', in: ['Qualified'] }] },
          steps: [{ type: 'call', delayDays: 3, title: 'Call' }],
        },
      });
      cadenceId = (await h.client.cadences.activate({ id: cadence.id })).id;
    });

    async function enrolledLead(email: string) {
      const lead = await h.client.leads.create({ body: { email, firstName: 'Pat', company: 'Initech', ownerId: h.reps[0].id, timezone: 'UTC' } });
      const { enrolled, rejected } = await h.client.cadences.enroll({ id: cadenceId, body: { recordIds: [lead.id] } });
      expect(rejected).toEqual([]);
      return { lead: await getLead(lead.id), enrollmentId: enrolled[0].id };
    }
    const enrollment = (id: string) => h.client.enrollments.get({ id });

    it.each([
      ['email', { email: 'broken' }],
      ['email', { email: null }],
      ['timezone', { timezone: 'Pacific/Nowhere' }],
      ['timezone', { timezone: 'UTC+3' }],
      ['status', { status: '' }],
      ['status', { status: 7 }],
      ['ownerId', { ownerId: 'someone' }],
      ['module', { module: 'deal' }],
      ['fields', { fields: ['a', 'b'] }],
      ['company', { company: { name: 'Acme' } }],
      ['lastName', { lastName: 'Null\u0000Byte' }],
    ])('refuses a bad %s, naming it; the lead and its enrolment are unchanged', async (field, body) => {
      const { lead, enrollmentId } = await enrolledLead(`patch-${randomUUID()}@example.com`);
      const before = await enrollment(enrollmentId);
      expectFieldError(await h.api('PATCH', `/api/leads/${lead.id}`, body), field);
      expect(await getLead(lead.id)).toEqual(lead);
      expect(await enrollment(enrollmentId)).toEqual(before);
    });

    it('a rejected PATCH that also sets the exit status exits nothing', async () => {
      const { lead, enrollmentId } = await enrolledLead('half-good@example.com');
      const before = await enrollment(enrollmentId);
      expectFieldError(await h.api('PATCH', `/api/leads/${lead.id}`, { status: 'Qualified', timezone: 'Mars/Base' }), 'timezone');
      const unknownOwner = await h.api('PATCH', `/api/leads/${lead.id}`, { status: 'Qualified', ownerId: randomUUID() });
      expect(unknownOwner.status).toBe(400);
      expect(unknownOwner.body.error.message).toContain('ownerId');
      expect(await getLead(lead.id)).toEqual(lead);
      expect(await enrollment(enrollmentId)).toEqual(before);
      expect(before.status).toBe('active');
    });

    it('a rep cannot hand its lead to another rep (403); lead and enrolment unchanged', async () => {
      const { lead, enrollmentId } = await enrolledLead('handover@example.com');
      const before = await enrollment(enrollmentId);
      const res = await h.api('PATCH', `/api/leads/${lead.id}`, { ownerId: h.reps[1].id, status: 'Qualified' }, h.reps[0].token);
      expectError(res, 403, 'forbidden');
      expect(await getLead(lead.id)).toEqual(lead);
      expect(await enrollment(enrollmentId)).toEqual(before);
    });

    it('an accepted PATCH changes the lead and is a signal: the status criterion exits the enrolment', async () => {
      const { lead, enrollmentId } = await enrolledLead('qualifies@example.com');
      await h.clientAs(h.reps[0].token).leads.patch({ id: lead.id, body: { status: 'Qualified', company: 'Initrode', fields: { size: 50 } } });
      expect(await getLead(lead.id)).toMatchObject({ status: 'Qualified', company: 'Initrode', fields: { size: 50 }, firstName: 'Pat' });
      expect(await enrollment(enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'criteria_met' });
    });

    it('convert marks the record converted and exits its enrolment with converted; an unknown record converts nothing', async () => {
      const { lead, enrollmentId } = await enrolledLead('converts@example.com');
      await expect(h.client.leads.convert({ id: randomUUID() })).rejects.toMatchObject({ status: 404, code: 'not_found' });
      expect(await getLead(lead.id)).toEqual(lead);
      expect(await h.clientAs(h.reps[0].token).leads.convert({ id: lead.id })).toMatchObject({ id: lead.id, converted: true });
      expect((await getLead(lead.id)).converted).toBe(true);
      expect(await enrollment(enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'converted' });
    });
  });
});
