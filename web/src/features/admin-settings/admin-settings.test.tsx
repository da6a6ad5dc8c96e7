import { createMemoryHistory, createRouter, RouterProvider } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { configure, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { routeTree } from '@/app/router.tsx';
import { stubApi } from '@/features/lead/lead-test-api.ts';
import { json, renderWithProviders } from '@/test/render.tsx';

configure({ asyncUtilTimeout: 15_000 });
afterEach(() => vi.unstubAllGlobals());

const ME = { id: 'u-admin', name: 'Avery Admin', email: 'avery@example.com', role: 'admin', timezone: null, createdAt: '2026-10-01T09:00:00.000Z', deactivatedAt: null };
const IVY_ID = '00000000-0000-4000-8000-000000000003';
const user = (over: Record<string, unknown>) => ({ ...ME, hasPassword: true, invitationExpiresAt: null, ...over });
const USERS = [
  user({}),
  user({ id: 'u-riley', name: 'Riley Rep', email: 'riley@example.com', role: 'rep' }),
  user({ id: IVY_ID, name: 'Ivy Invitee', email: 'ivy@example.com', role: 'rep', hasPassword: false, invitationExpiresAt: '2026-12-08T09:00:00.000Z' }),
  user({ id: 'u-old', name: 'Olga Old', email: 'olga@example.com', role: 'rep', deactivatedAt: '2026-11-20T09:00:00.000Z' }),
];

function openApp(path: string, routes: Parameters<typeof stubApi>[0]) {
  vi.stubGlobal('scrollTo', vi.fn());
  const api = stubApi({ 'GET /api/users/me': json(200, ME), ...routes });
  function App() {
    const queryClient = useQueryClient();
    const [router] = useState(() => createRouter({ routeTree, context: { queryClient }, history: createMemoryHistory({ initialEntries: [path] }) }));
    return <RouterProvider router={router} />;
  }
  return { ...renderWithProviders(<App />), api };
}

describe('users', () => {
  it('says how each user signs in, hides the deactivated until asked, and deactivating states what happens and moves their work when asked', async () => {
    const { user: u, api } = openApp('/admin/users', {
      'GET /api/users': json(200, { items: USERS }),
      'POST /api/users/u-riley/deactivate': json(200, { user: { ...ME, id: 'u-riley', deactivatedAt: '2026-11-29T09:00:00.000Z' }, reassigned: { tasks: 3, leads: 5 } }),
    });
    const table = await screen.findByRole('table', { name: 'Users' });
    expect(within(table).getAllByText(/Invited, link valid until/)).not.toHaveLength(0);
    expect(within(table).queryByText('Olga Old')).not.toBeInTheDocument();
    await u.click(screen.getByRole('button', { name: 'Show 1 deactivated user' }));
    expect(await within(table).findByText('Olga Old')).toBeInTheDocument();
    expect(within(table).getAllByRole('button', { name: 'Reactivate' })[0]).toBeInTheDocument();

    await u.click(within(table).getAllByRole('button', { name: 'Deactivate…' })[0]!);
    const dialog = await screen.findByRole('dialog', { name: 'Deactivate Riley Rep?' });
    expect(within(dialog).getByText(/can no longer sign in/)).toBeInTheDocument();
    expect(within(dialog).getByText(/API tokens are revoked for good/)).toBeInTheDocument();
    expect(within(dialog).getByText(/admins still see them/)).toBeInTheDocument();
    await u.selectOptions(within(dialog).getByLabelText('Their leads and open tasks'), 'Move them to Ivy Invitee');
    expect(within(dialog).getByText(/go out from Ivy Invitee's mailbox/)).toBeInTheDocument();
    await u.click(within(dialog).getByRole('button', { name: 'Deactivate Riley Rep' }));
    expect(await screen.findByText('3 open tasks and 5 leads moved to Ivy Invitee.')).toBeInTheDocument();
    expect(api.calls('POST', '/api/users/u-riley/deactivate')[0]!.body).toEqual({ reassignTo: IVY_ID });
  }, 60_000);

  it('adds a user by invitation and shows the link once, to copy; a taken email shows at its field', async () => {
    let calls = 0;
    const { user: u, api } = openApp('/admin/users', {
      'GET /api/users': json(200, { items: USERS }),
      'POST /api/users': () => (++calls === 1
        ? json(409, { error: { code: 'conflict', message: 'a user with email sam@example.com already exists', details: [{ path: 'body.email', message: 'already in use' }] } })
        : json(201, { ...ME, id: 'u-sam', name: 'Sam Seller', email: 'sam2@example.com', role: 'rep', invitation: { url: 'http://x.test/invite/tok123456789', token: 'tok123456789', expiresAt: '2026-12-06T09:00:00.000Z' } })),
    });
    await screen.findByRole('table', { name: 'Users' });
    await u.click(screen.getByRole('button', { name: 'Add user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a user' });
    await u.type(within(dialog).getByLabelText('Name'), 'Sam Seller');
    await u.type(within(dialog).getByLabelText('Email'), 'sam@example.com');
    await u.click(within(dialog).getByRole('button', { name: 'Add and get the link' }));
    expect(await within(dialog).findByText(/Already in use/)).toBeInTheDocument();
    await u.clear(within(dialog).getByLabelText('Email'));
    await u.type(within(dialog).getByLabelText('Email'), 'sam2@example.com');
    await u.click(within(dialog).getByRole('button', { name: 'Add and get the link' }));
    const box = await screen.findByRole('region', { name: 'Invitation link for Sam Seller' });
    expect(within(box).getByRole('textbox', { name: 'Invitation link' })).toHaveValue('http://x.test/invite/tok123456789');
    expect(within(box).getByText(/shown only now/)).toBeInTheDocument();
    expect(api.calls('POST', '/api/users')[1]!.body).toEqual({ name: 'Sam Seller', email: 'sam2@example.com', role: 'rep', invite: true });
  }, 60_000);
});

const HEALTH = {
  sentLastDay: 180, sentLastHour: 12, queued: 4, deferred: 3, sentLast30Days: 400, bouncedLast30Days: 28, bounceRate: 0.07, failedLastDay: 0,
  lastSmtpError: { message: '421 4.7.0 Try again later', at: '2026-11-29T08:00:00.000Z' }, lastImapError: null, imapPolledAt: null,
  skippedInboundLast30Days: 0, lastSkippedInbound: null,
};
const MAILBOX = {
  user: { ...ME, id: 'u-riley', name: 'Riley Rep', email: 'riley@example.com', role: 'rep' },
  mailbox: { userId: 'u-riley', fromEmail: 'riley@example.com', fromName: 'Riley', smtpUrl: 'smtp://***@mail.example:587', imapUrl: null, dailyLimit: 200, hourlyLimit: 40, minIntervalSeconds: 0 },
  configured: true, delivery: 'mailbox_smtp', health: HEALTH,
};

describe('mailboxes', () => {
  it('shows sends against the caps, held mail, a high bounce rate and the last SMTP error; a failed test email says why in words', async () => {
    const { user: u, api } = openApp('/admin/mailboxes', {
      'GET /api/mailboxes': json(200, { items: [MAILBOX] }),
      'POST /api/users/u-riley/mailbox/test': json(200, { ok: false, to: 'avery@example.com', delivery: 'smtp', message: 'mail.example:587 refused the sign-in: check the user name and password in the SMTP URL.' }),
    });
    expect(await screen.findByRole('meter', { name: 'Sent, last 24 h: 180 of 200' })).toBeInTheDocument();
    expect(screen.getByText('3 held back')).toBeInTheDocument();
    expect(screen.getByText('7%')).toHaveClass('text-red-700');
    expect(screen.getByText('421 4.7.0 Try again later')).toBeInTheDocument();
    await u.click(screen.getByRole('button', { name: /Send a test email/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Send a test email' });
    expect(within(dialog).getByLabelText('Send to')).toHaveValue('avery@example.com');
    await u.click(within(dialog).getByRole('button', { name: 'Send test email' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('refused the sign-in: check the user name and password');
    expect(api.calls('POST', '/api/users/u-riley/mailbox/test')[0]!.body).toEqual({ to: 'avery@example.com' });
  }, 60_000);

  it('says how many inbound messages could not be read and were skipped, and the last one\u2019s reason', async () => {
    const skipped = { ...MAILBOX, mailbox: { ...MAILBOX.mailbox, imapUrl: 'imap://***@mail.example/INBOX' },
      health: { ...HEALTH, skippedInboundLast30Days: 2, lastSkippedInbound: { message: 'no header block', messageId: '<broken-1@relay.example>', uid: '42', at: '2026-11-29T08:30:00.000Z' } } };
    openApp('/admin/mailboxes', { 'GET /api/mailboxes': json(200, { items: [skipped] }) });
    const term = await screen.findByText('Unreadable mail, 30 days');
    expect(term.nextElementSibling).toHaveTextContent(/^2 skipped; the last: no header block/);
  }, 60_000);
});

describe('the dev outbox', () => {
  it('shows a message\u2019s headers and its HTML in a sandboxed frame without the tracking pixel', async () => {
    const html = '<p>Hi Ada</p><img src="http://x.test/t/o/abc" width="1" height="1"><a href="http://x.test/t/c/def">Book</a>';
    const { user: u } = openApp('/admin/outbox', {
      'GET /api/dev/outbox': json(200, {
        smtpConfigured: false,
        items: [{
          emailId: 'e1', from: 'riley@example.com', to: 'ada@example.com', subject: 'Hello Ada', createdAt: '2026-11-29T09:00:00.000Z', raw: 'Subject: Hello Ada\r\n\r\nHi',
          fromHeader: 'Riley <riley@example.com>', html, text: 'Hi Ada',
          headers: { messageId: '<m1@x.test>', inReplyTo: '<m0@x.test>', references: '<m0@x.test>', listUnsubscribe: '<http://x.test/u/tok>', listUnsubscribePost: 'List-Unsubscribe=One-Click' },
        }],
      }),
    });
    await u.click(await screen.findByRole('link', { name: /ada@example.com/ }));
    const message = await screen.findByRole('article', { name: 'Message to ada@example.com' });
    expect(within(message).getByText('<http://x.test/u/tok>')).toBeInTheDocument();
    expect(within(message).getAllByText('<m0@x.test>')).toHaveLength(2); // In-Reply-To and References
    const frame = within(message).getByTitle('HTML of the message to ada@example.com');
    expect(frame).toHaveAttribute('sandbox', '');
    expect(frame.getAttribute('srcdoc')).toContain('Hi Ada');
    expect(frame.getAttribute('srcdoc')).not.toContain('/t/o/');
  });
});
