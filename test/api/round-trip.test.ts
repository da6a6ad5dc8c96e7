import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { createCadence, createLead, expectError, expectFieldError } from './helpers.ts';

/**
 * API.md "Round trip": what GET answers, PATCH accepts unchanged (a null means "not
 * set"), and a GET after it answers the same, for cadences, leads and users.
 */

/** What a save changes by itself: the version, the time of the change. */
const stable = ({ version: _v, updatedAt: _u, enrollmentsByVersion: _e, ...rest }: Record<string, unknown>) => rest;

for (const backend of BACKENDS) {
  describe(`round trips on ${backend}`, () => {
    let h: Harness;
    beforeAll(async () => { h = await startHarness(backend); });
    afterAll(async () => { await h?.close(); });

    async function roundTrip(path: string, token = h.adminToken) {
      const before = await h.api('GET', path, undefined, token);
      expect(before.status, JSON.stringify(before.body)).toBe(200);
      const patched = await h.api('PATCH', path, before.body, token);
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      const after = await h.api('GET', path, undefined, token);
      expect(after.status).toBe(200);
      return { before: before.body, patched: patched.body, after: after.body };
    }

    it('a cadence whose GET holds nulls (no zone, no end date, no throttle, no condition, a boost on any step) takes its GET back unchanged', async () => {
      const cadence = await createCadence(h, {
        name: 'Nulls everywhere',
        schedule: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
        steps: [
          { type: 'email', subject: 'Hello {{lead.firstName}}', body: 'Hi there' },
          { type: 'call', title: 'Call', delay: { amount: 2, unit: 'business_days' }, condition: { stepIndex: 0, is: 'not_replied' } },
          { type: 'task', title: 'Research', instructions: 'Look them up', priority: 'high' },
        ],
        boosts: [{ on: 'opened', action: { type: 'call', title: 'Hot lead' } }],
      }, false);
      const { before, patched, after } = await roundTrip(`/api/cadences/${cadence.id}`);
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
      const cadence = await createCadence(h, {
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
      }, false);
      const { before, after } = await roundTrip(`/api/cadences/${cadence.id}`);
      expect(before.schedule.timezone).toBe('Europe/Paris');
      expect(stable(after)).toEqual(stable(before));
    });

    it('schedule.timezone: null is "not set" on POST and PATCH: each lead\'s zone is used again', async () => {
      const created = await h.api('POST', '/api/cadences', {
        name: 'Null zone', schedule: { days: [1, 2, 3], start: '09:00', end: '12:00', timezone: null }, steps: [{ type: 'call', title: 'Call' }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.schedule.timezone).toBeNull();
      const zoned = await h.api('PATCH', `/api/cadences/${created.body.id}`, { schedule: { ...created.body.schedule, timezone: 'Asia/Tokyo' } });
      expect(zoned.body.schedule.timezone).toBe('Asia/Tokyo');
      const cleared = await h.api('PATCH', `/api/cadences/${created.body.id}`, { schedule: { ...zoned.body.schedule, timezone: null } });
      expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
      expect(cleared.body.schedule.timezone).toBeNull();
    });

    it('a step answers only its type\'s fields, and a PATCH that changes a step\'s type is checked as that type', async () => {
      const cadence = await createCadence(h, { name: 'Typed steps', steps: [{ type: 'call', title: 'Dial', subject: 'ignored for a call' }] }, false);
      expect(cadence.steps[0]).not.toHaveProperty('subject');
      expect(cadence.steps[0]).not.toHaveProperty('mode');
      const res = await h.api('PATCH', `/api/cadences/${cadence.id}`, { steps: [{ ...cadence.steps[0], type: 'email' }] });
      expectFieldError(res, 'steps.0.body');
    });

    it('a lead takes its GET back unchanged, nulls and custom fields included, and a rep may do it for its own lead', async () => {
      const lead = await createLead(h, { email: 'round@example.com', firstName: 'Round', company: null, fields: { industry: 'Retail', seats: 12 } });
      const { before, after } = await roundTrip(`/api/leads/${lead.id}`);
      expect(before.company).toBeNull();
      expect(before.timezone).toBeNull();
      expect(stable(after)).toEqual(stable(before));

      const own = await createLead(h, { email: 'mine@example.com', firstName: 'Mine', timezone: 'Europe/London' }, h.reps[0].token);
      const rep = await roundTrip(`/api/leads/${own.id}`, h.reps[0].token);
      expect(stable(rep.after)).toEqual(stable(rep.before));
    });

    it('a user takes its GET back unchanged, for an admin on anyone and for a rep on itself', async () => {
      const admin = await roundTrip(`/api/users/${h.reps[1].id}`);
      expect(admin.before.timezone).toBe('Europe/London');
      expect(admin.after).toEqual(admin.before);
      const me = await roundTrip(`/api/users/${h.reps[0].id}`, h.reps[0].token);
      expect(me.after).toEqual(me.before);
      const adminSelf = await roundTrip(`/api/users/${h.admin.id}`);
      expect(adminSelf.before.timezone).toBeNull();
      expect(adminSelf.after).toEqual(adminSelf.before);
    });

    describe('PATCH /api/users/:id', () => {
      it('a rep changes its own name and zone, and clears the zone with null', async () => {
        const rep = h.reps[0];
        const named = await h.api('PATCH', `/api/users/${rep.id}`, { name: 'Ada Rep', timezone: 'Asia/Kolkata' }, rep.token);
        expect(named.status, JSON.stringify(named.body)).toBe(200);
        expect(named.body).toMatchObject({ name: 'Ada Rep', timezone: 'Asia/Kolkata' });
        const cleared = await h.api('PATCH', `/api/users/${rep.id}`, { timezone: null }, rep.token);
        expect(cleared.body.timezone).toBeNull();
        expect((await h.api('GET', '/api/users/me', undefined, rep.token)).body).toMatchObject({ name: 'Ada Rep', timezone: null });
        await h.api('PATCH', `/api/users/${rep.id}`, { timezone: 'America/New_York' }, rep.token);
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
        const moved = await h.api('PATCH', `/api/users/${target}`, { email: 'rep2.new@example.com', role: 'admin' });
        expect(moved.status, JSON.stringify(moved.body)).toBe(200);
        expect(moved.body).toMatchObject({ email: 'rep2.new@example.com', role: 'admin' });
        expect((await h.api('PATCH', `/api/users/${target}`, { role: 'rep' })).body.role).toBe('rep');
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
