import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import {
  buildWorld, dsnBounce, expectError, expectFieldError, expectNoStack, postInbound, replyMessage, snapshot, type World,
} from './helpers.ts';

describe.each(BACKENDS)('signals, inbound mail and the dev clock through the API on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(backend); });
  afterAll(() => h.close());

  const world = () => buildWorld(h, `lead-${randomUUID()}@example.com`);
  const enrollment = async (id: string) => (await h.api('GET', `/api/enrollments/${id}`)).body;
  const lead = async (id: string) => (await h.api('GET', `/api/leads/${id}`)).body;

  describe('POST /api/signals', () => {
    let w: World;
    beforeAll(async () => { w = await world(); });

    it.each([
      ['type', (w: World) => ({ type: 'exploded', recordId: w.lead.id })],
      ['type', (w: World) => ({ recordId: w.lead.id })],
      ['recordId', () => ({ type: 'replied' })],
      ['recordId', () => ({ type: 'replied', recordId: '' })],
      ['messageId', () => ({ type: 'opened', messageId: 5 })],
      ['at', (w: World) => ({ type: 'replied', recordId: w.lead.id, at: 'yesterday' })],
      ['messageId', () => ({ type: 'replied', messageId: '<abc\u0000@example.com>' })],
    ])('refuses a bad %s, naming it, and records nothing', async (field, body) => {
      const before = await snapshot(h, w);
      expectFieldError(await h.api('POST', '/api/signals', body(w)), field);
      expect(await snapshot(h, w)).toEqual(before);
    });

    it('a signal dated in year 0 is answered with a 4xx or accepted, never a 500', async () => {
      const res = await h.api('POST', '/api/signals', { type: 'opened', recordId: w.lead.id, at: '0000-01-01T00:00:00Z' });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      expectNoStack(res.body);
    });

    it('answers unknown records and messages with 404 not_found and records nothing', async () => {
      const before = await snapshot(h, w);
      for (const recordId of [randomUUID(), 'not-a-uuid']) {
        expectError(await h.api('POST', '/api/signals', { type: 'bounced', recordId }), 404, 'not_found');
      }
      expectError(await h.api('POST', '/api/signals', { type: 'replied', messageId: `<${randomUUID()}@nowhere.example>` }), 404, 'not_found');
      expect(await snapshot(h, w)).toEqual(before);
    });

    it('refuses a messageId and a recordId of different records (400) and records nothing', async () => {
      const other = await h.api('POST', '/api/leads', { email: `other-${randomUUID()}@example.com`, ownerId: h.reps[0].id });
      const before = await snapshot(h, w);
      const res = await h.api('POST', '/api/signals', { type: 'bounced', messageId: w.email.messageId, recordId: other.body.id });
      expectError(res, 400, 'invalid_request');
      expect(await snapshot(h, w)).toEqual(before);
      expect((await lead(other.body.id)).bounced).toBe(false);
    });

    it('an open is accepted (202) and does not end the enrolment', async () => {
      const res = await h.api('POST', '/api/signals', { type: 'opened', messageId: w.email.messageId });
      expect(res.status).toBe(202);
      expect(await enrollment(w.enrollmentId)).toMatchObject({ status: 'active' });
    });

    it('a reply named by messageId is accepted (202) and exits the enrolment with replied', async () => {
      const v = await world();
      const res = await h.api('POST', '/api/signals', { type: 'replied', messageId: v.email.messageId }, h.reps[0].token);
      expect(res.status).toBe(202);
      expect(await enrollment(v.enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'replied' });
      expect((await h.api('GET', `/api/tasks?enrollmentId=${v.enrollmentId}`)).body.items.map((t: { status: string }) => t.status)).toEqual(['cancelled']);
    });

    it('a meeting booked is accepted (202) and exits the enrolment with meeting_booked', async () => {
      const v = await world();
      expect((await h.api('POST', '/api/signals', { type: 'meeting_booked', recordId: v.lead.id })).status).toBe(202);
      expect(await enrollment(v.enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'meeting_booked' });
    });
  });

  describe('POST /api/inbound/email', () => {
    let w: World;
    beforeAll(async () => { w = await world(); });

    it.each([
      ['an empty body', ''],
      ['only blank lines', '\r\n\r\n  \r\n'],
      ['plain text that is not a message', 'hello, this is certainly not an email message'],
      ['a header line and nothing else', 'garbage: yes\r\n\r\n'],
      ['binary noise', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x80, 0x81, 0x0a, 0x0d, 0x00, 0x42])],
    ])('refuses %s with 400 and changes nothing', async (_what, raw) => {
      const before = await snapshot(h, w);
      const res = await postInbound(h, raw);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(typeof res.body.error.code).toBe('string');
      expectNoStack(res.body);
      expect(await snapshot(h, w)).toEqual(before);
    });

    it('refuses a JSON document that is not a message with 400 and changes nothing', async () => {
      const before = await snapshot(h, w);
      const res = await h.api('POST', '/api/inbound/email', { from: w.lead.email, inReplyTo: w.email.messageId, text: 'yes' });
      expect(res.status).toBe(400);
      expectNoStack(res.body);
      expect(await snapshot(h, w)).toEqual(before);
    });

    it('a rep cannot post inbound mail (403) and nothing changes', async () => {
      const before = await snapshot(h, w);
      expectError(await postInbound(h, replyMessage(w.lead.email, w.email.messageId), h.reps[0].token), 403, 'forbidden');
      expectError(await postInbound(h, replyMessage(w.lead.email, w.email.messageId), null), 401, 'unauthorized');
      expect(await snapshot(h, w)).toEqual(before);
    });

    it('a reply to an unknown message from an unknown sender is a reply that matches nothing and changes nothing', async () => {
      const before = await snapshot(h, w);
      const res = await postInbound(h, replyMessage('stranger@elsewhere.example', `<${randomUUID()}@nowhere.example>`));
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ kind: 'reply', matched: false });
      expect(await snapshot(h, w)).toEqual(before);
    });

    it('a reply threaded on our Message-ID is matched (202) and exits the enrolment with replied', async () => {
      const v = await world();
      expect(v.email.messageId).toMatch(/^<[^<>\s]+@[^<>\s]+>$/);
      const res = await postInbound(h, replyMessage(v.lead.email, v.email.messageId, `Re: ${v.email.subject}`));
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ kind: 'reply', matched: true, enrollmentId: v.enrollmentId });
      expect(await enrollment(v.enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'replied' });
      expect((await h.api('GET', `/api/tasks?enrollmentId=${v.enrollmentId}`)).body.items.map((t: { status: string }) => t.status)).toEqual(['cancelled']);
    });

    it('a DSN bounce for a lead\'s address is a bounce (202): the lead is bounced, the enrolment exits, re-enrolment is refused', async () => {
      const v = await world();
      const res = await postInbound(h, dsnBounce(v.lead.email));
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ kind: 'bounce', matched: true });
      expect(await lead(v.lead.id)).toMatchObject({ bounced: true });
      expect(await enrollment(v.enrollmentId)).toMatchObject({ status: 'exited', exitReason: 'bounced' });
      const again = await h.api('POST', `/api/cadences/${v.cadence.id}/enrollments`, { recordIds: [v.lead.id] });
      expect(again.body.rejected).toEqual([{ recordId: v.lead.id, reason: 'bounced' }]);
    });

    it('a DSN bounce for an address we never wrote to is still a bounce, matched to nothing, changing nothing', async () => {
      const before = await snapshot(h, w);
      const res = await postInbound(h, dsnBounce('nobody-we-know@customer.example'));
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ kind: 'bounce', matched: false });
      expect(await snapshot(h, w)).toEqual(before);
    });

    it('a message the engine itself sent is never taken for a reply', async () => {
      const before = await snapshot(h, w);
      const outbox = (await h.api('GET', '/api/dev/outbox?limit=500')).body.items as Array<{ emailId: string; raw: string }>;
      const own = outbox.find((o) => o.emailId === w.email.id);
      expect(own).toBeDefined();
      const res = await postInbound(h, own!.raw);
      expect(res.status).toBe(202);
      expect(res.body.kind).not.toBe('reply');
      expect(await snapshot(h, w)).toEqual(before);
    });
  });

  describe('POST /api/dev/clock', () => {
    let w: World;
    beforeAll(async () => { w = await world(); });
    const now = async () => {
      const res = await h.api('POST', '/api/dev/clock', { advance: 'PT0S' });
      expect(res.status).toBe(200);
      return res.body.now as string;
    };

    it.each([
      ['advance', { advance: 'P3X' }],
      ['advance', { advance: '3 days' }],
      ['advance', { advance: '-P1D' }],
      ['advance', { advance: 'P' }],
      ['advance', { advance: 3 }],
      ['to', { to: 'tomorrow' }],
      ['to', { to: '2026-13-40T00:00:00Z' }],
    ])('refuses a bad %s, naming it; the clock does not move', async (field, body) => {
      const before = await snapshot(h, w);
      const t0 = await now();
      expectFieldError(await h.api('POST', '/api/dev/clock', body), field);
      expect(await now()).toBe(t0);
      expect(await snapshot(h, w)).toEqual(before);
    });

    it('refuses a `to` before now (400, naming to); the clock does not go backwards', async () => {
      const t0 = await now();
      const earlier = new Date(new Date(t0).getTime() - 60_000).toISOString();
      expectFieldError(await h.api('POST', '/api/dev/clock', { to: earlier }), 'to');
      expectFieldError(await h.api('POST', '/api/dev/clock', { to: '2020-01-01T00:00:00Z' }), 'to');
      expect(await now()).toBe(t0);
    });

    it.each([
      ['both advance and to', (t0: string) => ({ advance: 'P1D', to: new Date(new Date(t0).getTime() + 3_600_000).toISOString() })],
      ['neither advance nor to', () => ({})],
    ])('refuses %s with 400; the clock does not move', async (_what, body) => {
      const t0 = await now();
      expectError(await h.api('POST', '/api/dev/clock', body(t0)), 400, 'invalid_request');
      expect(await now()).toBe(t0);
    });

    it('moves by an ISO duration or to an instant and answers the new time', async () => {
      const t0 = await now();
      const res = await h.api('POST', '/api/dev/clock', { advance: 'PT2H30M' });
      expect(res).toEqual({ status: 200, body: { now: new Date(new Date(t0).getTime() + 2.5 * 3_600_000).toISOString() } });
      const target = new Date(new Date(t0).getTime() + 86_400_000).toISOString();
      expect((await h.api('POST', '/api/dev/clock', { to: target })).body).toEqual({ now: target });
      expect((await h.api('POST', '/api/dev/clock', { to: target })).body).toEqual({ now: target });
    });

    it('a rep cannot move the clock (403)', async () => {
      const t0 = await now();
      expectError(await h.api('POST', '/api/dev/clock', { advance: 'P1D' }, h.reps[0].token), 403, 'forbidden');
      expect(await now()).toBe(t0);
    });

    describe('on a clock of its own', () => {
      let own: Harness;
      beforeAll(async () => { own = await startHarness(backend); });
      afterAll(() => own.close());

      it('an ISO month is a calendar month: P1M from 2 March lands on 2 April', async () => {
        const res = await own.api('POST', '/api/dev/clock', { advance: 'P1M' });
        expect(res).toEqual({ status: 200, body: { now: '2026-04-02T08:00:00.000Z' } });
      });

      it('a move to the far future is refused (400, clock unchanged) or done, never a 500, and the API keeps working', async () => {
        for (const body of [{ to: '9999-12-31T23:59:59Z' }, { advance: 'P10000Y' }]) {
          const t0 = (await own.api('POST', '/api/dev/clock', { advance: 'PT0S' })).body.now;
          const res = await own.api('POST', '/api/dev/clock', body);
          expect([200, 400], `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toContain(res.status);
          if (res.status === 400) expect((await own.api('POST', '/api/dev/clock', { advance: 'PT0S' })).body).toEqual({ now: t0 });
        }
        const lead = await own.api('POST', '/api/leads', { email: 'still-works@example.com' });
        expect(lead.status, JSON.stringify(lead.body)).toBe(201);
        expect((await own.api('GET', `/api/leads/${lead.body.id}`)).status).toBe(200);
      });
    });
  });
});
