import { createMemoryHistory, createRouter, RouterProvider } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { configure, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { routeTree } from '@/app/router.tsx';
import { stubApi } from '@/features/lead/lead-test-api.ts';
import { json, renderWithProviders } from '@/test/render.tsx';

// The first render of a file imports React, Radix and the shell on a busy machine: give finds time.
configure({ asyncUtilTimeout: 15_000 });
afterEach(() => vi.unstubAllGlobals());

const user = (role: 'rep' | 'admin') =>
  ({ id: 'u1', name: 'Riley Rep', email: 'riley@example.com', role, timezone: null, createdAt: '2026-10-01T09:00:00.000Z' });

/** The whole app at `path`, signed in with `role`, the API stubbed at fetch. */
function openApp(path: string, role: 'rep' | 'admin') {
  vi.stubGlobal('scrollTo', vi.fn()); // the router restores scroll; jsdom has no scrolling
  stubApi({ 'GET /api/users/me': json(200, user(role)) });
  function App() {
    const queryClient = useQueryClient();
    const [router] = useState(() =>
      createRouter({ routeTree, context: { queryClient }, history: createMemoryHistory({ initialEntries: [path] }) }));
    return <RouterProvider router={router} />;
  }
  return renderWithProviders(<App />);
}

describe('the admin gate', () => {
  it('tells a rep at an /admin/... address they need an admin account', async () => {
    openApp('/admin/users', 'rep');
    expect(await screen.findByRole('heading', { name: 'You need an admin account' })).toBeInTheDocument();
    expect(screen.queryByText('There is no page here')).not.toBeInTheDocument();
  });

  it('shows an admin the not-found page inside the shell for an unknown /admin/... address', async () => {
    openApp('/admin/xyz', 'admin');
    expect(await screen.findByRole('heading', { name: 'There is no page here' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
  });
});
