import { createMemoryHistory, createRouter, RouterProvider } from '@tanstack/react-router';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { vi } from 'vitest';
import { routeTree } from '@/app/router.tsx';
import { renderWithProviders } from './render.tsx';

/**
 * The whole app (shell, router, lazy pages) at `path`, in memory; stub the API with
 * stubApi (features/lead/lead-test-api.ts) first. `router()` reads the address.
 */
export function renderAppAt(path: string) {
  vi.stubGlobal('scrollTo', vi.fn()); // the router restores scroll; jsdom has no scrolling
  const make = (queryClient: QueryClient) =>
    createRouter({ routeTree, context: { queryClient }, history: createMemoryHistory({ initialEntries: [path] }) });
  let router!: ReturnType<typeof make>;
  function App() {
    const queryClient = useQueryClient();
    const [made] = useState(() => make(queryClient));
    router = made;
    return <RouterProvider router={made} />;
  }
  return { ...renderWithProviders(<App />), router: () => router };
}
