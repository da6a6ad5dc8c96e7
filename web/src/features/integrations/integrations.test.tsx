import { createMemoryHistory, createRouter, RouterProvider } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { configure, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { routeTree } from '@/app/router.tsx';
import { stubApi } from '@/features/lead/lead-test-api.ts';
import { json, renderWithProviders } from '@/test/render.tsx';

configure({ asyncUtilTimeout: 15_000 });
afterEach(() => vi.unstubAllGlobals());

const ME = { id: 'u-admin', name: 'Avery Admin', email: 'avery@example.com', role: 'admin', timezone: null, createdAt: '2026-10-01T09:00:00.000Z', deactivatedAt: null };

const endpoint = (over: Record<string, unknown> = {}) => ({
  id: 'w1', url: 'https://crm.example/hooks/cadenza', description: 'CRM sync', events: ['email.replied', 'email.bounced'], enabled: true,
  disabledReason: null, disabledAt: null, previousSecretUntil: null, createdAt: '2026-11-20T09:00:00.000Z',
  pending: 2, failed: 1, lastDeliveryAt: '2026-11-29T09:00:00.000Z', lastStatusCode: 500, ...over,
});

const delivery = (over: Record<string, unknown> = {}) => ({
  id: 'd1', messageId: 'msg_2abc', event: 'email.replied', status: 'failed', attempts: 8, lastStatusCode: 500,
  lastAttemptAt: '2026-11-30T12:00:00.000Z', lastError: 'answered 500', lastResponse: '{"error":"database locked"}',
  createdAt: '2026-11-29T09:00:00.000Z',
  payload: { type: 'email.replied', timestamp: '2026-11-29T09:00:00.000Z', data: { recordId: 'l1', email: 'ada@analytical.example' } },
  ...over,
});

function openApp(path: string, routes: Parameters<typeof stubApi>[0]) {
  vi.stubGlobal('scrollTo', vi.fn());
  const api = stubApi({ 'GET /api/users/me': json(200, ME), ...routes });
  let location: () => { search: Record<string, unknown> } = () => ({ search: {} });
  function App() {
    const queryClient = useQueryClient();
    const [router] = useState(() => createRouter({ routeTree, context: { queryClient }, history: createMemoryHistory({ initialEntries: [path] }) }));
    location = () => router.state.location;
    return <RouterProvider router={router} />;
  }
  const rendered = renderWithProviders(<App />);
  return { ...rendered, api, location: () => location() };
}

describe('webhook endpoints', () => {
  it('lists each endpoint with its events, health and last answer; a 410 says why it is disabled and since when, and it can be enabled again', async () => {
    let enabled = false;
    const gone = endpoint({ id: 'w2', url: 'https://old.example/hook', description: null, events: ['email.sent'], enabled: false, disabledReason: 'answered 410 Gone', disabledAt: '2026-11-28T10:00:00.000Z', pending: 3, failed: 0, lastStatusCode: 410 });
    const { user: u, api } = openApp('/admin/webhooks', {
      'GET /api/webhooks': () => json(200, { items: [endpoint({ events: ['enrollment.created', 'enrollment.exited', 'enrollment.completed', 'email.sent', 'email.opened', 'email.clicked', 'email.replied', 'email.bounced', 'lead.unsubscribed', 'task.created', 'task.completed'] }), enabled ? { ...gone, enabled: true, disabledReason: null, disabledAt: null } : gone] }),
      'PATCH /api/webhooks/w2': () => { enabled = true; return json(200, { ...gone, enabled: true, disabledReason: null, disabledAt: null }); },
    });
    const list = await screen.findByRole('list', { name: 'Endpoints' });
    const crm = within(list).getByRole('listitem', { name: 'CRM sync' });
    expect(within(crm).getByText('All events')).toBeInTheDocument();
    expect(within(crm).getByText('500 Internal Server Error')).toBeInTheDocument();
    expect(within(crm).getByRole('link', { name: '1 failed: show them' })).toHaveAttribute('href', '/admin/webhooks/w1?status=failed');
    const old = within(list).getByRole('listitem', { name: 'https://old.example/hook' });
    expect(within(old).getByText(/^Disabled: answered 410 Gone on /)).toBeInTheDocument();
    expect(within(old).getByText(/its 3 pending deliveries wait until you enable it again/)).toBeInTheDocument();
    await u.click(within(old).getByRole('button', { name: 'Enable again' }));
    expect(await screen.findByText('Its 3 pending deliveries go out now.')).toBeInTheDocument();
    expect(api.calls('PATCH', '/api/webhooks/w2')[0]!.body).toEqual({ enabled: true });
    await waitFor(() => expect(within(list).getByRole('listitem', { name: 'https://old.example/hook' })).not.toHaveTextContent('Disabled'));
  }, 60_000);

  it('adding an endpoint checks the URL and the events before sending anything, then shows the secret once', async () => {
    const { user: u, api } = openApp('/admin/webhooks', {
      'GET /api/webhooks': json(200, { items: [] }),
      'POST /api/webhooks': json(201, { ...endpoint({ id: 'w9', url: 'https://hooks.example/in', description: null, events: ['task.created', 'task.completed'], pending: 0, failed: 0, lastDeliveryAt: null, lastStatusCode: null }), secret: 'whsec_c2VjcmV0LXNob3duLW9uY2U=' }),
    });
    await screen.findByText('No endpoints yet');
    await u.click(screen.getAllByRole('button', { name: 'Add endpoint' })[0]!);
    const dialog = await screen.findByRole('dialog', { name: 'Add an endpoint' });
    await u.type(within(dialog).getByLabelText('URL'), 'ftp://user:pw@files.example');
    await u.click(within(dialog).getByRole('checkbox', { name: 'All events' }));
    await u.click(within(dialog).getByRole('button', { name: 'Add endpoint' }));
    expect(await within(dialog).findByText('Expected an http:// or https:// URL without user or password.')).toBeInTheDocument();
    expect(within(dialog).getByText('Choose at least one event.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('URL')).toHaveAttribute('aria-invalid', 'true');
    expect(api.calls('POST', '/api/webhooks')).toHaveLength(0);

    await u.clear(within(dialog).getByLabelText('URL'));
    await u.type(within(dialog).getByLabelText('URL'), 'https://hooks.example/in');
    await u.click(within(within(dialog).getByRole('group', { name: 'Tasks' })).getByRole('checkbox', { name: 'All Tasks' }));
    expect(within(dialog).getByRole('checkbox', { name: 'All events' })).toHaveAttribute('aria-checked', 'mixed');
    await u.click(within(dialog).getByRole('button', { name: 'Add endpoint' }));
    const box = await screen.findByRole('region', { name: 'Signing secret' });
    expect(within(box).getByRole('textbox', { name: 'Signing secret' })).toHaveValue('whsec_c2VjcmV0LXNob3duLW9uY2U=');
    expect(within(box).getByText(/shown only this once/)).toBeInTheDocument();
    expect(within(box).getByText('webhook-signature')).toBeInTheDocument();
    expect(api.calls('POST', '/api/webhooks')[0]!.body).toEqual({ url: 'https://hooks.example/in', events: ['task.created', 'task.completed'] });
    await u.click(within(box).getByRole('button', { name: 'Dismiss the signing secret' }));
    expect(screen.queryByDisplayValue('whsec_c2VjcmV0LXNob3duLW9uY2U=')).not.toBeInTheDocument();
  }, 60_000);

  it('rotating says the old secret signs on for 24 hours and shows the new one; deleting says pending deliveries are dropped', async () => {
    const { user: u, api } = openApp('/admin/webhooks', {
      'GET /api/webhooks': json(200, { items: [endpoint()] }),
      'POST /api/webhooks/w1/rotate-secret': json(200, { ...endpoint({ previousSecretUntil: '2026-12-01T09:00:00.000Z' }), secret: 'whsec_bmV3LXNlY3JldA==' }),
      'DELETE /api/webhooks/w1': new Response(null, { status: 204 }),
    });
    await screen.findByRole('list', { name: 'Endpoints' });
    await u.click(screen.getByRole('button', { name: 'More actions for CRM sync' }));
    await u.click(await screen.findByRole('menuitem', { name: 'Rotate secret…' }));
    const rotate = await screen.findByRole('dialog', { name: 'Rotate the signing secret?' });
    expect(within(rotate).getByText(/keeps signing too for 24 hours/)).toBeInTheDocument();
    await u.click(within(rotate).getByRole('button', { name: 'Rotate secret' }));
    const box = await screen.findByRole('region', { name: 'Signing secret' });
    expect(within(box).getByRole('textbox', { name: 'Signing secret' })).toHaveValue('whsec_bmV3LXNlY3JldA==');
    expect(within(box).getByText(/previous secret also signs every request until/)).toBeInTheDocument();

    await u.click(screen.getByRole('button', { name: 'More actions for CRM sync' }));
    await u.click(await screen.findByRole('menuitem', { name: 'Delete…' }));
    const del = await screen.findByRole('dialog', { name: 'Delete this endpoint?' });
    expect(within(del).getByText('Its 2 pending deliveries are dropped, and its delivery log goes with it.')).toBeInTheDocument();
    await u.click(within(del).getByRole('button', { name: 'Delete endpoint' }));
    await waitFor(() => expect(api.calls('DELETE', '/api/webhooks/w1')).toHaveLength(1));
    expect(await screen.findByText('Endpoint deleted')).toBeInTheDocument();
  }, 60_000);
});

describe('editing an endpoint', () => {
  it('sends only what changed', async () => {
    const { user: u, api } = openApp('/admin/webhooks', {
      'GET /api/webhooks': json(200, { items: [endpoint()] }),
      'PATCH /api/webhooks/w1': json(200, endpoint({ events: ['email.replied', 'email.bounced', 'lead.unsubscribed'] })),
    });
    await screen.findByRole('list', { name: 'Endpoints' });
    await u.click(screen.getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit endpoint' });
    expect(within(dialog).getByLabelText('URL')).toHaveValue('https://crm.example/hooks/cadenza');
    await u.click(within(dialog).getByRole('checkbox', { name: /Unsubscribed/ }));
    await u.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Endpoint saved')).toBeInTheDocument();
    expect(api.calls('PATCH', '/api/webhooks/w1').map((c) => c.body)).toEqual([{ events: ['email.replied', 'email.bounced', 'lead.unsubscribed'] }]);
  }, 60_000);
});

describe('the delivery log', () => {
  it('keeps its filters in the URL, asks the API for them, and opens a delivery to show its payload and the answer', async () => {
    const { user: u, api, location } = openApp('/admin/webhooks/w1?status=failed', {
      'GET /api/webhooks/w1': json(200, endpoint()),
      'GET /api/webhooks/w1/deliveries': (r) => json(200, { items: r.query.get('status') === 'delivered' ? [delivery({ id: 'd2', status: 'delivered', attempts: 1, lastStatusCode: 204, lastError: undefined, lastResponse: undefined, deliveredAt: '2026-11-29T09:00:05.000Z' })] : [delivery()], nextCursor: null }),
    });
    const table = await screen.findByRole('table', { name: 'Deliveries, newest first' });
    expect(api.calls('GET', '/api/webhooks/w1/deliveries')[0]!.query.get('status')).toBe('failed');
    expect(within(table).getByText('Gave up after 27 h (8 attempts)')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Failed' })).toHaveAttribute('aria-checked', 'true');

    await u.click(within(table).getByRole('button', { name: /^email\.replied/ }));
    expect(location().search).toEqual({ status: 'failed', open: 'd1' });
    const details = document.getElementById('delivery-d1')!;
    expect(within(details).getByText('{"error":"database locked"}')).toBeInTheDocument();
    expect(within(details).getByText('answered 500')).toBeInTheDocument();
    expect(within(details).getByText(/"email": "ada@analytical.example"/)).toBeInTheDocument();
    expect(within(details).getByText('msg_2abc')).toBeInTheDocument();

    await u.click(screen.getByRole('radio', { name: 'Delivered' }));
    await waitFor(() => expect(location().search).toEqual({ status: 'delivered' }));
    expect(await within(screen.getByRole('table')).findByText(/^Delivered .* after|^Delivered /)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Retry now/ })).not.toBeInTheDocument();

    await u.selectOptions(screen.getByLabelText('Event'), 'email.bounced');
    await waitFor(() => expect(location().search).toEqual({ status: 'delivered', event: 'email.bounced' }));
    const last = api.calls('GET', '/api/webhooks/w1/deliveries').at(-1)!;
    expect(Object.fromEntries(last.query)).toMatchObject({ status: 'delivered', event: 'email.bounced' });
  }, 60_000);

  it('retries a failed delivery by hand: posts, says so, and shows it pending again', async () => {
    let retried = false;
    const { user: u, api } = openApp('/admin/webhooks/w1', {
      'GET /api/webhooks/w1': json(200, endpoint()),
      'GET /api/webhooks/w1/deliveries': () => json(200, { items: [retried ? delivery({ status: 'pending', nextAttemptAt: '2026-11-30T12:00:00.000Z' }) : delivery()], nextCursor: null }),
      'POST /api/webhooks/w1/deliveries/d1/retry': () => { retried = true; return json(202, delivery({ status: 'pending', nextAttemptAt: '2026-11-30T12:00:00.000Z' })); },
    });
    const table = await screen.findByRole('table', { name: 'Deliveries, newest first' });
    await u.click(within(table).getByRole('button', { name: /Retry now/ }));
    await waitFor(() => expect(api.calls('POST', '/api/webhooks/w1/deliveries/d1/retry')).toHaveLength(1));
    expect(await screen.findByText('Retry queued')).toBeInTheDocument();
    expect(screen.getByText('email.replied delivery queued again: sent within a few seconds')).toBeInTheDocument();
    expect(await within(table).findByText('Pending')).toBeInTheDocument();
    expect(within(table).getByText(/^Retrying (now|in .*) \(attempt 9, retried by hand\)$/)).toBeInTheDocument();
  }, 60_000);

  it('says why nothing goes out while the endpoint is disabled after a 410', async () => {
    openApp('/admin/webhooks/w1', {
      'GET /api/webhooks/w1': json(200, endpoint({ enabled: false, disabledReason: 'answered 410 Gone', disabledAt: '2026-11-28T10:00:00.000Z' })),
      'GET /api/webhooks/w1/deliveries': json(200, { items: [delivery({ status: 'pending', attempts: 0, lastStatusCode: undefined, nextAttemptAt: '2026-11-28T10:00:00.000Z' })], nextCursor: null }),
    });
    expect(await screen.findByText(/^Endpoint disabled: answered 410 Gone on /)).toBeInTheDocument();
    expect(await screen.findByText(/^Held: the endpoint is disabled \(answered 410 Gone on .*\); it is sent once the endpoint is enabled again$/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Retry now/ })).not.toBeInTheDocument(); // the API refuses a retry (409) until it is enabled
  }, 60_000);
});

describe('booking integrations', () => {
  it('shows the webhook URL to paste, saves a signing secret without ever showing it back, and disconnects', async () => {
    let saved = false;
    const item = (provider: string, configured: boolean) => ({ provider, configured, webhookUrl: `https://cadenza.example/api/integrations/${provider}`, updatedAt: configured ? '2026-11-29T09:00:00.000Z' : null, lastReceivedAt: null, lastError: null });
    const { user: u, api } = openApp('/admin/bookings', {
      'GET /api/integrations': () => json(200, { items: [item('calcom', saved), item('calendly', false)] }),
      'PUT /api/integrations/calcom': () => { saved = true; return json(200, item('calcom', true)); },
      'DELETE /api/integrations/calcom': () => { saved = false; return new Response(null, { status: 204 }); },
    });
    const list = await screen.findByRole('list', { name: 'Booking tools' });
    const cal = within(list).getByRole('listitem', { name: 'Cal.com' });
    expect(within(cal).getByRole('textbox', { name: 'Cal.com webhook URL' })).toHaveValue('https://cadenza.example/api/integrations/calcom');
    expect(within(cal).getByText('BOOKING_RESCHEDULED')).toBeInTheDocument();
    expect(within(within(list).getByRole('listitem', { name: 'Calendly' })).getByText('invitee.created')).toBeInTheDocument();

    await u.type(within(cal).getByLabelText('Signing secret'), 'short');
    await u.click(within(cal).getByRole('button', { name: 'Connect' }));
    expect(await within(cal).findByText('A signing secret has at least 8 characters.')).toBeInTheDocument();
    expect(api.calls('PUT', '/api/integrations/calcom')).toHaveLength(0);

    await u.clear(within(cal).getByLabelText('Signing secret'));
    await u.type(within(cal).getByLabelText('Signing secret'), 'cal-secret-123456');
    await u.click(within(cal).getByRole('button', { name: 'Connect' }));
    expect(await within(cal).findByText('Connected')).toBeInTheDocument();
    expect(api.calls('PUT', '/api/integrations/calcom')[0]!.body).toEqual({ secret: 'cal-secret-123456' });
    expect(screen.queryByDisplayValue('cal-secret-123456')).not.toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain('cal-secret-123456');

    await u.click(within(cal).getByRole('button', { name: 'Replace secret' }));
    expect(within(cal).getByLabelText('Signing secret')).toHaveValue('');
    await u.click(within(cal).getByRole('button', { name: 'Cancel' }));
    await u.click(within(cal).getByRole('button', { name: 'Disconnect…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Disconnect Cal.com?' });
    expect(within(dialog).getByText(/refused \(401\) from now on/)).toBeInTheDocument();
    await u.click(within(dialog).getByRole('button', { name: 'Disconnect' }));
    expect(await within(cal).findByText('Not connected')).toBeInTheDocument();
  }, 60_000);
});
