import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubApi } from '@/features/lead/lead-test-api.ts';
import { json } from '@/test/render.tsx';
import { renderAppAt } from '@/test/render-app.tsx';
import { addDays, rangeQuery, todayIn } from './analytics-range.ts';
import { customRangeError } from './range-bar.tsx';

configure({ asyncUtilTimeout: 5000 });
afterEach(() => vi.unstubAllGlobals());
const FIRST_PAINT = { timeout: 15_000 };

const R1 = '11111111-1111-4111-8111-111111111111';
const R2 = '22222222-2222-4222-8222-222222222222';
const ADMIN = { id: 'a1', name: 'Avery Admin', email: 'avery@example.com', role: 'admin', timezone: null, createdAt: '2026-10-01T09:00:00.000Z' };
const ORG = { name: 'Demo', timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], holidays: [] };
const zeroOutcomes = { connected: 0, voicemail: 0, no_answer: 0, busy: 0, wrong_number: 0, not_interested: 0, meeting_booked: 0 };
const step = (over: Record<string, unknown>) => ({
  executed: 0, skipped: 0, sent: 0, opened: 0, clicked: 0, replied: 0, bounced: 0, unsubscribed: 0, tasksCompleted: 0, callOutcomes: zeroOutcomes, ...over,
});
const STATS = {
  range: { from: null, to: null, timezone: 'UTC' },
  enrollments: { pending: 0, active: 5, paused: 1, completed: 0, exited: 4, failed: 0 },
  exitReasons: { replied: 3, bounced: 1 },
  steps: [
    step({ stepId: 's1', index: 0, type: 'email', name: 'Quick question', executed: 10, sent: 10, opened: 6, clicked: 2, replied: 3, bounced: 1 }),
    step({ stepId: 's2', index: 1, type: 'call', name: 'Call them', executed: 6, tasksCompleted: 4, callOutcomes: { ...zeroOutcomes, voicemail: 3, meeting_booked: 1 } }),
  ],
  byRep: [
    { ownerId: R1, name: 'Riley Rep', enrolled: 6, sent: 6, replied: 2, meetings: 1 },
    { ownerId: R2, name: 'Sam Seller', enrolled: 4, sent: 4, replied: 1, meetings: 0 },
  ],
  activity: [
    { day: '2026-11-27', sent: 8, opened: 4, clicked: 1, replied: 2, meetings: 0 },
    { day: '2026-11-28', sent: 2, opened: 2, clicked: 1, replied: 1, meetings: 1 },
  ],
};
const CADENCE = { id: 'c1', name: 'Outbound Q4', status: 'active' };
const USERS = { items: [{ ...ADMIN }, { ...ADMIN, id: R1, name: 'Riley Rep', role: 'rep' }, { ...ADMIN, id: R2, name: 'Sam Seller', role: 'rep' }] };

function openAnalytics(path: string, routes: Parameters<typeof stubApi>[0] = {}) {
  const api = stubApi({
    'GET /api/users/me': json(200, ADMIN),
    'GET /api/organization': json(200, ORG),
    'GET /api/cadences/c1': json(200, CADENCE),
    'GET /api/cadences/c1/stats': json(200, STATS),
    'GET /api/users': json(200, USERS),
    ...routes,
  });
  return { ...renderAppAt(path), api };
}

