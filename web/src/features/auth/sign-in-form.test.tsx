import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, mockFetch, renderWithProviders } from '@/test/render.tsx';
import { SignInForm } from './sign-in-form.tsx';

const user = { id: 'u1', name: 'Rita Rep', email: 'rita@example.com', role: 'rep', timezone: null, createdAt: '2026-03-02T08:00:00.000Z', deactivatedAt: null };

afterEach(() => vi.unstubAllGlobals());

async function fillAndSubmit(ui: ReturnType<typeof renderWithProviders>, email: string, password: string) {
  if (email) await ui.user.type(screen.getByLabelText('Email'), email);
  if (password) await ui.user.type(screen.getByLabelText('Password'), password);
  await ui.user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('the sign-in form', () => {
  it('says which fields are missing, at those fields, without calling the server', async () => {
    const fetch = mockFetch();
    const ui = renderWithProviders(<SignInForm onSignedIn={vi.fn()} />);
    await fillAndSubmit(ui, '', '');
    const email = screen.getByLabelText('Email');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('Required.');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Required.');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('signs in and hands over the user', async () => {
    const fetch = mockFetch(json(200, { user }));
    const onSignedIn = vi.fn();
    const ui = renderWithProviders(<SignInForm onSignedIn={onSignedIn} />);
    await fillAndSubmit(ui, 'rita@example.com', 'correct horse battery');
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(user));
    expect(fetch.mock.calls[0]![0]).toBe('/api/session');
    expect(JSON.parse(fetch.mock.calls[0]![1]!.body as string)).toEqual({ email: 'rita@example.com', password: 'correct horse battery' });
  });

  it('shows a wrong pair as one message, and empties the password', async () => {
    mockFetch(json(401, { error: { code: 'unauthorized', message: 'wrong email or password' } }));
    const onSignedIn = vi.fn();
    const ui = renderWithProviders(<SignInForm onSignedIn={onSignedIn} />);
    await fillAndSubmit(ui, 'rita@example.com', 'not my password');
    expect(await screen.findByRole('alert')).toHaveTextContent('That email and password do not match an account');
    expect(screen.getByLabelText('Password')).toHaveValue('');
    expect(screen.getByLabelText('Password')).toHaveFocus();
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('says how long to wait when sign-in is throttled', async () => {
    mockFetch(json(429, { error: { code: 'rate_limited', message: 'too many failed sign-ins: try again in 90 s' } }, { 'retry-after': '90' }));
    const ui = renderWithProviders(<SignInForm onSignedIn={vi.fn()} />);
    await fillAndSubmit(ui, 'rita@example.com', 'guess number six');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. For your account\'s safety, try again in 2 minutes.');
  });

  it('shows the server\'s field errors at their fields', async () => {
    mockFetch(json(400, { error: { code: 'invalid_request', message: 'body.email: too long', details: [{ path: 'body.email', message: 'too long' }] } }));
    const ui = renderWithProviders(<SignInForm onSignedIn={vi.fn()} />);
    await fillAndSubmit(ui, 'rita@example.com', 'whatever it is');
    const email = screen.getByLabelText('Email');
    await vi.waitFor(() => expect(email).toHaveAccessibleDescription('Too long.'));
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
