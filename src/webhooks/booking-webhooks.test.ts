import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CALENDLY_TOLERANCE_MS, readCalcomEvent, readCalendlyEvent, signCalcom, signCalendly, verifyCalcomSignature, verifyCalendlySignature,
} from './booking-webhooks.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../test/fixtures/bookings/${name}.json`, import.meta.url), 'utf8'));
const body = Buffer.from('{"triggerEvent":"PING"}');
const NOW = new Date('2026-03-02T08:00:00Z');
const t = NOW.getTime() / 1000;

describe('booking webhook signatures', () => {
  it('Cal.com: hex HMAC-SHA256 of the raw body, with or without a sha256= prefix', () => {
    const sig = signCalcom('s3cret', body);
    expect(verifyCalcomSignature('s3cret', body, sig)).toEqual({ ok: true });
    expect(verifyCalcomSignature('s3cret', body, `sha256=${sig.toUpperCase()}`)).toEqual({ ok: true });
    expect(verifyCalcomSignature('other', body, sig).ok).toBe(false);
    expect(verifyCalcomSignature('s3cret', Buffer.from('{"triggerEvent":"PING" }'), sig).ok).toBe(false);
    expect(verifyCalcomSignature('s3cret', body, sig.slice(0, 63)).ok).toBe(false);
    expect(verifyCalcomSignature('s3cret', body, undefined)).toEqual({ ok: false, reason: 'missing x-cal-signature-256 header' });
  });

  it('Calendly: t and v1 over "t.body", refused more than 3 minutes either side of the clock', () => {
    expect(verifyCalendlySignature('key', body, signCalendly('key', body, t), NOW)).toEqual({ ok: true });
    const edge = CALENDLY_TOLERANCE_MS / 1000;
    expect(verifyCalendlySignature('key', body, signCalendly('key', body, t - edge), NOW).ok).toBe(true);
    expect(verifyCalendlySignature('key', body, signCalendly('key', body, t + edge), NOW).ok).toBe(true);
    expect(verifyCalendlySignature('key', body, signCalendly('key', body, t - edge - 1), NOW).ok).toBe(false);
    expect(verifyCalendlySignature('key', body, signCalendly('key', body, t + edge + 1), NOW).ok).toBe(false);
    // Another v1 beside the right one (a key being changed) still verifies; only wrong ones do not.
    const right = signCalendly('key', body, t);
    expect(verifyCalendlySignature('key', body, `${right},v1=${'0'.repeat(64)}`, NOW).ok).toBe(true);
    expect(verifyCalendlySignature('key', body, `t=${t},v1=${'0'.repeat(64)}`, NOW).ok).toBe(false);
    expect(verifyCalendlySignature('key', body, `t=${t + 1},${right.split(',')[1]}`, NOW).ok).toBe(false);
    for (const header of [undefined, '', 'garbage', `t=${t}`, right.split(',')[1], `t=abc,${right.split(',')[1]}`]) {
      expect(verifyCalendlySignature('key', body, header, NOW).ok, String(header)).toBe(false);
    }
  });
});

describe('booking payloads', () => {
  it('reads Cal.com bookings and reschedules in their documented shape, and ignores other events', () => {
    expect(readCalcomEvent(fixture('calcom-booking-created'))).toEqual({
      kind: 'booking', provider: 'calcom', event: 'BOOKING_CREATED', uid: 'bFJeNb2uX8ANpT3JL5EfXw', rescheduledFrom: null,
      emails: ['jane.prospect@customer.example'], startTime: '2026-03-05T15:00:00.000Z',
    });
    expect(readCalcomEvent(fixture('calcom-booking-rescheduled'))).toMatchObject({ kind: 'booking', uid: 'k2YbQ8rTn5VmW3xZa7Lc1D', rescheduledFrom: 'bFJeNb2uX8ANpT3JL5EfXw' });
    expect(readCalcomEvent(fixture('calcom-booking-cancelled'))).toEqual({ kind: 'ignored', event: 'BOOKING_CANCELLED', problem: null });
    expect(readCalcomEvent(fixture('calcom-ping'))).toEqual({ kind: 'ignored', event: 'PING', problem: null });
    expect(readCalcomEvent({ triggerEvent: 'BOOKING_CREATED', payload: { uid: 'u', attendees: [{ email: 'not an address' }] } }))
      .toEqual({ kind: 'ignored', event: 'BOOKING_CREATED', problem: 'BOOKING_CREATED u names no attendee email' });
    expect(readCalcomEvent({ triggerEvent: 'BOOKING_CREATED', payload: { attendees: [] } })).toMatchObject({ kind: 'ignored', problem: expect.stringContaining('payload.uid') });
    expect(readCalcomEvent({ payload: {} })).toMatchObject({ kind: 'unreadable', path: 'body.triggerEvent' });
    expect(readCalcomEvent([])).toMatchObject({ kind: 'unreadable', path: 'body' });
  });

  it('reads Calendly invitees (guests too) and their reschedules, and ignores cancellations', () => {
    expect(readCalendlyEvent(fixture('calendly-invitee-created'))).toEqual({
      kind: 'booking', provider: 'calendly', event: 'invitee.created', uid: 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA',
      rescheduledFrom: null, emails: ['jane.prospect@customer.example'], startTime: '2026-03-05T15:00:00.000Z',
    });
    expect(readCalendlyEvent(fixture('calendly-invitee-rescheduled'))).toMatchObject({ rescheduledFrom: 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA' });
    const withGuest = fixture('calendly-invitee-created');
    withGuest.payload.scheduled_event.event_guests = [{ email: 'Guest@Customer.example' }, { email: 'jane.prospect@customer.example' }];
    expect(readCalendlyEvent(withGuest)).toMatchObject({ emails: ['jane.prospect@customer.example', 'guest@customer.example'] });
    expect(readCalendlyEvent(fixture('calendly-invitee-canceled'))).toEqual({ kind: 'ignored', event: 'invitee.canceled', problem: null });
    expect(readCalendlyEvent({ event: 7 })).toMatchObject({ kind: 'unreadable', path: 'body.event' });
  });
});