describe('a cadence\'s analytics', () => {
  it('shows the funnel per step with opens labelled as an estimate, calls by outcome, exits and reps, for the last 30 days', async () => {
    const page = openAnalytics('/admin/cadences/c1/analytics');
    const funnel = await screen.findByRole('table', { name: /funnel per step/i }, FIRST_PAINT);
    expect(await screen.findByRole('heading', { level: 1, name: /Outbound Q4 · Analytics/ })).toBeInTheDocument();
    expect(within(funnel).getByRole('columnheader', { name: /Human opens \(est\.\)/ })).toBeInTheDocument();
    expect(screen.getByText((_, el) => el?.tagName === 'P' && /Human opens are an estimate: opens by people/.test(el.textContent ?? ''))).toBeInTheDocument();
    const first = within(funnel).getAllByRole('row')[1];
    expect(within(first).getByText('Quick question')).toBeInTheDocument();
    expect(within(first).getByRole('link', { name: /^6 – show the leads: Human opens \(estimate\), step 1/ }))
      .toHaveAttribute('href', '/admin/cadences/c1/analytics?leads=opened&step=s1');
    expect(within(first).getByText('60%')).toBeInTheDocument(); // 6 of 10 sent
    const call = within(funnel).getAllByRole('row')[2];
    expect(within(call).getByText(/Voicemail/)).toBeInTheDocument();
    expect(within(call).getByRole('link', { name: /^3 – show the leads: Calls: Voicemail/ })).toHaveAttribute('href', expect.stringContaining('leads=call%3Avoicemail&step=s2'));
    expect(screen.getByRole('list', { name: 'Exit reasons' })).toHaveTextContent(/Replied\s*3/);
    expect(screen.getByRole('table', { name: /By rep/ })).toHaveTextContent(/Riley Rep\s*6\s*6\s*2\s*1\s*33%/);

    const today = todayIn('UTC', new Date());
    const asked = page.api.calls('GET', '/api/cadences/c1/stats')[0].query;
    expect(Object.fromEntries(asked)).toEqual({ from: addDays(today, -29), to: today });
    expect(screen.getByRole('link', { name: /Export CSV/ })).toHaveAttribute('href', `/api/cadences/c1/stats/export?from=${addDays(today, -29)}&to=${today}`);
  });

  it('opens the leads behind a number, a page at a time, and closes back to the page', async () => {
    const page = openAnalytics('/admin/cadences/c1/analytics?range=7d', {
      'GET /api/cadences/c1/stats/leads': (req) => json(200, req.query.get('cursor')
        ? { items: [{ id: 'l3', name: 'Cy Young', email: 'cy@example.com', company: null }] }
        : { items: [{ id: 'l1', name: 'Ada Lovelace', email: 'ada@example.com', company: 'Engines' }, { id: 'l2', name: null, email: 'bob@example.com', company: null }], nextCursor: 'next' }),
    });
    const funnel = await screen.findByRole('table', { name: /funnel per step/i }, FIRST_PAINT);
    await page.user.click(within(funnel).getByRole('link', { name: /^3 – show the leads: Replied, step 1/ }));
    const drawer = await screen.findByRole('dialog', { name: 'Replied' });
    expect(drawer).toHaveTextContent(/Step 1: Quick question/);
    expect(await within(drawer).findByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/leads/l1');
    expect(within(drawer).getByRole('link', { name: 'bob@example.com' })).toBeInTheDocument();
    const asked = page.api.calls('GET', '/api/cadences/c1/stats/leads')[0].query;
    expect(asked.get('metric')).toBe('replied');
    expect(asked.get('stepId')).toBe('s1');
    expect(asked.get('from')).toBe(addDays(todayIn('UTC', new Date()), -6));

    await page.user.click(within(drawer).getByRole('button', { name: 'Show more' }));
    expect(await within(drawer).findByRole('link', { name: 'Cy Young' })).toBeInTheDocument();
    expect(within(drawer).queryByRole('button', { name: 'Show more' })).not.toBeInTheDocument();

    await page.user.click(within(drawer).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(page.router().state.location.search).toEqual({ range: '7d' }));
  });

  it('keeps the range and the rep in the address, and refuses a custom range over 366 days before asking', async () => {
    const page = openAnalytics('/admin/cadences/c1/analytics');
    await screen.findByRole('table', { name: /funnel per step/i }, FIRST_PAINT);
    await page.user.click(screen.getByRole('button', { name: 'Last 90 days' }));
    await waitFor(() => expect(page.router().state.location.search).toEqual({ range: '90d' }));
    await screen.findByRole('option', { name: 'Sam Seller' });
    await page.user.selectOptions(screen.getByRole('combobox', { name: 'Rep' }), 'Sam Seller');
    await waitFor(() => expect(page.router().state.location.search).toEqual({ range: '90d', rep: R2 }));
    await waitFor(() => expect(page.api.calls('GET', '/api/cadences/c1/stats').at(-1)!.query.get('ownerId')).toBe(R2));

    await page.user.click(screen.getByRole('button', { name: 'Custom' }));
    fireEvent.change(screen.getByLabelText('From', { selector: 'input' }), { target: { value: '2020-01-01' } });
    expect(screen.getByRole('alert')).toHaveTextContent('A range covers at most 366 days.');
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
  });
});

describe('ranges', () => {
  it('count presets back from today, include both ends, and leave "all time" open', () => {
    expect(rangeQuery({ range: '7d' }, '2026-03-10')).toEqual({ from: '2026-03-04', to: '2026-03-10' });
    expect(rangeQuery({}, '2026-03-10')).toEqual({ from: '2026-02-09', to: '2026-03-10' });
    expect(rangeQuery({ range: 'all' }, '2026-03-10')).toEqual({});
    expect(rangeQuery({ range: 'custom', from: '2026-01-01', to: '2026-01-31' }, '2026-03-10')).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(customRangeError('2026-01-31', '2026-01-01')).toBe('The end comes before the start.');
    expect(customRangeError('2025-03-10', '2026-03-10')).toBeNull(); // 366 days
    expect(customRangeError('2025-03-09', '2026-03-10')).toMatch(/at most 366 days/);
  });
});
