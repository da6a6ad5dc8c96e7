import { configure, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json } from '@/test/render.tsx';
import { renderAppAt } from '@/test/render-app.tsx';
import { CADENCE, enrollmentFixture, LEAD, stubApi } from './lead-test-api.ts';

// The first render of a file imports React, Radix and the page on a busy machine: give finds time.
configure({ asyncUtilTimeout: 5000 });
afterEach(() => vi.unstubAllGlobals());

/** The first page of a file loads the shell and the lazy lead page on a busy machine. */
const FIRST_PAINT = { timeout: 15_000 };

const ME = { id: 'u1', name: 'Riley Rep', email: 'riley@example.com', role: 'rep', timezone: null, createdAt: '2026-10-01T09:00:00.000Z' };
const ORG = { name: 'Demo', timezone: 'Europe/London', workingDays: [1, 2, 3, 4, 5], holidays: [] };

/** The whole app at `/leads/...`, signed in as a rep, the API stubbed at fetch. */
function openLeadPage(path: string, routes: Parameters<typeof stubApi>[0]) {
  const api = stubApi({
    'GET /api/users/me': json(200, ME),
    'GET /api/organization': json(200, ORG),
    'GET /api/enrollments': json(200, { items: [enrollmentFixture()] }),
    'GET /api/cadences/c1': json(200, CADENCE),
    'GET /api/leads/l1/timeline': json(200, { items: [] }),
    ...routes,
  });
  return { ...renderAppAt(path), api };
}

describe('the lead page', () => {
  it('says plainly when the lead is not found or not the rep\'s', async () => {
    openLeadPage('/leads/l9', { 'GET /api/leads/l9': json(404, { error: { code: 'not_found', message: 'record l9 not found' } }) });
    expect(await screen.findByRole('heading', { name: 'Lead not found or not yours' }, FIRST_PAINT)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to Today' })).toHaveAttribute('href', '/today');
  });

  it('offers to try again after a network error, and shows the lead when it answers', async () => {
    let down = true;
    const page = openLeadPage('/leads/l1', {
      'GET /api/leads/l1': () => {
        if (down) throw new TypeError('Failed to fetch');
        return json(200, LEAD);
      },
    });
    expect(await screen.findByText(/Could not load the lead\. Cannot reach the server/, {}, FIRST_PAINT)).toBeInTheDocument();
    down = false;
    await page.user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeInTheDocument();
  });

  it('shows the lead with its local time and owner, deep-links the timeline tab, and edits with e', async () => {
    const page = openLeadPage('/leads/l1?tab=timeline', { 'GET /api/leads/l1': json(200, LEAD) });
    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' }, FIRST_PAINT)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'ada@analytical.example' })).toHaveAttribute('href', 'mailto:ada@analytical.example');
    expect(screen.getByRole('link', { name: '+44 20 7946 0001' })).toHaveAttribute('href', 'tel:+442079460001');
    expect(screen.getByText(/local · Europe\/London/)).toBeInTheDocument();
    expect(screen.getByText('You')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Timeline' })).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByText('Nothing has happened with this lead yet.')).toBeInTheDocument();

    fireEvent.keyDown(document.body, { key: 'e' });
    expect(await screen.findByRole('form', { name: 'Edit lead fields' })).toBeInTheDocument();
    expect(page.router().state.location.search).toEqual({});
  });
});
