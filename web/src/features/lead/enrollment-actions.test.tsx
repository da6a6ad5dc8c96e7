import { configure, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, renderWithProviders } from '@/test/render.tsx';
import { LeadEnrollments } from './lead-panel.tsx';
import { CADENCE, enrollmentFixture, stubApi } from './lead-test-api.ts';

// The first render of a file imports React, Radix and the page on a busy machine: give finds time.
configure({ asyncUtilTimeout: 5000 });
afterEach(() => vi.unstubAllGlobals());

/** A server whose enrolment really changes state when asked (so the refetch shows the truth). */
function serverWith(status: string, overrides: Parameters<typeof stubApi>[0] = {}) {
  let current = enrollmentFixture({ status });
  const change = (next: Record<string, unknown>) => () => {
    current = { ...current, ...next };
    return json(200, current);
  };
  return stubApi({
    'GET /api/enrollments': () => json(200, { items: [current] }),
    'GET /api/cadences/c1': json(200, CADENCE),
    'GET /api/leads/l1/timeline': json(200, { items: [] }),
    'GET /api/tasks': json(200, { items: [task('t1'), task('t2')] }),
    'GET /api/emails': json(200, { items: [] }),
    'POST /api/enrollments/e1/exit': change({ status: 'exited', exitReason: 'manual', endedAt: '2026-11-12T15:00:00.000Z', nextStepId: undefined, nextDueAt: undefined }),
    'POST /api/enrollments/e1/pause': change({ status: 'paused' }),
    'POST /api/enrollments/e1/resume': change({ status: 'active' }),
    ...overrides,
  });
}

const task = (id: string) => ({
  id, type: 'call', title: 'Call Ada', priority: 'normal', dueAt: '2026-11-12T10:00:00.000Z', status: 'open', recordId: 'l1',
  enrollmentId: 'e1', stepId: 's2', ownerId: 'u1', lead: { id: 'l1', name: 'Ada Lovelace', email: 'ada@analytical.example', company: null, phone: null, timezone: null },
  cadence: { id: 'c1', name: 'Outbound Q4' }, stepIndex: 1, stepCount: 3, hot: false,
});

describe('exiting an enrolment', () => {
  it('asks first, saying what stops, and sends nothing until confirmed', async () => {
    const api = serverWith('active');
    const ui = renderWithProviders(<LeadEnrollments leadId="l1" leadName="Ada Lovelace" />);
    await ui.user.click(await screen.findByRole('button', { name: 'Exit' }));

    const dialog = await screen.findByRole('dialog', { name: 'Exit Ada Lovelace from Outbound Q4?' });
    expect(dialog).toHaveTextContent('Queued emails are cancelled');
    expect(dialog).toHaveTextContent('Open tasks from this cadence are closed');
    expect(await within(dialog).findByText('(2 tasks open)')).toBeInTheDocument();
    expect(api.calls('GET', '/api/tasks')[0]!.query.get('enrollmentId')).toBe('e1');

    await ui.user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.calls('POST', '/api/enrollments/e1/exit')).toHaveLength(0);
  });

  it('exits on confirmation and shows what the server then answers', async () => {
    const api = serverWith('active');
    const ui = renderWithProviders(<LeadEnrollments leadId="l1" leadName="Ada Lovelace" />);
    await ui.user.click(await screen.findByRole('button', { name: 'Exit' }));
    await ui.user.click(await screen.findByRole('button', { name: 'Exit cadence' }));

    await vi.waitFor(() => expect(api.calls('POST', '/api/enrollments/e1/exit')).toHaveLength(1));
    expect(await screen.findByText('Exited by hand on 12 Nov')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Pause' })).not.toBeInTheDocument();
    // Read again after the change: what stays on screen is the server's.
    await vi.waitFor(() => expect(api.calls('GET', '/api/enrollments').length).toBeGreaterThan(1));
  });

  it('goes back to the true state when the server refuses', async () => {
    const refusal = { error: { code: 'conflict', message: 'an enrollment that is completed cannot be exited' } };
    serverWith('active', { 'POST /api/enrollments/e1/exit': json(409, refusal) });
    const ui = renderWithProviders(<LeadEnrollments leadId="l1" leadName="Ada Lovelace" />);
    await screen.findByRole('button', { name: 'Exit' });
    await ui.user.click(screen.getByRole('button', { name: 'Exit' }));
    await ui.user.click(await screen.findByRole('button', { name: 'Exit cadence' }));
    expect(await screen.findByText('an enrollment that is completed cannot be exited')).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Pause' })).toBeInTheDocument();
  });
});

describe('pausing with the keyboard', () => {
  it('p pauses the selected enrolment, and p again resumes it', async () => {
    const api = serverWith('active');
    renderWithProviders(<LeadEnrollments leadId="l1" leadName="Ada Lovelace" shortcuts />);
    await screen.findByRole('button', { name: 'Pause' });
    fireEvent.keyDown(document.body, { key: 'p' });
    await vi.waitFor(() => expect(api.calls('POST', '/api/enrollments/e1/pause')).toHaveLength(1));
    await screen.findByRole('button', { name: 'Resume' });
    fireEvent.keyDown(document.body, { key: 'p' });
    await vi.waitFor(() => expect(api.calls('POST', '/api/enrollments/e1/resume')).toHaveLength(1));
  });
});
