import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCalcom, signCalendly } from '../../src/webhooks/booking-webhooks.ts';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, createCadence, createLead, enrollOne, expectError, expectFieldError, rowCounts, send, type Res } from './helpers.ts';

/**
 * Booking webhooks (issue 15): Cal.com and Calendly calls in their documented shapes
 * (test/fixtures/bookings), signed as each provider signs; a booking by a lead's email is
 * a meeting-booked signal that ends the lead's enrolments; an unsigned, wrongly signed or
 * stale call is a 401 that changes nothing.
 */

const CALCOM_SECRET = 'calcom webhook secret 1';
const CALENDLY_KEY = 'calendly-signing-key-0123456789abcdef';
const fixture = (name: string) => readFileSync(new URL(`../fixtures/bookings/${name}.json`, import.meta.url), 'utf8');
/** A fixture with its attendee addresses replaced (the fixtures book Jane Prospect). */
const withEmail = (raw: string, email: string) => raw.replace(/jane\.prospect@customer\.example/gi, email);

describe.each(BACKENDS)('booking webhooks on %s', (backend) => {
  let h: Harness;
  let cadenceId: string;
  beforeAll(async () => {
    h = await startHarness(backend);
    expect((await h.api('PUT', '/api/integrations/calcom', { secret: CALCOM_SECRET })).status).toBe(200);
    expect((await h.api('PUT', '/api/integrations/calendly', { secret: CALENDLY_KEY })).status).toBe(200);
    cadenceId = (await createCadence(h, { name: 'Outreach', schedule: ALWAYS_OPEN, steps: [{ type: 'call', title: 'Call {{lead.firstName}}' }, { type: 'task', title: 'Follow up', delayDays: 3 }] })).id;
  }, 120_000);
  afterAll(() => h.close());

  const unix = () => Math.floor(h.clock.now().getTime() / 1000);
  const postCalcom = (raw: string | Buffer, signature: string | null = signCalcom(CALCOM_SECRET, raw), contentType = 'application/json'): Promise<Res> =>
    send(h, { method: 'POST', url: '/api/integrations/calcom', headers: { 'content-type': contentType, ...(signature === null ? {} : { 'x-cal-signature-256': signature }) }, payload: raw });
  const postCalendly = (raw: string, signature: string | null = signCalendly(CALENDLY_KEY, raw, unix())): Promise<Res> =>
    send(h, { method: 'POST', url: '/api/integrations/calendly', headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'calendly-webhook-signature': signature }) }, payload: raw });

  /** A lead (its address as the fixture spells it, in other capitals) enrolled in the cadence. */
  async function enrolledLead(email: string, ownerId = h.reps[0].id) {
    const lead = await createLead(h, { email, firstName: 'Jane', ownerId, timezone: 'UTC' });
    return { lead, enrollmentId: await enrollOne(h, cadenceId, lead.id) };
  }
  const enrollment = async (id: string) => (await h.api('GET', `/api/enrollments/${id}`)).body;
  const meetings = async (recordId: string) => (await sql<{ n: number }>`select count(*)::int as n from signals where record_id = ${recordId} and type = 'meeting_booked'`.execute(h.ctx.db)).rows[0].n;
  const integrationOf = async (provider: string) => (await h.api('GET', '/api/integrations')).body.items.find((i: any) => i.provider === provider);
  /** Everything a refused call must leave as it was. */
  const state = async () => ({
    counts: await rowCounts(h),
    integrations: await h.ctx.db.selectFrom('integrations').selectAll().orderBy('provider').execute(),
    enrollments: await h.ctx.db.selectFrom('enrollments').select(['id', 'status', 'exit_reason']).orderBy('id').execute(),
    leads: await h.ctx.db.selectFrom('leads').select(['id', 'updated_at']).orderBy('id').execute(),
  });

  it('a Cal.com booking by an enrolled lead (its email in other capitals) ends the enrolment as meeting_booked, on the timeline; a repeat counts once', async () => {
    const { lead, enrollmentId } = await enrolledLead('Jane.Prospect@customer.example');
    const raw = fixture('calcom-booking-created');
    const res = await postCalcom(raw);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ kind: 'booking', matched: true, recordId: lead.id, recordIds: [lead.id], exited: [{ id: enrollmentId, reason: 'meeting_booked' }] });
    expect(await enrollment(enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'meeting_booked' });
    const timeline = (await h.api('GET', `/api/leads/${lead.id}/timeline`)).body.items;
    expect(timeline.map((i: any) => i.type)).toEqual(expect.arrayContaining(['meeting_booked', 'exited']));
    expect(timeline.find((i: any) => i.type === 'meeting_booked')).toMatchObject({ title: 'Meeting booked', detail: 'Booked on Cal.com, starts 2026-03-05T15:00:00.000Z' });
    expect(timeline.find((i: any) => i.type === 'exited').detail).toContain('meeting_booked');
    expect(await integrationOf('calcom')).toMatchObject({ configured: true, lastReceivedAt: h.clock.now().toISOString(), lastError: null });

    // Cal.com's retry, or a replay: nothing more.
    const again = await postCalcom(raw);
    expect(again.body).toEqual({ kind: 'booking', matched: true, recordId: lead.id, recordIds: [lead.id], exited: [], alreadyCounted: [lead.id] });
    // Rescheduling the booking is the same meeting.
    const moved = await postCalcom(fixture('calcom-booking-rescheduled'));
    expect(moved.body).toMatchObject({ kind: 'booking', matched: true, exited: [], alreadyCounted: [lead.id] });
    expect(await meetings(lead.id)).toBe(1);
    // Cancellations and Cal.com's test ping are acknowledged and change nothing.
    for (const name of ['calcom-booking-cancelled', 'calcom-ping']) {
      const before = await rowCounts(h);
      const ignored = await postCalcom(fixture(name));
      expect(ignored.status, JSON.stringify(ignored.body)).toBe(200);
      expect(ignored.body).toEqual({ kind: 'ignored', matched: false });
      expect(await rowCounts(h)).toEqual(before);
    }
  });

  it('a Calendly invitee.created by an enrolled lead ends the enrolment; its reschedule and a repeat count once', async () => {
    const { lead, enrollmentId } = await enrolledLead('calendly.jane@customer.example', h.reps[1].id);
    const raw = withEmail(fixture('calendly-invitee-created'), 'Calendly.Jane@Customer.example');
    const res = await postCalendly(raw);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ kind: 'booking', matched: true, recordId: lead.id, exited: [{ id: enrollmentId, reason: 'meeting_booked' }] });
    expect(await enrollment(enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'meeting_booked' });
    expect((await h.api('GET', `/api/leads/${lead.id}/timeline`)).body.items.some((i: any) => i.type === 'meeting_booked')).toBe(true);
    expect((await postCalendly(raw)).body).toMatchObject({ exited: [], alreadyCounted: [lead.id] });
    expect((await postCalendly(withEmail(fixture('calendly-invitee-rescheduled'), 'calendly.jane@customer.example'))).body).toMatchObject({ exited: [], alreadyCounted: [lead.id] });
    expect((await postCalendly(withEmail(fixture('calendly-invitee-canceled'), 'calendly.jane@customer.example'))).body).toEqual({ kind: 'ignored', matched: false });
    expect(await meetings(lead.id)).toBe(1);
    const signal = await h.ctx.db.selectFrom('signals').select('data').where('record_id', '=', lead.id).where('type', '=', 'meeting_booked').executeTakeFirstOrThrow();
    expect(signal.data).toMatchObject({ provider: 'calendly', event: 'invitee.created', startTime: '2026-03-05T15:00:00.000Z' });
    expect(await integrationOf('calendly')).toMatchObject({ lastReceivedAt: h.clock.now().toISOString(), lastError: null });
  });

  it('every attendee that is a lead counts; an address no lead has is matched:false and writes no signal', async () => {
    const a = await enrolledLead('first.attendee@customer.example');
    const b = await enrolledLead('second.attendee@customer.example');
    const body = JSON.parse(fixture('calcom-booking-created'));
    body.payload.uid = 'two-attendees-uid';
    body.payload.attendees = [
      { email: 'nobody@elsewhere.example', name: 'Nobody', timeZone: 'UTC' },
      { email: 'FIRST.attendee@customer.example', name: 'First', timeZone: 'UTC' },
      { email: 'second.attendee@customer.example', name: 'Second', timeZone: 'UTC' },
    ];
    const res = await postCalcom(JSON.stringify(body));
    expect(res.body.recordIds.sort()).toEqual([a.lead.id, b.lead.id].sort());
    expect(res.body.exited.map((e: any) => e.id).sort()).toEqual([a.enrollmentId, b.enrollmentId].sort());

    const before = await rowCounts(h);
    const stranger = await postCalcom(withEmail(fixture('calcom-booking-created'), 'stranger@elsewhere.example'));
    expect(stranger.status).toBe(200);
    expect(stranger.body).toEqual({ kind: 'booking', matched: false, exited: [] });
    expect(await rowCounts(h)).toEqual(before);
  });

  it('a call without a valid signature, or for a provider not set up, is a 401 that changes nothing', async () => {
    const { enrollmentId } = await enrolledLead('guarded@customer.example');
    const calcom = withEmail(fixture('calcom-booking-created'), 'guarded@customer.example').replace('bFJeNb2uX8ANpT3JL5EfXw', 'guarded-uid');
    const calendly = withEmail(fixture('calendly-invitee-created'), 'guarded@customer.example').replace('invitees/AAAAAAAAAAAAAAAA', 'invitees/GUARDED');
    const before = await state();
    const refused: Array<[string, Promise<Res>]> = [
      ['cal.com: no header', postCalcom(calcom, null)],
      ['cal.com: another secret', postCalcom(calcom, signCalcom('not the secret', calcom))],
      ['cal.com: the body changed after signing', postCalcom(calcom.replace('"ACCEPTED"', '"ACCEPTED" '), signCalcom(CALCOM_SECRET, calcom))],
      ['cal.com: not hex', postCalcom(calcom, 'z'.repeat(64))],
      ['cal.com: empty', postCalcom(calcom, '')],
      ['cal.com: too long', postCalcom(calcom, 'a'.repeat(5000))],
      ['calendly: no header', postCalendly(calendly, null)],
      ['calendly: another key', postCalendly(calendly, signCalendly('another key', calendly, unix()))],
      ['calendly: 4 minutes old', postCalendly(calendly, signCalendly(CALENDLY_KEY, calendly, unix() - 240))],
      ['calendly: 4 minutes ahead', postCalendly(calendly, signCalendly(CALENDLY_KEY, calendly, unix() + 240))],
      ['calendly: the timestamp changed after signing', postCalendly(calendly, signCalendly(CALENDLY_KEY, calendly, unix() - 240).replace(/^t=\d+/, `t=${unix()}`))],
      ['calendly: no t', postCalendly(calendly, signCalendly(CALENDLY_KEY, calendly, unix()).replace(/^t=\d+,/, ''))],
      ['calendly: no v1', postCalendly(calendly, `t=${unix()}`)],
      ['calendly: cal.com\'s header', send(h, { method: 'POST', url: '/api/integrations/calendly', headers: { 'content-type': 'application/json', 'x-cal-signature-256': signCalcom(CALENDLY_KEY, calendly) }, payload: calendly })],
    ];
    for (const [what, call] of refused) {
      const res = await call;
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(401);
      expectError(res, 401, 'unauthorized');
    }
    expect(await state()).toEqual(before);
    expect(await enrollment(enrollmentId)).toMatchObject({ status: 'active' });

    // Within the tolerance, the same call is taken.
    expect((await postCalendly(calendly, signCalendly(CALENDLY_KEY, calendly, unix() - 120))).body).toMatchObject({ kind: 'booking', matched: true });

    // A provider whose secret was removed answers 401 to everyone.
    expect((await send(h, { method: 'DELETE', url: '/api/integrations/calcom', headers: { authorization: `Bearer ${h.adminToken}` } })).status).toBe(204);
    const unset = await state();
    const res = await postCalcom(calcom);
    expectError(res, 401, 'unauthorized');
    expect(res.body.error.message).toContain('not set up');
    expect(await state()).toEqual(unset);
    expect((await h.api('PUT', '/api/integrations/calcom', { secret: CALCOM_SECRET })).status).toBe(200);
  });

  it('a signed body that is no provider\'s payload is a 400 naming the field; a booking without an address is acknowledged and its problem shown', async () => {
    const before = await state();
    const notJson = await postCalcom('{"triggerEvent": ');
    expectFieldError(notJson, 'body');
    expectFieldError(await postCalcom('{"payload": {}}'), 'body.triggerEvent');
    expectFieldError(await postCalcom('[1, 2]'), 'body');
    expectFieldError(await postCalendly('{"event": 42}'), 'body.event');
    expectFieldError(await postCalcom(`${'['.repeat(100)}${']'.repeat(100)}`), '0.0');
    // NUL in what would be stored.
    const nul = JSON.parse(fixture('calcom-booking-created'));
    nul.payload.uid = 'bad\u0000uid';
    expectFieldError(await postCalcom(JSON.stringify(nul)), 'payload.uid');
    // Larger than a booking ever is.
    const big = JSON.parse(fixture('calcom-booking-created'));
    big.payload.description = 'x'.repeat(70 * 1024);
    expectError(await postCalcom(JSON.stringify(big)), 413, 'payload_too_large');
    expect(await state()).toEqual(before);

    const noEmail = JSON.parse(fixture('calcom-booking-created'));
    noEmail.payload.uid = 'no-email-uid';
    noEmail.payload.attendees = [{ name: 'Who', timeZone: 'UTC' }];
    const res = await postCalcom(JSON.stringify(noEmail));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'ignored', matched: false });
    expect((await integrationOf('calcom')).lastError).toBe('BOOKING_CREATED no-email-uid names no attendee email');
    // The next good call clears it.
    expect((await postCalcom(withEmail(fixture('calcom-booking-created'), 'stranger@elsewhere.example'))).status).toBe(200);
    expect((await integrationOf('calcom')).lastError).toBeNull();
  });

  it('integration secrets: admins set and remove them, the list never shows them, bad input names the field', async () => {
    const list = await h.api('GET', '/api/integrations');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: any) => [i.provider, i.configured, i.webhookUrl])).toEqual([
      ['calcom', true, 'http://cadenza.test/api/integrations/calcom'],
      ['calendly', true, 'http://cadenza.test/api/integrations/calendly'],
    ]);
    expect(JSON.stringify(list.body)).not.toContain(CALCOM_SECRET);
    expect(JSON.stringify(list.body)).not.toContain(CALENDLY_KEY);

    const before = await state();
    expectFieldError(await h.api('PUT', '/api/integrations/calcom', { secret: 'short' }), 'secret');
    expectFieldError(await h.api('PUT', '/api/integrations/calcom', {}), 'secret');
    expectFieldError(await h.api('PUT', '/api/integrations/calcom', { secret: 'x'.repeat(501) }), 'secret');
    expectFieldError(await h.api('PUT', '/api/integrations/calcom', { secret: 'has a NUL \u0000 in it' }), 'secret');
    expectFieldError(await h.api('PUT', '/api/integrations/zoom', { secret: 'long enough secret' }), 'params.provider');
    expectFieldError(await h.api('DELETE', '/api/integrations/zoom'), 'params.provider');
    for (const [method, url, body] of [['GET', '/api/integrations'], ['PUT', '/api/integrations/calcom', { secret: 'an attacker\'s secret' }], ['DELETE', '/api/integrations/calcom']] as const) {
      expectError(await h.api(method, url, body, h.reps[0].token), 403, 'forbidden');
      expectError(await h.api(method, url, body, null), 401, 'unauthorized');
    }
    expect(await state()).toEqual(before);

    // A new secret takes over at once.
    expect((await h.api('PUT', '/api/integrations/calcom', { secret: 'a brand new secret' })).body).toMatchObject({ provider: 'calcom', configured: true, updatedAt: h.clock.now().toISOString() });
    expectError(await postCalcom(fixture('calcom-ping')), 401, 'unauthorized');
    expect((await postCalcom(fixture('calcom-ping'), signCalcom('a brand new secret', fixture('calcom-ping')))).status).toBe(200);
    expect((await h.api('PUT', '/api/integrations/calcom', { secret: CALCOM_SECRET })).status).toBe(200);

    expect((await send(h, { method: 'DELETE', url: '/api/integrations/calendly', headers: { authorization: `Bearer ${h.adminToken}` } })).status).toBe(204);
    expectError(await h.api('DELETE', '/api/integrations/calendly'), 404, 'not_found');
    expect((await integrationOf('calendly'))).toMatchObject({ configured: false, updatedAt: null, lastReceivedAt: null });
    expect((await h.api('PUT', '/api/integrations/calendly', { secret: CALENDLY_KEY })).status).toBe(200);
  });
});
