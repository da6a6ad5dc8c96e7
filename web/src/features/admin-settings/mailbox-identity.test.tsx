import { configure, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MailboxOverview } from '@contract/mailbox-health.ts';
import { stubApi } from '@/features/lead/lead-test-api.ts';
import { json, renderWithProviders } from '@/test/render.tsx';
import { MailboxDialog } from './mailbox-dialog.tsx';

configure({ asyncUtilTimeout: 15_000 });
afterEach(() => vi.unstubAllGlobals());

const MAILBOX = {
  userId: 'u-riley', fromEmail: 'riley@example.com', fromName: 'Riley', smtpUrl: 'smtp://***@smtp.gmail.com:587', imapUrl: null,
  dailyLimit: 200, hourlyLimit: 40, minIntervalSeconds: 0,
  dkim: { domain: 'example.com', selector: 's2026', configured: true as const },
  oauth: { provider: 'google' as const, clientId: 'app.apps.googleusercontent.com', configured: true as const },
};
const ITEM = {
  user: { id: 'u-riley', name: 'Riley Rep', email: 'riley@example.com', role: 'rep', timezone: null, createdAt: '2026-10-01T09:00:00.000Z', deactivatedAt: null },
  mailbox: MAILBOX, configured: true, delivery: 'mailbox_smtp', health: {},
} as unknown as MailboxOverview;

describe('the mailbox dialog\u2019s sender identity', () => {
  it('shows the DKIM key and OAuth grant as stored without their secrets, and sends them back unchanged, secrets left out so the server keeps them', async () => {
    const api = stubApi({ 'PUT /api/users/u-riley/mailbox': json(200, MAILBOX) });
    const { user: u } = renderWithProviders(<MailboxDialog item={ITEM} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog', { name: "Riley Rep's mailbox" });
    expect(within(dialog).getByLabelText('DKIM domain')).toHaveValue('example.com');
    expect(within(dialog).getByLabelText('DKIM private key')).toHaveValue('');
    expect(within(dialog).getByLabelText('DKIM private key')).toHaveAttribute('placeholder', 'Stored (not shown)');
    expect(within(dialog).getByLabelText('OAuth provider')).toHaveValue('google');
    expect(within(dialog).getByLabelText('OAuth client secret')).toHaveValue('');

    await u.click(within(dialog).getByRole('button', { name: 'Save mailbox' }));
    await vi.waitFor(() => expect(api.calls('PUT', '/api/users/u-riley/mailbox')).toHaveLength(1));
    const sent = api.calls('PUT', '/api/users/u-riley/mailbox')[0]!.body as { dkim?: unknown; oauth?: unknown };
    // Secrets left empty are left out: the server keeps the stored ones.
    expect(sent.dkim).toEqual({ domain: 'example.com', selector: 's2026' });
    expect(sent.oauth).toEqual({ provider: 'google', clientId: 'app.apps.googleusercontent.com' });
  });

  it('a new key is sent; a blank identity that was set is removed; the server\u2019s message shows at the key', async () => {
    const api = stubApi({
      'PUT /api/users/u-riley/mailbox': json(400, {
        error: { code: 'invalid_request', message: 'body.dkim.privateKey: not a readable PEM private key', details: [{ path: 'body.dkim.privateKey', message: 'not a readable PEM private key' }] },
      }),
    });
    const { user: u } = renderWithProviders(<MailboxDialog item={ITEM} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog');
    await u.type(within(dialog).getByLabelText('DKIM private key'), 'garbage');
    await u.selectOptions(within(dialog).getByLabelText('OAuth provider'), '');
    await u.click(within(dialog).getByRole('button', { name: 'Save mailbox' }));
    expect(await within(dialog).findByText(/Not a readable PEM private key/i)).toBeInTheDocument();
    const sent = api.calls('PUT', '/api/users/u-riley/mailbox')[0]!.body as { dkim?: unknown; oauth?: unknown };
    expect(sent.dkim).toEqual({ domain: 'example.com', selector: 's2026', privateKey: 'garbage' });
    expect(sent.oauth).toBeNull();
  });
});
