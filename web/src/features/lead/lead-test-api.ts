import { vi } from 'vitest';
import { json } from '@/test/render.tsx';

/** One request as the stub saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Answer = Response | ((request: SeenRequest) => Response);

/**
 * Replaces fetch with answers by `METHOD /path` (query ignored when matching), for
 * components that read several resources in no fixed order. A request nobody answers is
 * a 500 the test sees in `unexpected`. Answers may be a function (a fresh Response each call).
 */
export function stubApi(routes: Record<string, Answer>) {
  const seen: SeenRequest[] = [];
  const unexpected: string[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init?.method ?? 'GET';
    const request: SeenRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    seen.push(request);
    const answer = routes[`${method} ${url.pathname}`];
    if (!answer) {
      unexpected.push(`${method} ${url.pathname}`);
      return json(500, { error: { code: 'unexpected', message: `no stub for ${method} ${url.pathname}` } });
    }
    return typeof answer === 'function' ? answer(request) : answer.clone();
  });
  vi.stubGlobal('fetch', fetchMock);
  return { fetch: fetchMock, seen, unexpected, calls: (method: string, path: string) => seen.filter((r) => r.method === method && r.path === path) };
}

// ---- fixtures ----

export const LEAD = {
  id: 'l1', module: 'lead', email: 'ada@analytical.example', firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines',
  phone: '+44 20 7946 0001', status: 'Working', ownerId: 'u1', timezone: 'Europe/London', fields: { Industry: 'Computing', seats: 12 },
  unsubscribed: false, bounced: false, converted: false, createdAt: '2026-11-01T09:00:00.000Z', updatedAt: '2026-11-01T09:00:00.000Z',
};

export const CADENCE = {
  id: 'c1', status: 'active', version: 1, name: 'Outbound Q4', module: 'lead',
  steps: [
    { id: 's1', type: 'email', mode: 'auto', title: null, instructions: null, priority: 'normal', subject: 'Hello', body: 'Hi', delay: { amount: 0, unit: 'days' }, condition: null, threadWithPrevious: false },
    { id: 's2', type: 'call', title: 'Call', instructions: null, priority: 'normal', delay: { amount: 2, unit: 'days' }, condition: null },
    { id: 's3', type: 'email', mode: 'auto', title: null, instructions: null, priority: 'normal', subject: 'Again', body: 'Hi', delay: { amount: 3, unit: 'days' }, condition: null, threadWithPrevious: true },
  ],
  boosts: [], schedule: { days: [1, 2, 3, 4, 5], windows: [{ start: '09:00', end: '17:00' }], timezone: null },
  exitOn: { onReply: true, replyFrom: 'address', onMeeting: true, onConversion: true, fieldCriteria: [], callOutcomes: [], endDate: null },
  waitForTasks: true, taskTimeoutDays: 14, reenrollment: 'never', throttle: null, autoEnroll: null,
  createdAt: '2026-10-01T09:00:00.000Z', updatedAt: '2026-10-01T09:00:00.000Z', enrollmentsByVersion: { 1: 1 },
};

export const enrollmentFixture = (over: Record<string, unknown> = {}) => ({
  id: 'e1', cadenceId: 'c1', recordId: 'l1', status: 'active', nextStepId: 's2', nextDueAt: '2026-11-14T10:00:00.000Z',
  cadenceVersion: 1, enrolledAt: '2026-11-10T09:00:00.000Z', ...over,
});
