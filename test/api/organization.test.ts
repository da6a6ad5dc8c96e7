import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';

describe.each(BACKENDS)('organisation, holidays and time off on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(backend); });
  afterAll(() => h.close());

  it('bad organisation settings are refused, naming the field, and change nothing', async () => {
    const before = (await h.api('GET', '/api/organization')).body;
    for (const [body, field] of [
      [{ workingDays: [] }, 'body.workingDays'],
      [{ workingDays: [0, 8] }, 'body.workingDays'],
      [{ timezone: 'Nowhere/Else' }, 'body.timezone'],
      [{ holidays: ['2026-02-30'] }, 'body.holidays'],
    ] as const) {
      const res = await h.api('PATCH', '/api/organization', body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
    }
    expect((await h.api('PATCH', '/api/organization', { timezone: 'Asia/Tokyo' }, h.reps[0].token)).status).toBe(403);
    expect((await h.api('GET', '/api/organization')).body).toEqual(before);
    expect((await h.api('PATCH', '/api/organization', { timezone: 'Asia/Tokyo', workingDays: [5, 1, 2] })).body)
      .toMatchObject({ timezone: 'Asia/Tokyo', workingDays: [1, 2, 5] });
  });

  it('holidays: a bad date is refused; added dates are listed once, sorted, and can be removed', async () => {
    expect((await h.api('POST', '/api/holidays', { dates: ['25/12/2026'] })).status).toBe(400);
    expect((await h.api('POST', '/api/holidays', { dates: [] })).status).toBe(400);
    expect((await h.api('GET', '/api/holidays')).body.items).toEqual([]);
    await h.api('POST', '/api/holidays', { dates: ['2026-12-25', '2026-01-01'] });
    const added = await h.api('POST', '/api/holidays', { dates: ['2026-12-25'] });
    expect(added.body.items).toEqual(['2026-01-01', '2026-12-25']);
    expect((await h.api('DELETE', '/api/holidays/2026-01-01')).body.items).toEqual(['2026-12-25']);
    expect((await h.api('DELETE', '/api/holidays/not-a-date')).status).toBe(400);
  });

  it('time off: a range that ends before it starts, another rep\u2019s calendar and unknown users are refused', async () => {
    const rep = h.reps[0];
    const bad = await h.api('POST', `/api/users/${rep.id}/time-off`, { from: '2026-03-10T00:00:00Z', to: '2026-03-09T00:00:00Z' }, rep.token);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('body.to');
    expect((await h.api('POST', `/api/users/${rep.id}/time-off`, { from: 'soon', to: '2026-03-09T00:00:00Z' }, rep.token)).status).toBe(400);
    expect((await h.api('POST', `/api/users/${h.reps[1].id}/time-off`, { from: '2026-03-01T00:00:00Z', to: '2026-03-09T00:00:00Z' }, rep.token)).status).toBe(404);
    expect((await h.api('POST', '/api/users/00000000-0000-4000-8000-000000000000/time-off', { from: '2026-03-01T00:00:00Z', to: '2026-03-09T00:00:00Z' })).status).toBe(404);
    expect((await h.api('GET', `/api/users/${rep.id}/time-off`, undefined, rep.token)).body.items).toEqual([]);
  });

  it('time off: instants the database cannot store (year 0, year 275760) are refused naming the field', async () => {
    const rep = h.reps[0];
    for (const [body, field] of [
      [{ from: '0000-01-01T00:00:00Z', to: '2026-03-09T00:00:00Z' }, 'body.from'],
      [{ from: '2026-03-01T00:00:00Z', to: '+275760-09-13T00:00:00Z' }, 'body.to'],
    ] as const) {
      const res = await h.api('POST', `/api/users/${rep.id}/time-off`, body, rep.token);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.message).toContain(field);
    }
    expect((await h.api('GET', `/api/users/${rep.id}/time-off`, undefined, rep.token)).body.items).toEqual([]);
  });
});
