import { configure, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubApi } from '@/features/lead/lead-test-api.ts';
import { json } from '@/test/render.tsx';
import { renderAppAt } from '@/test/render-app.tsx';

// The first render of a file imports React, Radix, the shell and the lazy page on a busy machine.
configure({ asyncUtilTimeout: 15_000 });
afterEach(() => vi.unstubAllGlobals());

const ADMIN = { id: '00000000-0000-4000-8000-000000000001', name: 'Ada Admin', email: 'admin@example.com', role: 'admin', timezone: null, createdAt: '2026-10-01T09:00:00.000Z', deactivatedAt: null };
const REP = { id: '00000000-0000-4000-8000-000000000002', name: 'Rex Rep', email: 'rex@example.com', role: 'rep', timezone: null, createdAt: '2026-10-01T09:00:00.000Z', deactivatedAt: null };

const lead = (n: number, extra: Record<string, unknown> = {}) => ({
  id: `l${n}`, module: 'lead', email: `lead${n}@example.com`, firstName: `First${n}`, lastName: `Last${n}`, company: `Company ${n}`,
  phone: null, status: 'New', ownerId: REP.id, timezone: null, fields: {}, unsubscribed: false, bounced: false, converted: false,
  createdAt: '2026-11-01T09:00:00.000Z', updatedAt: '2026-11-01T09:00:00.000Z', enrollments: [], enrollmentCount: 0, ...extra,
});
const ADA = lead(1, {
  email: 'ada@analytical.example', firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines', status: 'Contacted',
  enrollments: [{ id: 'e1', cadenceId: 'c1', cadenceName: 'Outbound Q4', status: 'active' }, { id: 'e2', cadenceId: 'c2', cadenceName: 'Webinar', status: 'completed' }],
  enrollmentCount: 2,
});

function open(path: string, routes: Parameters<typeof stubApi>[0], me = ADMIN) {
  const api = stubApi({
    'GET /api/users/me': json(200, me),
    'GET /api/users': json(200, { items: [ADMIN, REP].map((u) => ({ ...u, hasPassword: true, invitationExpiresAt: null })) }),
    'GET /api/cadences': json(200, { items: [] }),
    ...routes,
  });
  return { ...renderAppAt(path), api };
}

