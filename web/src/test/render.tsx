import { QueryClient } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { Providers } from '@/app/providers.tsx';

/** Renders a component inside the app's providers with a fresh cache (no retries); `user` types and clicks. */
export function renderWithProviders(ui: ReactElement): RenderResult & { user: ReturnType<typeof userEvent.setup>; queryClient: QueryClient } {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const user = userEvent.setup();
  return { ...render(<Providers queryClient={queryClient}>{ui}</Providers>), user, queryClient };
}

/** A JSON answer as the API sends it. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });

/** Replaces fetch with answers given in order; returns the mock to inspect the requests. */
export function mockFetch(...answers: Array<Response | (() => Response)>) {
  const queue = [...answers];
  const fetchMock = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => {
    const next = queue.shift();
    if (!next) throw new Error('unexpected fetch: no answer left');
    return typeof next === 'function' ? next() : next;
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}
