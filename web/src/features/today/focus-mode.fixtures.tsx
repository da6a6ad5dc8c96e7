import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { useState, type ReactElement } from 'react';
import { vi } from 'vitest';
import type { TaskItem } from '@contract/tasks.ts';
import { useQueue } from '@/data/tasks/index.ts';
import { json, renderWithProviders } from '@/test/render.tsx';
import { FocusMode } from './focus-mode.tsx';

/** Test data and a fetch stub for focus mode's component tests. */

export const ZONE = 'Europe/London';
export const OWNER = '30000000-0000-4000-8000-000000000001';
const CADENCE_ID = '7b0c4a52-0000-4000-8000-00000000c0de';

export function taskItem(n: number, over: Partial<TaskItem> = {}): TaskItem {
  return {
    id: `00000000-0000-4000-8000-00000000000${n}`,
    type: 'call',
    title: `Call lead ${n}`,
    body: 'Ask how they plan outreach today.',
    priority: 'normal',
    dueAt: new Date(Date.now() - 3600_000).toISOString(),
    status: 'open',
    recordId: `10000000-0000-4000-8000-00000000000${n}`,
    enrollmentId: `20000000-0000-4000-8000-00000000000${n}`,
    stepId: 'step-call',
    ownerId: OWNER,
    lead: { id: `10000000-0000-4000-8000-00000000000${n}`, name: `Lead ${n}`, email: `lead${n}@example.com`, company: 'Acme', phone: '+44 20 7946 0000', timezone: 'Europe/Paris' },
    cadence: { id: CADENCE_ID, name: 'Outbound' },
    stepIndex: 1,
    stepCount: 4,
    hot: false,
    ...over,
  };
}

/** `GET /api/cadences/:id` as the contract answers it: exits on meetings and on `not_interested`. */
export const cadence = {
  id: CADENCE_ID, status: 'active', version: 1, name: 'Outbound', module: 'lead',
  steps: [{ id: 'step-call', type: 'call', delay: { amount: 0, unit: 'days' }, condition: null, title: null, instructions: null, priority: 'normal' }],
  boosts: [],
  schedule: { days: [1, 2, 3, 4, 5], windows: [{ start: '09:00', end: '17:00' }], timezone: null },
  exitOn: { onReply: true, replyFrom: 'address', onMeeting: true, onConversion: true, fieldCriteria: [], callOutcomes: ['not_interested'], endDate: null },
  waitForTasks: true, taskTimeoutDays: 14, reenrollment: 'never', throttle: null, autoEnroll: null,
  createdAt: '2026-03-02T08:00:00.000Z', updatedAt: '2026-03-02T08:00:00.000Z', enrollmentsByVersion: {},
};

/** The task as `POST /api/tasks/:id/…` answers it. */
export const closedTask = (t: TaskItem, status: 'completed' | 'cancelled' | 'open' = 'completed') => {
  const { lead: _lead, cadence: _cadence, stepIndex: _i, stepCount: _c, hot: _h, hotReason: _r, ...plain } = t;
  return { ...plain, status };
};

export interface SeenRequest {
  method: string;
  path: string;
  /** The query string's parameters. */
  query: Record<string, string>;
  body: unknown;
}

type Answer = (request: SeenRequest) => Response | undefined;

/**
 * fetch answered by path: the cadence, and each write with the task it names; `answers`
 * come first (a draft, a refusal). Every request is recorded, to assert what was sent.
 */
export function stubApi(tasks: TaskItem[], ...answers: Answer[]) {
  const requests: SeenRequest[] = [];
  const closed = new Set<string>();
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const request = { method: init?.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body };
    requests.push(request);
    for (const answer of answers) {
      const response = answer(request);
      if (response) return response;
    }
    if (request.path === '/api/tasks') return json(200, { items: tasks.filter((t) => !closed.has(t.id)) });
    if (request.path.startsWith('/api/cadences/')) return json(200, cadence);
    const write = /^\/api\/tasks\/([^/]+)\/(complete|skip|snooze|send)$/.exec(request.path);
    const task = write && tasks.find((t) => t.id === write[1]);
    if (task) {
      // Done, skipped, sent, or snoozed to another day: it leaves today's queue.
      closed.add(task.id);
      if (write![2] === 'send') return json(200, { task: closedTask(task), email: sentEmail(task) });
      return json(200, closedTask(task, write![2] === 'complete' ? 'completed' : write![2] === 'skip' ? 'cancelled' : 'open'));
    }
    return json(404, { error: { code: 'not_found', message: `no stub for ${request.method} ${request.path}` } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    requests,
    /** What was written (the reads of the queue and the cadence left out), as method, path and body. */
    writes: () => requests.filter((r) => r.method !== 'GET').map(({ method, path, body }) => ({ method, path, body })),
  };
}

const sentEmail = (t: TaskItem) => ({
  id: '40000000-0000-4000-8000-000000000001', messageId: '<m1@example.com>', status: 'queued', from: 'Rita Rep <rita@example.com>',
  to: t.lead.email, subject: 'Hello', enrollmentId: t.enrollmentId, stepId: t.stepId, recordId: t.recordId,
  queuedAt: new Date().toISOString(), sendAfter: new Date().toISOString(),
});

/**
 * Focus mode as the Today page drives it: over today's queue (`GET /api/tasks`, from
 * which each task acted on leaves), `onOpen` moving, `onClose` back to the list.
 */
function Harness({ firstId }: { firstId: string }) {
  const queue = useQueue(OWNER, 'today', 'priority');
  const [id, setId] = useState(firstId);
  const [closed, setClosed] = useState(false);
  if (closed) return <p>The queue is shown</p>;
  return <FocusMode tasks={queue.items} taskId={id} tabLabel="Today" zone={ZONE} orgZone={ZONE} loading={queue.isPending} onOpen={setId} onClose={() => setClosed(true)} />;
}

/** In a router (focus mode links to the lead), with the app's providers. */
export function renderFocusMode(tasks: TaskItem[]) {
  return renderInRouter(<Harness firstId={tasks[0]!.id} />);
}

export function renderInRouter(ui: ReactElement) {
  const router = createRouter({ routeTree: createRootRoute({ component: () => ui }), history: createMemoryHistory({ initialEntries: ['/today'] }) });
  // The test's router is not the app's registered one: its routes are not needed here.
  return renderWithProviders(<RouterProvider router={router as never} />);
}