describe('the leads list', { timeout: 60_000 }, () => {
  it('shows each lead with email, company, status, owner and cadences; the name opens the lead', async () => {
    open('/leads', { 'GET /api/leads': json(200, { items: [ADA, lead(2)] }) });
    const row = await screen.findByRole('row', { name: /Ada Lovelace/ });
    await within(row).findByText('Rex Rep'); // once the users are in
    const cells = within(row).getAllByRole('cell').map((c) => c.textContent);
    expect(cells.slice(2, 7)).toEqual(['ada@analytical.example', 'Analytical Engines', 'Contacted', 'Rex Rep', 'Outbound Q4· active+1']);
    expect(within(row).getByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/leads/l1');
    expect(screen.getByText('2 leads')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Import CSV/ })).toHaveAttribute('href', '/admin/leads/import');
  });

  it('puts the search (once typing stops) and the filters in the URL and asks the server with them', async () => {
    const page = open('/leads?ownerId=00000000-0000-4000-8000-000000000002', { 'GET /api/leads': json(200, { items: [ADA] }) });
    await screen.findByRole('row', { name: /Ada Lovelace/ });
    expect(page.api.calls('GET', '/api/leads').at(-1)!.query.get('ownerId')).toBe('00000000-0000-4000-8000-000000000002');
    await page.user.type(screen.getByRole('searchbox', { name: 'Search by name, email or company' }), 'love');
    await vi.waitFor(() => expect(page.router().state.location.search).toMatchObject({ q: 'love' }));
    await vi.waitFor(() => expect(page.api.calls('GET', '/api/leads').at(-1)!.query.get('q')).toBe('love'));
    // Typing did not ask once a letter.
    expect(page.api.calls('GET', '/api/leads').filter((r) => r.query.get('q') === 'l')).toHaveLength(0);
    await page.user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Qualified');
    await vi.waitFor(() => expect(page.router().state.location.search).toMatchObject({ q: 'love', leadStatus: 'Qualified' }));
    await vi.waitFor(() => expect(page.api.calls('GET', '/api/leads').at(-1)!.query.get('status')).toBe('Qualified'));
  });

  it('says when nothing matches, and offers to clear the search', async () => {
    const page = open('/leads?q=zzz', { 'GET /api/leads': (r) => json(200, { items: r.query.get('q') ? [] : [ADA] }) });
    expect(await screen.findByRole('heading', { name: 'No lead matches' })).toBeInTheDocument();
    await page.user.click(screen.getByRole('button', { name: 'Clear search and filters' }));
    expect(await screen.findByRole('row', { name: /Ada Lovelace/ })).toBeInTheDocument();
  });

  it('guides an empty workspace to importing or adding leads', async () => {
    open('/leads', { 'GET /api/leads': json(200, { items: [] }) });
    expect(await screen.findByRole('heading', { name: 'No leads yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Import a CSV' })).toHaveAttribute('href', '/admin/leads/import');
  });

  it('loads the next page with the cursor the last one gave', async () => {
    const page = open('/leads', {
      'GET /api/leads': (r) => json(200, r.query.get('cursor') === 'next1' ? { items: [lead(3)] } : { items: [ADA, lead(2)], nextCursor: 'next1' }),
    });
    await screen.findByRole('row', { name: /Ada Lovelace/ });
    expect(screen.getByText('2+ leads')).toBeInTheDocument();
    await page.user.click(screen.getByRole('button', { name: 'Show more' }));
    expect(await screen.findByRole('row', { name: /First3 Last3/ })).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(4); // header and three leads
    expect(screen.queryByRole('button', { name: 'Show more' })).not.toBeInTheDocument();
  });

  it('creates a lead, and shows a taken email at the email field', async () => {
    let tries = 0;
    const page = open('/leads', {
      'GET /api/leads': json(200, { items: [ADA] }),
      'POST /api/leads': (r) => {
        tries++;
        const body = r.body as { email: string };
        if (body.email === 'ada@analytical.example') {
          const message = 'a lead with the email ada@analytical.example exists already (emails are unique, any case)';
          return json(409, { error: { code: 'conflict', message: `body.email: ${message}`, details: [{ path: 'body.email', message }] } });
        }
        return json(201, lead(9, { email: body.email, firstName: 'Grace' }));
      },
    });
    await screen.findByRole('row', { name: /Ada Lovelace/ });
    await page.user.click(screen.getByRole('button', { name: /New lead/ }));
    const dialog = await screen.findByRole('dialog', { name: 'New lead' });
    const email = within(dialog).getByRole('textbox', { name: 'Email' });
    await page.user.type(email, 'ada@analytical.example');
    await page.user.click(within(dialog).getByRole('button', { name: 'Create lead' }));
    expect(await within(dialog).findByText(/A lead with the email ada@analytical.example exists already/)).toBeInTheDocument();
    expect(email).toHaveAttribute('aria-invalid', 'true');
    await page.user.clear(email);
    await page.user.type(email, 'grace@navy.example');
    await page.user.type(within(dialog).getByRole('textbox', { name: 'First name' }), 'Grace');
    await page.user.click(within(dialog).getByRole('button', { name: 'Create lead' }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog', { name: 'New lead' })).not.toBeInTheDocument());
    expect(tries).toBe(2);
    expect(page.api.calls('POST', '/api/leads').at(-1)!.body).toMatchObject({ email: 'grace@navy.example', firstName: 'Grace', status: 'New', ownerId: ADMIN.id });
  });

  it('asks before deleting, saying what is erased, then deletes', async () => {
    let items = [ADA, lead(2)];
    const page = open('/leads', {
      'GET /api/leads': () => json(200, { items }),
      'DELETE /api/leads/l1': () => {
        items = [lead(2)];
        return new Response(null, { status: 204 });
      },
    });
    await page.user.click(await screen.findByRole('button', { name: 'Delete Ada Lovelace' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete Ada Lovelace?' });
    expect(dialog).toHaveTextContent('It cannot be undone.');
    expect(dialog).toHaveTextContent('Their details, custom fields, tasks, emails and timeline.');
    expect(dialog).toHaveTextContent('Their 2 enrolments in cadences (1 running: it stops now).');
    expect(page.api.calls('DELETE', '/api/leads/l1')).toHaveLength(0);
    await page.user.click(within(dialog).getByRole('button', { name: 'Delete for good' }));
    await vi.waitFor(() => expect(screen.queryByRole('row', { name: /Ada Lovelace/ })).not.toBeInTheDocument());
    expect(page.api.calls('DELETE', '/api/leads/l1')).toHaveLength(1);
  });

  it('selects leads by checkbox, a shift-click range and the keyboard, and enrols the selection', async () => {
    const page = open('/leads', { 'GET /api/leads': json(200, { items: [lead(1), lead(2), lead(3), lead(4)] }) });
    await page.user.click(await screen.findByRole('checkbox', { name: 'Select First1 Last1' }));
    await page.user.keyboard('{Shift>}');
    await page.user.click(screen.getByRole('checkbox', { name: 'Select First3 Last3' }));
    await page.user.keyboard('{/Shift}');
    expect(screen.getByText('3 selected')).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Select First2 Last2' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Select First4 Last4' })).not.toBeChecked();
    // j moves down to the fourth row; x selects it.
    await page.user.keyboard('jx');
    expect(screen.getByText('4 selected')).toBeInTheDocument();
    await page.user.click(screen.getByRole('button', { name: /Enrol in cadence/ }));
    expect(await screen.findByRole('dialog', { name: 'Enrol 4 leads' })).toBeInTheDocument();
  });

  it('shows a rep its own leads without owner filter, import or owner picker', async () => {
    const page = open('/leads', { 'GET /api/leads': json(200, { items: [lead(1)] }) }, REP);
    const row = await screen.findByRole('row', { name: /First1 Last1/ });
    expect(within(row).getAllByRole('cell')[5]).toHaveTextContent('You');
    expect(screen.queryByRole('combobox', { name: 'Owner' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Import CSV/ })).not.toBeInTheDocument();
    expect(page.api.calls('GET', '/api/users')).toHaveLength(0);
  });
});
