import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { advanceEnrollments } from '../../src/app/advance.ts';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, advance, createCadence, createLead, enrollOne, expectError, expectFieldError, type Res } from './helpers.ts';

/**
 * The cadence API the admin web app builds on (issue 13): enrolments that wait while
 * their cadence is a draft, paused or archived; the live preview; clone and delete;
 * merge fields refused at save; the enrolment preflight, which agrees with the
 * enrolment; the automatic-enrolment count; the list's counts and rates.
 */
describe.each(BACKENDS)('the cadence API of the admin web app on %s', (backend) => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(backend); });
  afterEach(() => h.close());

  const ok = (res: Res, status = 200) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  const lead = (extra: Record<string, unknown> = {}) =>
    createLead(h, { email: `l-${randomUUID()}@example.com`, firstName: 'Ada', ownerId: h.reps[0].id, timezone: 'UTC', ...extra });
  const twoSteps = (extra: Record<string, unknown> = {}) => ({
    name: `Outreach ${randomUUID().slice(0, 8)}`, schedule: ALWAYS_OPEN,
    steps: [
      { type: 'email', subject: 'Hi {{lead.firstName}}', body: 'Hello {{lead.firstName}} at {{lead.company}}' },
      { type: 'call', title: 'Call {{lead.fullName}}', delayDays: 1 },
    ],
    ...extra,
  });
  const emailsOf = async (enrollmentId: string) => ok(await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).items;
  const tasksOf = async (enrollmentId: string) => ok(await h.api('GET', `/api/tasks?enrollmentId=${enrollmentId}`)).items;
  const enrollment = async (id: string) => ok(await h.api('GET', `/api/enrollments/${id}`));

  it('runs no step of an enrolment while its cadence is a draft, paused or archived, and says why', async () => {
    const draft = await createCadence(h, twoSteps(), false);
    const a = await lead();
    const enrolled = ok(await h.api('POST', `/api/cadences/${draft.id}/enrollments`, { recordIds: [a.id] }), 201);
    expect(enrolled.enrolled).toEqual([{ id: expect.any(String), recordId: a.id, status: 'pending', waitingFor: 'cadence_activation' }]);
    const first = enrolled.enrolled[0].id;
    expect(await enrollment(first)).toMatchObject({ status: 'pending', waitingFor: 'cadence_activation', heldReason: expect.stringContaining('activated') });
    await advance(h, 'P3D');
    expect(await emailsOf(first)).toEqual([]);

    // Activated: it starts, and its first email goes out.
    ok(await h.api('POST', `/api/cadences/${draft.id}/activate`));
    await advance(h, 'PT1M');
    const started = await enrollment(first);
    expect(started.status).toBe('active');
    expect(started.waitingFor).toBeUndefined();
    expect(await emailsOf(first)).toHaveLength(1);

    // Paused: the running enrolment's call waits, and a new enrolment waits too.
    ok(await h.api('POST', `/api/cadences/${draft.id}/pause`));
    const b = await lead();
    const second = ok(await h.api('POST', `/api/cadences/${draft.id}/enrollments`, { recordIds: [b.id] }), 201).enrolled[0];
    expect(second).toMatchObject({ status: 'active', waitingFor: 'cadence_resume' });
    await advance(h, 'P3D');
    expect(await tasksOf(first)).toEqual([]);
    expect(await emailsOf(second.id)).toEqual([]);
    expect(await enrollment(second.id)).toMatchObject({ waitingFor: 'cadence_resume', heldReason: expect.any(String) });
    // Handed to the engine's step runner directly (as a task's completion would), it still runs nothing.
    const rows = await h.ctx.db.selectFrom('enrollments').selectAll().where('cadence_id', '=', draft.id).execute();
    const summary = await h.ctx.db.transaction().execute((trx) =>
      advanceEnrollments(h.ctx, trx, rows.map((r) => ({ ...r, next_due_at: new Date(0) })), h.ctx.clock.now()));
    expect(summary).toMatchObject({ advanced: 0, tasks: 0, emails: 0 });
    await advance(h, 'PT1M');
    expect(await tasksOf(first)).toEqual([]);
    const listed = ok(await h.api('GET', `/api/enrollments?cadenceId=${draft.id}`)).items;
    expect(listed.map((e: any) => e.waitingFor)).toEqual(['cadence_resume', 'cadence_resume']);

    // Archived: held for ever, and no enrolment is taken (the preflight says why, per lead).
    ok(await h.api('POST', `/api/cadences/${draft.id}/archive`));
    await advance(h, 'P3D');
    expect(await tasksOf(first)).toEqual([]);
    expect(await enrollment(first)).toMatchObject({ waitingFor: 'cadence_archived' });
    const c = await lead();
    expectError(await h.api('POST', `/api/cadences/${draft.id}/enrollments`, { recordIds: [c.id] }), 409, 'invalid_state');
    const check = ok(await h.api('POST', `/api/cadences/${draft.id}/enrollments/preflight`, { recordIds: [c.id] }));
    expect(check.refused).toEqual([{ recordId: c.id, name: 'Ada', email: c.email, reason: 'cadence_archived', message: expect.any(String) }]);
    expect(check.counts).toEqual({ requested: 1, enrolled: 0, held: 0, refused: 1 });
  });

  it('previews every step for a lead as the engine renders it, saved or as edited, naming missing fields', async () => {
    const cadence = await createCadence(h, twoSteps({
      steps: [
        { type: 'email', subject: 'Hi {{lead.firstName}}', body: 'Hello {{lead.firstName}} at {{lead.company}}' },
        { type: 'email', threadWithPrevious: true, body: '<p>Still keen, {{lead.firstName | fallback: "friend"}}?</p>', delayDays: 2 },
        { type: 'call', title: 'Call {{lead.fullName}}', instructions: 'Ask about {{lead.fields.industry}}' },
        { type: 'email', mode: 'manual', subject: 'Last one', body: 'Bye' },
      ],
    }));
    const ada = await lead({ lastName: 'Lovelace' });
    const preview = ok(await h.api('POST', `/api/cadences/${cadence.id}/preview`, { recordId: ada.id }));
    const ids = cadence.steps.map((s: any) => s.id);
    expect(preview).toEqual({
      recordId: ada.id,
      steps: [
        { stepId: ids[0], index: 0, type: 'email', subject: 'Hi Ada', body: 'Hello Ada at ', bodyFormat: 'text', missing: ['lead.company'] },
        { stepId: ids[1], index: 1, type: 'email', subject: 'Re: Hi Ada', body: '<p>Still keen, Ada?</p>', bodyFormat: 'html', missing: [] },
        { stepId: ids[2], index: 2, type: 'call', title: 'Call Ada Lovelace', instructions: 'Ask about ', missing: ['lead.fields.industry'] },
        { stepId: ids[3], index: 3, type: 'email', subject: 'Last one', body: 'Bye', bodyFormat: 'text', title: 'Email: Last one', missing: [] },
      ],
    });

    // The builder's unsaved edit, rendered without saving.
    const edited = ok(await h.api('POST', `/api/cadences/${cadence.id}/preview`, {
      recordId: ada.id, definition: { steps: [{ type: 'task', title: 'Research {{lead.company | fallback: "their company"}}' }] },
    }));
    expect(edited.steps).toEqual([{ stepId: expect.any(String), index: 0, type: 'task', title: 'Research their company', missing: [] }]);
    expect(ok(await h.api('GET', `/api/cadences/${cadence.id}`)).steps).toHaveLength(4);

    // A typo'd merge field, which a save refuses, renders empty and is listed as missing.
    const typo = ok(await h.api('POST', `/api/cadences/${cadence.id}/preview`, { recordId: ada.id, definition: { steps: [{ type: 'email', subject: 'x', body: 'Hi {{lead.frstName}}!' }] } }));
    expect(typo.steps[0]).toMatchObject({ body: 'Hi !', missing: ['lead.frstName'] });

    // Bad input, each named.
    const bad = await h.api('POST', `/api/cadences/${cadence.id}/preview`, { recordId: ada.id, definition: { steps: [{ type: 'email', subject: 'x', body: '' }] } });
    expectFieldError(bad, 'definition.steps.0.body');
    expectFieldError(await h.api('POST', `/api/cadences/${cadence.id}/preview`, { recordId: 'nope' }), 'recordId');
    expectFieldError(await h.api('POST', `/api/cadences/${cadence.id}/preview`, {}), 'recordId');
    expectError(await h.api('POST', `/api/cadences/${cadence.id}/preview`, { recordId: randomUUID() }), 404, 'not_found');
    expectError(await h.api('POST', `/api/cadences/${randomUUID()}/preview`, { recordId: ada.id }), 404, 'not_found');
    // A rep previews for their own leads only.
    expectError(await h.api('POST', `/api/cadences/${cadence.id}/preview`, { recordId: ada.id }, h.reps[1].token), 404, 'not_found');
    ok(await h.api('POST', `/api/cadences/${cadence.id}/preview`, { recordId: ada.id }, h.reps[0].token));
  });

  it('clones a cadence as a draft copy, deletes a draft with its waiting enrolments, and refuses to delete any other', async () => {
    const active = await createCadence(h, twoSteps({ reenrollment: 'always', throttle: { perRepPerDay: 5 } }));
    const copy = ok(await h.api('POST', `/api/cadences/${active.id}/clone`), 201);
    expect(copy).toMatchObject({ name: `Copy of ${active.name}`, status: 'draft', version: 1, reenrollment: 'always', throttle: { perRepPerDay: 5 } });
    expect(copy.id).not.toBe(active.id);
    expect(copy.steps).toEqual(active.steps);

    const a = await lead();
    await enrollOne(h, copy.id, a.id);
    await advance(h, 'PT1M');
    ok(await h.api('DELETE', `/api/cadences/${copy.id}`), 204);
    expectError(await h.api('GET', `/api/cadences/${copy.id}`), 404, 'not_found');
    expect(ok(await h.api('GET', `/api/enrollments?recordId=${a.id}`)).items).toEqual([]);

    const refused = await h.api('DELETE', `/api/cadences/${active.id}`);
    expectError(refused, 409, 'invalid_state');
    expect(refused.body.error.message).toContain('archive');
    expectError(await h.api('DELETE', `/api/cadences/${randomUUID()}`), 404, 'not_found');
    expectError(await h.api('DELETE', `/api/cadences/not-an-id`), 404, 'not_found');
    expectError(await h.api('POST', `/api/cadences/${randomUUID()}/clone`), 404, 'not_found');
    expectError(await h.api('POST', `/api/cadences/${active.id}/clone`, undefined, h.reps[0].token), 403, 'forbidden');
    expectError(await h.api('DELETE', `/api/cadences/${active.id}`, undefined, h.reps[0].token), 403, 'forbidden');
  });

  it('refuses at save a merge field no lead can have, naming the step, the field and the likely one', async () => {
    const res = await h.api('POST', '/api/cadences', twoSteps({
      steps: [
        { type: 'task', title: 'Research {{lead.company}}' },
        { type: 'email', subject: 'Hi', body: 'Hi {{lead.frstName}}, {{ lead.fields.industry }} {% assign n = owner.firstName %}{{ n }}' },
      ],
    }));
    expectFieldError(res, 'steps.1.body');
    expect(res.body.error.details).toEqual([{
      path: 'body.steps.1.body', field: 'lead.frstName', suggestion: 'lead.firstName', stepIndex: 1, stepType: 'email',
      message: expect.stringContaining('did you mean "lead.firstName"'),
    }]);
    expect(res.body.error.message).toContain('step 2 (index 1, email)');

    const cadence = await createCadence(h, twoSteps(), false);
    const patch = await h.api('PATCH', `/api/cadences/${cadence.id}`, { steps: [{ type: 'call', title: 'Call {{ownr.name}}' }] });
    expectFieldError(patch, 'steps.0.title');
    expect(patch.body.error.details[0]).toMatchObject({ field: 'ownr.name', suggestion: 'owner.name' });
    const boost = await h.api('PATCH', `/api/cadences/${cadence.id}`, {
      boosts: [{ on: 'opened', stepIndex: 0, action: { type: 'task', title: '{{ lead.emial }} opened' } }],
    });
    expectFieldError(boost, 'boosts.0.action.title');
    expect(boost.body.error.details[0]).toMatchObject({ field: 'lead.emial', suggestion: 'lead.email', boostIndex: 0 });
    expect(ok(await h.api('GET', `/api/cadences/${cadence.id}`)).version).toBe(1);

    // The picker's list: standard fields with labels and examples, and the custom fields leads carry.
    await lead({ fields: { industry: 'Retail' } });
    const fields = ok(await h.api('GET', '/api/merge-fields', undefined, h.reps[0].token)).items;
    expect(fields).toContainEqual({ field: 'lead.firstName', label: 'First name', example: 'Ada', group: 'lead', snippet: '{{lead.firstName | fallback: ""}}' });
    expect(fields).toContainEqual(expect.objectContaining({ field: 'owner.name', group: 'owner' }));
    expect(fields).toContainEqual({ field: 'lead.fields.industry', label: 'Custom field "industry"', example: 'Retail', group: 'custom', snippet: '{{lead.fields.industry | fallback: ""}}' });
  });

  it('answers a preflight that the enrolment then bears out, by ids or by a filter', async () => {
    const cadence = await createCadence(h, twoSteps({ throttle: { perRepPerDay: 2 }, reenrollment: 'never' }));
    const fine = await lead({ firstName: 'Fine', lastName: 'One', company: 'Preflight Co' });
    const fine2 = await lead({ company: 'Preflight Co' });
    const held = await lead({ company: 'Preflight Co' });
    const unsubscribed = await lead({ company: 'Preflight Co' });
    const bounced = await lead({ company: 'Preflight Co' });
    const done = await lead({ company: 'Preflight Co' });
    const other = await lead({ ownerId: h.reps[1].id, company: 'Elsewhere' });
    ok(await h.api('POST', '/api/signals', { type: 'unsubscribed', recordId: unsubscribed.id }), 202);
    ok(await h.api('POST', '/api/signals', { type: 'bounced', recordId: bounced.id }), 202);
    const doneId = await enrollOne(h, cadence.id, done.id);
    ok(await h.api('POST', `/api/enrollments/${doneId}/exit`));
    const unknown = randomUUID();
    const ids = [fine.id, fine2.id, held.id, unsubscribed.id, bounced.id, done.id, unknown, fine.id];

    const check = ok(await h.api('POST', `/api/cadences/${cadence.id}/enrollments/preflight`, { recordIds: ids }));
    expect(check).toEqual({
      cadence: { id: cadence.id, name: cadence.name, status: 'active' },
      counts: { requested: 7, enrolled: 1, held: 2, refused: 4 },
      refusedByReason: { unsubscribed: 1, bounced: 1, not_allowed: 1, not_found: 1 },
      heldByReason: { throttle: 2 },
      // The throttle allows two a day per rep: `done` started one today.
      enrolled: [{ recordId: fine.id, name: 'Fine One', email: fine.email }],
      held: [
        { recordId: fine2.id, name: 'Ada', email: fine2.email, waitingFor: 'throttle', message: expect.any(String) },
        { recordId: held.id, name: 'Ada', email: held.email, waitingFor: 'throttle', message: expect.any(String) },
      ],
      refused: [
        { recordId: unsubscribed.id, name: 'Ada', email: unsubscribed.email, reason: 'unsubscribed', message: 'Unsubscribed' },
        { recordId: bounced.id, name: 'Ada', email: bounced.email, reason: 'bounced', message: expect.any(String) },
        { recordId: done.id, name: 'Ada', email: done.email, reason: 'not_allowed', message: expect.any(String) },
        { recordId: unknown, name: null, email: null, reason: 'not_found', message: expect.any(String) },
      ],
      truncated: false,
    });
    // Nothing was written; the enrolment then does what the preflight said.
    expect(ok(await h.api('GET', `/api/enrollments?recordId=${fine.id}`)).items).toEqual([]);
    const real = ok(await h.api('POST', `/api/cadences/${cadence.id}/enrollments`, { recordIds: ids }), 201);
    expect(real.enrolled.filter((e: any) => !e.waitingFor).map((e: any) => e.recordId)).toEqual(check.enrolled.map((e: any) => e.recordId));
    expect(real.enrolled.filter((e: any) => e.waitingFor).map((e: any) => [e.recordId, e.status, e.waitingFor]))
      .toEqual(check.held.map((e: any) => [e.recordId, 'pending', e.waitingFor]));
    expect(real.rejected).toEqual(check.refused.map((r: any) => ({ recordId: r.recordId, reason: r.reason })));
    // Now they are in: a second preflight refuses them as already enrolled.
    const again = ok(await h.api('POST', `/api/cadences/${cadence.id}/enrollments/preflight`, { recordIds: [fine.id, held.id] }));
    expect(again.refusedByReason).toEqual({ already_enrolled: 2 });

    // By a filter: the leads whose name, email or company match, the same rules.
    const second = await createCadence(h, twoSteps());
    const byFilter = ok(await h.api('POST', `/api/cadences/${second.id}/enrollments/preflight`, { filter: { q: 'preflight co' } }));
    expect(byFilter.counts).toEqual({ requested: 6, enrolled: 4, held: 0, refused: 2 });
    expect(byFilter.refusedByReason).toEqual({ unsubscribed: 1, bounced: 1 });
    const enrolledByFilter = ok(await h.api('POST', `/api/cadences/${second.id}/enrollments`, { filter: { q: 'preflight co' } }), 201);
    expect(enrolledByFilter.enrolled.map((e: any) => e.recordId).sort()).toEqual(byFilter.enrolled.map((e: any) => e.recordId).sort());
    // A rep's filter covers the rep's own leads.
    const repCheck = ok(await h.api('POST', `/api/cadences/${second.id}/enrollments/preflight`, { filter: { q: 'elsewhere' } }, h.reps[0].token));
    expect(repCheck.counts.requested).toBe(0);
    const theirs = ok(await h.api('POST', `/api/cadences/${second.id}/enrollments/preflight`, { filter: { q: 'elsewhere' } }, h.reps[1].token));
    expect(theirs.enrolled).toEqual([{ recordId: other.id, name: 'Ada', email: other.email }]);

    // Bad input, named.
    const url = `/api/cadences/${cadence.id}/enrollments/preflight`;
    expectFieldError(await h.api('POST', url, {}), 'recordIds');
    expectFieldError(await h.api('POST', url, { recordIds: [fine.id], filter: { q: 'x' } }), 'filter');
    expectFieldError(await h.api('POST', url, { recordIds: [] }), 'recordIds');
    expectFieldError(await h.api('POST', url, { recordIds: Array.from({ length: 10_001 }, () => fine.id) }), 'recordIds');
    expectFieldError(await h.api('POST', url, { filter: { ownerId: 'me' } }), 'filter.ownerId');
    expectFieldError(await h.api('POST', url, { filter: { colour: 'red' } }), 'filter');
    expectFieldError(await h.api('POST', `/api/cadences/${cadence.id}/enrollments`, { filter: { cadenceId: 'x' } }), 'filter.cadenceId');
    // A filter matching more than 10,000 leads is refused: the admin narrows it.
    await sql`insert into leads (id, module, email, status, owner_id, fields, created_at, updated_at)
      select gen_random_uuid(), 'lead', 'many' || g || '@many.example', 'New', ${h.reps[0].id}::uuid, '{}'::jsonb, now(), now()
      from generate_series(1, 10001) g`.execute(h.ctx.db);
    const tooMany = await h.api('POST', url, { filter: { q: 'many.example' } });
    expectFieldError(tooMany, 'filter', 422);
    expect(tooMany.body.error.message).toContain('narrow');
    expectFieldError(await h.api('POST', `/api/cadences/${cadence.id}/enrollments`, { filter: { q: 'many.example' } }), 'filter', 422);
    expectError(await h.api('POST', `/api/cadences/${randomUUID()}/enrollments/preflight`, { recordIds: [fine.id] }), 404, 'not_found');
    expectError(await h.api('POST', `/api/cadences/${randomUUID()}/enrollments/preflight`, { filter: { q: 'x' } }), 404, 'not_found');
  });

  it('counts the leads an automatic-enrolment filter matches now', async () => {
    await lead({ status: 'New', company: 'Acme' });
    await lead({ status: 'New', company: 'Globex' });
    await lead({ status: 'Qualified', company: 'Acme' });
    await lead({ status: 'New', company: 'Acme', module: 'contact' });
    const count = async (body: unknown) => ok(await h.api('POST', '/api/cadences/auto-enroll/matches', body, h.reps[0].token));
    expect(await count({ filter: [{ field: 'status', eq: 'New' }] })).toEqual({ count: 2, atLeast: false });
    expect(await count({ filter: [{ field: 'status', eq: 'New' }, { field: 'company', in: ['Acme'] }] })).toEqual({ count: 1, atLeast: false });
    expect(await count({ filter: [{ field: 'status', eq: 'New' }], module: 'contact' })).toEqual({ count: 1, atLeast: false });
    expectFieldError(await h.api('POST', '/api/cadences/auto-enroll/matches', { filter: [] }), 'filter');
    expectFieldError(await h.api('POST', '/api/cadences/auto-enroll/matches', { filter: [{ field: 'status' }] }), 'filter.0');
    expectFieldError(await h.api('POST', '/api/cadences/auto-enroll/matches', {}), 'filter');
    expectFieldError(await h.api('POST', '/api/cadences/auto-enroll/matches', { filter: [{ field: 'status', eq: 'New' }], module: 'deal' }), 'module');
  });

  it('lists cadences with their enrolments per state and reply and meeting rates; PATCH says who follows the new version', async () => {
    const cadence = await createCadence(h, twoSteps());
    const idle = await createCadence(h, twoSteps(), false);
    const leads = await Promise.all([1, 2, 3, 4].map(() => lead()));
    for (const l of leads) await enrollOne(h, cadence.id, l.id);
    await advance(h, 'PT1M');
    ok(await h.api('POST', '/api/signals', { type: 'replied', recordId: leads[0].id }), 202);
    ok(await h.api('POST', '/api/signals', { type: 'meeting_booked', recordId: leads[1].id }), 202);

    const items = ok(await h.api('GET', '/api/cadences', undefined, h.reps[0].token)).items;
    expect(items.find((c: any) => c.id === cadence.id)).toMatchObject({
      status: 'active', stepCount: 2,
      enrollments: { pending: 0, active: 2, paused: 0, completed: 0, exited: 2, failed: 0 },
      started: 4, replied: 1, meetings: 1, replyRate: 0.25, meetingRate: 0.25,
    });
    expect(items.find((c: any) => c.id === idle.id)).toMatchObject({
      status: 'draft', started: 0, replyRate: null, meetingRate: null,
      enrollments: { pending: 0, active: 0, paused: 0, completed: 0, exited: 0, failed: 0 },
    });

    const patched = ok(await h.api('PATCH', `/api/cadences/${cadence.id}`, { name: 'Renamed' }));
    expect(patched).toMatchObject({ name: 'Renamed', version: 2, previousVersion: 1, runningEnrollments: 2 });
  });
});
