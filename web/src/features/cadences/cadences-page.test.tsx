import { configure, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubApi } from '@/features/lead/lead-test-api.ts';
import { json } from '@/test/render.tsx';
import { renderAppAt } from '@/test/render-app.tsx';
import { DRAFT, OUTBOUND, PAUSED } from './cadences-fixtures.ts';

// The first render of a file imports React, Radix, the shell and the lazy page on a busy machine.
configure({ asyncUtilTimeout: 15_000 });
afterEach(() => vi.unstubAllGlobals());

const ADMIN = { id: 'u1', name: 'Ada Admin', email: 'ada@example.com', role: 'admin', timezone: null, createdAt: '2026-10-01T09:00:00.000Z' };

/** The whole app at `path`, signed in as an admin, the API stubbed at fetch. */
function openCadences(path: string, routes: Parameters<typeof stubApi>[0]) {
  const api = stubApi({ 'GET /api/users/me': json(200, ADMIN), ...routes });
  const ui = renderAppAt(path);
  return { ...ui, api, location: () => ui.router().state.location };
}

const rowOf = (name: string) => screen.getByRole('row', { name });

// The whole app renders per test: on a machine shared by several test runs that can outlast the default 20 s.
describe('the cadences list', { timeout: 60_000 }, () => {
  it('shows each cadence with its status, enrolments per state and rates, and filters by status in the URL', async () => {
    const page = openCadences('/admin/cadences', { 'GET /api/cadences': json(200, { items: [DRAFT, PAUSED, OUTBOUND] }) });
    const table = await screen.findByRole('table', { name: 'Cadences: 3' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('aria-label'))).toEqual(['Outbound Q4', 'Webinar invite', 'Inbound follow-up']); // running first
    const outbound = within(rowOf('Outbound Q4')).getAllByRole('cell').map((c) => c.textContent);
    // status, pending, active, paused, completed, exited, failed, replied, meetings
    expect(outbound.slice(1, 10)).toEqual(['Active', '2', '120', '4', '80', '30', '1', '20%', '5%']);
    expect(within(rowOf('Inbound follow-up')).getAllByRole('cell')[8]).toHaveTextContent('—'); // nobody started: no rate
    expect(within(rowOf('Outbound Q4')).getByRole('link', { name: 'Outbound Q4' })).toHaveAttribute('href', '/admin/cadences/c1');
    expect(within(rowOf('Outbound Q4')).getByRole('link', { name: 'Analytics of Outbound Q4' })).toHaveAttribute('href', '/admin/cadences/c1/analytics');

    await page.user.click(screen.getByRole('radio', { name: 'Paused 1' }));
    expect(await screen.findByRole('table', { name: 'Cadences, paused only: 1' })).toBeInTheDocument();
    expect(page.location().search).toEqual({ status: 'paused' });
    expect(screen.queryByRole('row', { name: 'Outbound Q4' })).not.toBeInTheDocument();
  });

  it('offers to delete a draft only, asks first saying it cannot be undone, and then deletes it', async () => {
    let items = [OUTBOUND, DRAFT];
    const page = openCadences('/admin/cadences', {
      'GET /api/cadences': () => json(200, { items }),
      'DELETE /api/cadences/c2': () => {
        items = [OUTBOUND];
        return new Response(null, { status: 204 });
      },
    });
    await page.user.click(await screen.findByRole('button', { name: 'Actions for Outbound Q4' }));
    expect(await screen.findByRole('menuitem', { name: 'Archive…' })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /Delete/ })).not.toBeInTheDocument();
    await page.user.keyboard('{Escape}');

    await page.user.click(screen.getByRole('button', { name: 'Actions for Inbound follow-up' }));
    await page.user.click(await screen.findByRole('menuitem', { name: 'Delete draft…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete the draft “Inbound follow-up”?' });
    expect(dialog).toHaveTextContent('This cannot be undone.');
    expect(page.api.calls('DELETE', '/api/cadences/c2')).toHaveLength(0);
    await page.user.click(within(dialog).getByRole('button', { name: 'Delete draft' }));
    await vi.waitFor(() => expect(page.api.calls('DELETE', '/api/cadences/c2')).toHaveLength(1));
    await vi.waitFor(() => expect(screen.queryByRole('row', { name: 'Inbound follow-up' })).not.toBeInTheDocument());
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('says what archiving stops, and shows the server’s refusal in the dialog', async () => {
    const page = openCadences('/admin/cadences', {
      'GET /api/cadences': json(200, { items: [OUTBOUND] }),
      'POST /api/cadences/c1/archive': json(409, { error: { code: 'invalid_state', message: 'the cadence changed meanwhile: reload and try again' } }),
    });
    await page.user.click(await screen.findByRole('button', { name: 'Actions for Outbound Q4' }));
    await page.user.click(await screen.findByRole('menuitem', { name: 'Archive…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Archive “Outbound Q4”?' });
    expect(dialog).toHaveTextContent('Its 126 leads in progress stop for good');
    await page.user.click(within(dialog).getByRole('button', { name: 'Archive' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('the cadence changed meanwhile: reload and try again');
    expect(screen.getByRole('dialog', { name: 'Archive “Outbound Q4”?' })).toBeInTheDocument();
  });

  it('guides an admin without cadences, and "New cadence" creates a draft and opens the builder', async () => {
    const page = openCadences('/admin/cadences', {
      'GET /api/cadences': json(200, { items: [] }),
      'POST /api/cadences': json(201, { ...DRAFT_CADENCE }),
      'GET /api/cadences/c7': json(200, { ...DRAFT_CADENCE, enrollmentsByVersion: {} }),
    });
    expect(await screen.findByRole('heading', { name: 'Build your first cadence' })).toBeInTheDocument();
    expect(screen.getByText(/you see who would be refused or held back before anyone is enrolled/)).toBeInTheDocument();
    await page.user.click(screen.getAllByRole('button', { name: /New cadence/ })[0]!);
    const dialog = await screen.findByRole('dialog', { name: 'New cadence' });
    await page.user.type(within(dialog).getByLabelText('Name'), 'Trial follow-up');
    await page.user.click(within(dialog).getByRole('button', { name: 'Create and edit steps' }));
    await vi.waitFor(() => expect(page.location().pathname).toBe('/admin/cadences/c7'));
    expect(page.api.calls('POST', '/api/cadences')[0]!.body).toMatchObject({ name: 'Trial follow-up', steps: [{ type: 'email' }] });
  });

  it('moves between cadences with j and k, opens one with Enter, and enrols into the selected one with e', async () => {
    const page = openCadences('/admin/cadences', {
      'GET /api/cadences': json(200, { items: [OUTBOUND, PAUSED, DRAFT] }),
      'GET /api/cadences/c3': json(404, { error: { code: 'not_found', message: 'no such cadence' } }),
    });
    await screen.findByRole('table');
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(rowOf('Webinar invite')).toHaveFocus();
    fireEvent.keyDown(document.body, { key: 'j' });
    fireEvent.keyDown(document.body, { key: 'k' });
    expect(rowOf('Webinar invite')).toHaveFocus();
    fireEvent.keyDown(rowOf('Webinar invite'), { key: 'e' });
    expect(await screen.findByRole('dialog', { name: 'Enrol leads' })).toBeInTheDocument();
    expect(page.location().search).toEqual({ enrol: 'c3' });
    await page.user.keyboard('{Escape}');
    await vi.waitFor(() => expect(page.location().search).toEqual({}));
    fireEvent.keyDown(rowOf('Webinar invite'), { key: 'Enter' });
    await vi.waitFor(() => expect(page.location().pathname).toBe('/admin/cadences/c3'));
  });

  it('opens the enrolment check for a cadence from its row', async () => {
    const page = openCadences('/admin/cadences', { 'GET /api/cadences': json(200, { items: [OUTBOUND] }) });
    await page.user.click(await screen.findByRole('button', { name: 'Actions for Outbound Q4' }));
    await page.user.click(await screen.findByRole('menuitem', { name: 'Enrol leads…' }));
    expect(await screen.findByRole('dialog', { name: 'Enrol leads' })).toBeInTheDocument();
    expect(page.location().search).toEqual({ enrol: 'c1' });
    expect(screen.getByRole('button', { name: 'Check these leads' })).toBeInTheDocument();
  });
});

const DRAFT_CADENCE = {
  id: 'c7', status: 'draft', version: 1, name: 'Trial follow-up', module: 'lead',
  steps: [{ id: 's1', type: 'email', mode: 'auto', title: null, instructions: null, priority: 'normal', subject: 'Hi', body: 'Hi', delay: { amount: 0, unit: 'days' }, condition: null, threadWithPrevious: false }],
  boosts: [], schedule: { days: [1, 2, 3, 4, 5], windows: [{ start: '09:00', end: '17:00' }], timezone: null },
  exitOn: { onReply: true, replyFrom: 'address', onMeeting: true, onConversion: true, fieldCriteria: [], callOutcomes: [], endDate: null },
  waitForTasks: true, taskTimeoutDays: 14, reenrollment: 'never', throttle: null, autoEnroll: null,
  createdAt: '2026-11-29T09:00:00.000Z', updatedAt: '2026-11-29T09:00:00.000Z',
};
