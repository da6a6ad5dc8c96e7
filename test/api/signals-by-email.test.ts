import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, createCadence, createLead, enrollOne, expectError, expectFieldError, rowCounts } from './helpers.ts';

/** `POST /api/signals` names the lead by its email (issue 15), compared case-insensitively. */

describe.each(BACKENDS)('signals by email on %s', (backend) => {
  let h: Harness;
  let cadenceId: string;
  beforeAll(async () => {
    h = await startHarness(backend);
    cadenceId = (await createCadence(h, { name: 'Outreach', schedule: ALWAYS_OPEN, steps: [{ type: 'call', title: 'Call' }] })).id;
  }, 120_000);
  afterAll(() => h.close());

  const signal = (body: unknown, as: string | null = h.adminToken) => h.api('POST', '/api/signals', body, as);

  it('a meeting booked, named by the lead\'s email in any capitals, ends its enrolment', async () => {
    const lead = await createLead(h, { email: 'Ada.Lovelace@Example.com', ownerId: h.reps[0].id });
    const enrollmentId = await enrollOne(h, cadenceId, lead.id);
    const res = await signal({ type: 'meeting_booked', email: '  ada.lovelace@EXAMPLE.com ' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toEqual({ accepted: true, recordId: lead.id, exited: [{ id: enrollmentId, reason: 'meeting_booked' }], boosts: [] });
    expect((await h.api('GET', `/api/enrollments/${enrollmentId}`)).body).toMatchObject({ status: 'exited', exitReason: 'meeting_booked' });
    expect((await h.api('GET', `/api/leads/${lead.id}/timeline`)).body.items.some((i: any) => i.type === 'meeting_booked')).toBe(true);
  });

  it('a rep names its own leads by email; another rep\'s lead is as unknown as an address no lead has', async () => {
    const own = await createLead(h, { email: 'own@example.com', ownerId: h.reps[0].id });
    await createLead(h, { email: 'theirs@example.com', ownerId: h.reps[1].id });
    const opened = await signal({ type: 'opened', email: 'OWN@example.com', at: '2026-03-02T07:00:00Z' }, h.reps[0].token);
    expect(opened.status, JSON.stringify(opened.body)).toBe(202);
    expect(opened.body.recordId).toBe(own.id);
    const stored = await h.ctx.db.selectFrom('signals').select(['type', 'at']).where('record_id', '=', own.id).execute();
    expect(stored).toEqual([{ type: 'opened', at: new Date('2026-03-02T07:00:00Z') }]);

    const before = await rowCounts(h);
    const theirs = await signal({ type: 'replied', email: 'theirs@example.com' }, h.reps[0].token);
    const nobody = await signal({ type: 'replied', email: 'nobody@example.com' }, h.reps[0].token);
    for (const res of [theirs, nobody]) {
      expectFieldError(res, 'email', 404);
      expect(res.body.error.code).toBe('not_found');
    }
    // The two answers say the same thing: whether another rep's lead exists is not told.
    expect(theirs.body.error.message.replace('theirs', 'x')).toBe(nobody.body.error.message.replace('nobody', 'x'));
    expect(await rowCounts(h)).toEqual(before);
  });

  it('refuses an email with another way of naming the lead, a malformed one, or none at all, writing nothing', async () => {
    const lead = await createLead(h, { email: 'grace@example.com' });
    const before = await rowCounts(h);
    expectFieldError(await signal({ type: 'replied', email: 'grace@example.com', recordId: lead.id }), 'email');
    expectFieldError(await signal({ type: 'replied', email: 'grace@example.com', messageId: '<x@example.com>' }), 'email');
    expectFieldError(await signal({ type: 'replied', email: 'not an address' }), 'email');
    expectFieldError(await signal({ type: 'replied', email: `${'a'.repeat(320)}@example.com` }), 'email');
    expectFieldError(await signal({ type: 'replied', email: 42 }), 'email');
    expectFieldError(await signal({ type: 'replied' }), 'recordId');
    expectFieldError(await signal({ type: 'partied', email: 'grace@example.com' }), 'type');
    expectError(await signal({ type: 'replied', email: 'grace@example.com' }, null), 401, 'unauthorized');
    expect(await rowCounts(h)).toEqual(before);
  });
});
