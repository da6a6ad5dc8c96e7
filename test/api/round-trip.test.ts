import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import type { CadenzaClient } from 'cadenza/client';
import { expectError, expectFieldError } from './helpers.ts';

/**
 * API.md "Round trip": what GET answers, PATCH accepts unchanged (a null means "not
 * set"), and a GET after it answers the same, for cadences, leads and users. Through the
 * typed client, so the promise holds for the types too: a GET's answer is a PATCH's body.
 */

/** What a save changes by itself: the version, the time of the change. */
const stable = ({ version: _v, updatedAt: _u, enrollmentsByVersion: _e, ...rest }: Record<string, unknown>) => rest;

for (const backend of BACKENDS) {
  describe(`round trips on ${backend}`, () => {
    let h: Harness;
    beforeAll(async () => { h = await startHarness(backend); });
    afterAll(async () => { await h?.close(); });

    async function cadenceRoundTrip(id: string) {
      const before = await h.client.cadences.get({ id });
      const patched = await h.client.cadences.patch({ id, body: before });
      return { before, patched, after: await h.client.cadences.get({ id }) };
    }
    async function leadRoundTrip(id: string, client: CadenzaClient = h.client) {
      const before = await client.leads.get({ id });
      await client.leads.patch({ id, body: before });
      return { before, after: await client.leads.get({ id }) };
    }
    async function userRoundTrip(id: string, client: CadenzaClient = h.client) {
      const before = await client.users.get({ id });
      await client.users.patch({ id, body: before });
      return { before, after: await client.users.get({ id }) };
    }
    const draft = (body: Parameters<CadenzaClient['cadences']['create']>[0]['body']) => h.client.cadences.create({ body });

    it('a cadence whose GET holds nulls (no zone, no end date, no throttle, no condition, a boost on any step) takes its GET back unchanged', async () => {
      const cadence = await draft({
        name: 'Nulls everywhere',
        schedule: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
        steps: [
          { type: 'email', subject: 'Hello {{lead.firstName}}', body: 'Hi there' },
          { type: 'call', title: 'Call', delay: { amount: 2, unit: 'business_days' }, condition: { stepIndex: 0, is: 'not_replied' } },
          { type: 'task', title: 'Research', instructions: 'Look them up', priority: 'high' },
        ],
        boosts: [{ on: 'opened', action: { type: 'call', title: 'Hot lead' } }],
      });
      const { before, patched, after } = await cadenceRoundTrip(cadence.id);
      expect(before.schedule.timezone).toBeNull();
      expect(before.exitOn.endDate).toBeNull();
      expect(before.throttle).toBeNull();
      expect(before.autoEnroll).toBeNull();
      expect(before.steps[0].condition).toBeNull();
      expect(before.boosts[0].stepId).toBeNull();
      expect(patched.version).toBe(before.version + 1);
      expect(stable(after)).toEqual(stable(before));
    });

    it('a cadence with every setting given (a zone, an end date, a throttle, auto-enrolment, step ids) takes its GET back unchanged', async () => {
      const cadence = await draft({
        name: 'Everything set',
        module: 'contact',
        schedule: { days: [1, 3, 5], windows: [{ start: '08:00', end: '10:00' }, { start: '14:00', end: '16:00' }], timezone: 'Europe/Paris' },
        exitOn: { onReply: false, fieldCriteria: [{ field: 'status', in: ['Qualified'] }], callOutcomes: ['not_interested'], endDate: '2030-01-01T00:00:00.000Z' },
        waitForTasks: false,
        taskTimeoutDays: 3,
        reenrollment: 'after_exit',
        throttle: { perRepPerDay: 40 },
        autoEnroll: { filter: [{ field: 'status', eq: 'New' }], existingRecords: false },
        steps: [
          { id: 'intro', type: 'email', subject: 'Hi', body: 'Hello', mode: 'manual' },
          { id: 'again', type: 'email', body: 'Bumping this', threadWithPrevious: true, delayDays: 3, condition: { stepId: 'intro', is: 'not_opened' } },
        ],
        boosts: [{ on: 'clicked', stepId: 'intro', minCount: 2, action: { type: 'task', title: 'Follow the click', delayHours: 1 } }],
      });
      const { before, after } = await cadenceRoundTrip(cadence.id);
      expect(before.schedule.timezone).toBe('Europe/Paris');
      expect(stable(after)).toEqual(stable(before));
    });

    it('schedule.timezone: null is "not set" on POST and PATCH: each lead\'s zone is used again', async () => {
      const created = await draft({
        name: 'Null zone', schedule: { days: [1, 2, 3], start: '09:00', end: '12:00', timezone: null }, steps: [{ type: 'call', title: 'Call' }],
      });
      expect(created.schedule.timezone).toBeNull();
      const zoned = await h.client.cadences.patch({ id: created.id, body: { schedule: { ...created.schedule, timezone: 'Asia/Tokyo' } } });
      expect(zoned.schedule.timezone).toBe('Asia/Tokyo');
      const cleared = await h.client.cadences.patch({ id: created.id, body: { schedule: { ...zoned.schedule, timezone: null } } });
      expect(cleared.schedule.timezone).toBeNull();
    });

    it('a step answers only its type\'s fields, and a PATCH that changes a step\'s type is checked as that type', async () => {
      const call = { type: 'call' as const, title: 'Dial', subject: 'ignored for a call' }; // a field no call has, sent anyway
      const cadence = await draft({ name: 'Typed steps', steps: [call] });
      expect(cadence.steps[0]).not.toHaveProperty('subject');
      expect(cadence.steps[0]).not.toHaveProperty('mode');
      const res = await h.api('PATCH', `/api/cadences/${cadence.id}`, { steps: [{ ...cadence.steps[0], type: 'email' }] });
      expectFieldError(res, 'steps.0.body');
    });

    it('a lead takes its GET back unchanged, nulls and custom fields included, and a rep may do it for its own lead', async () => {
      const lead = await h.client.leads.create({ body: { email: 'round@example.com', firstName: 'Round', company: null, fields: { industry: 'Retail', seats: 12 } } });
      const { before, after } = await leadRoundTrip(lead.id);
      expect(before.company).toBeNull();
      expect(before.timezone).toBeNull();
      expect(stable(after)).toEqual(stable(before));

      const repClient = h.clientAs(h.reps[0].token);
      const own = await repClient.leads.create({ body: { email: 'mine@example.com', firstName: 'Mine', timezone: 'Europe/London' } });
      const rep = await leadRoundTrip(own.id, repClient);
      expect(stable(rep.after)).toEqual(stable(rep.before));
    });

    it('a user takes its GET back unchanged, for an admin on anyone and for a rep on itself', async () => {
      const admin = await userRoundTrip(h.reps[1].id);
      expect(admin.before.timezone).toBe('Europe/London');
      expect(admin.after).toEqual(admin.before);
      const me = await userRoundTrip(h.reps[0].id, h.clientAs(h.reps[0].token));
      expect(me.after).toEqual(me.before);
      const adminSelf = await userRoundTrip(h.admin.id);
      expect(adminSelf.before.timezone).toBeNull();
      expect(adminSelf.after).toEqual(adminSelf.before);
    });

    describe('PATCH /api/users/:id', () => {
      it('a rep changes its own name and zone, and clears the zone with null', async () => {
        const { id } = h.reps[0];
        const rep = h.clientAs(h.reps[0].token);
        expect(await rep.users.patch({ id, body: { name: 'Ada Rep', timezone: 'Asia/Kolkata' } })).toMatchObject({ name: 'Ada Rep', timezone: 'Asia/Kolkata' });
        expect((await rep.users.patch({ id, body: { timezone: null } })).timezone).toBeNull();
        expect(await rep.users.me()).toMatchObject({ name: 'Ada Rep', timezone: null });
        await rep.users.patch({ id, body: { timezone: 'America/New_York' } });
      });

      it('a rep may not change its email or role (403), nor touch another user (404); nothing changes', async () => {
        const rep = h.reps[0];
        const before = (await h.api('GET', `/api/users/${rep.id}`)).body;
        expectFieldError(await h.api('PATCH', `/api/users/${rep.id}`, { email: 'elsewhere@example.com' }, rep.token), 'email', 403);
        expectFieldError(await h.api('PATCH', `/api/users/${rep.id}`, { role: 'admin' }, rep.token), 'role', 403);
        expectError(await h.api('PATCH', `/api/users/${h.reps[1].id}`, { name: 'Hijacked' }, rep.token), 404, 'not_found');
        expect((await h.api('GET', `/api/users/${rep.id}`)).body).toEqual(before);
        expect((await h.api('GET', `/api/users/${h.reps[1].id}`)).body.name).toBe('Rep 2');
      });

      it('an admin changes a user\'s email and role; a taken email is a 409, the last admin stays admin (409), a bad zone a 400', async () => {
        const target = h.reps[1].id;
        const moved = await h.client.users.patch({ id: target, body: { email: 'rep2.new@example.com', role: 'admin' } });
        expect(moved).toMatchObject({ email: 'rep2.new@example.com', role: 'admin' });
        expect((await h.client.users.patch({ id: target, body: { role: 'rep' } })).role).toBe('rep');
        expectError(await h.api('PATCH', `/api/users/${target}`, { email: 'ADMIN@example.com' }), 409, 'conflict');
        expectError(await h.api('PATCH', `/api/users/${h.admin.id}`, { role: 'rep' }), 409, 'invalid_state');
        expectFieldError(await h.api('PATCH', `/api/users/${target}`, { timezone: 'Mars/Olympus' }), 'timezone');
        expectFieldError(await h.api('PATCH', `/api/users/${target}`, { name: '   ' }), 'name');
        expectError(await h.api('PATCH', '/api/users/not-a-uuid', { name: 'X' }), 404, 'not_found');
        expectError(await h.api('PATCH', `/api/users/${target}`, { name: 'X' }, null), 401, 'unauthorized');
        const after = (await h.api('GET', `/api/users/${target}`)).body;
        expect(after).toMatchObject({ email: 'rep2.new@example.com', role: 'rep', timezone: 'Europe/London', name: 'Rep 2' });
        expect((await h.api('GET', `/api/users/${h.admin.id}`)).body.role).toBe('admin');
      });
    });
  });
}
