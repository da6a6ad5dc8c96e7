import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CALL_OUTCOMES } from '@contract/enums.ts';
import { OWNER, renderFocusMode, stubApi, taskItem, ZONE } from './focus-mode.fixtures.tsx';

// The lead's panel has its own reads and tests; here it only stands beside the task.
vi.mock('@/features/lead/lead-panel.tsx', () => ({ LeadPanel: ({ leadId }: { leadId: string }) => <aside>Lead panel {leadId}</aside> }));

afterEach(() => vi.unstubAllGlobals());

/** The first look waits longer: the router's first render on a busy machine. */
const FIRST = { timeout: 10_000 };

const title = () => screen.getByRole('heading', { level: 2 }).textContent;
const tasks = [taskItem(1), taskItem(2), taskItem(3)];

describe('focus mode, by keyboard', () => {
  it('j and n move to the next task, k to the previous, without acting on any', async () => {
    const api = stubApi(tasks);
    const { user } = renderFocusMode(tasks);
    expect(await screen.findByRole('heading', { name: 'Call lead 1' }, FIRST)).toBeInTheDocument();
    expect(screen.getByText('Task 1 of 3 in Today')).toBeInTheDocument();
    await user.keyboard('j');
    expect(title()).toBe('Call lead 2');
    await user.keyboard('n');
    expect(title()).toBe('Call lead 3');
    expect(screen.getByText('Task 3 of 3 in Today')).toBeInTheDocument();
    await user.keyboard('k');
    expect(title()).toBe('Call lead 2');
    expect(api.writes()).toEqual([]);
    // The queue read is the signed-in user's own, open, today's, hot first.
    expect(api.requests.find((r) => r.path === '/api/tasks')?.query).toMatchObject({ status: 'open', ownerId: OWNER, due: 'today', sort: 'priority' });
  });

  it('1–7 complete the call with that outcome and the note, and show the next task', async () => {
    const calls = CALL_OUTCOMES.map((_, i) => taskItem(i + 1));
    const api = stubApi(calls);
    const { user } = renderFocusMode(calls);
    await screen.findByRole('heading', { name: 'Call lead 1' }, FIRST);
    await user.type(screen.getByLabelText('Note'), 'Spoke to the assistant');
    await user.keyboard('{Escape}'); // leaves the note; the keys are commands again
    for (const [i, outcome] of CALL_OUTCOMES.entries()) {
      await waitFor(() => expect(title()).toBe(`Call lead ${i + 1}`));
      await user.keyboard(String(i + 1));
      await waitFor(() => expect(api.writes()).toHaveLength(i + 1));
      expect(api.writes()[i]).toEqual({
        method: 'POST', path: `/api/tasks/${calls[i]!.id}/complete`, body: { outcome, ...(i === 0 ? { note: 'Spoke to the assistant' } : {}) },
      });
    }
    // The last one done, the queue is shown again.
    expect(await screen.findByText('The queue is shown')).toBeInTheDocument();
  });

  it('says which outcomes end the cadence, from its exit rules', async () => {
    stubApi(tasks);
    renderFocusMode(tasks);
    const outcomes = await screen.findByRole('group', { name: 'Call outcome' }, FIRST);
    await waitFor(() => expect(within(outcomes).getByRole('button', { name: /Not interested/ })).toHaveAccessibleDescription('Ends the cadence'));
    expect(within(outcomes).getByRole('button', { name: /Meeting booked/ })).toHaveAccessibleDescription('Ends the cadence');
    expect(within(outcomes).getByRole('button', { name: /No answer/ })).toHaveAccessibleDescription('The cadence goes on');
    expect(screen.getByText(/“Outbound” exits on Not interested and Meeting booked/)).toBeInTheDocument();
  });

  it('s skips the task with the note, and shows the next one', async () => {
    const api = stubApi(tasks);
    const { user } = renderFocusMode(tasks);
    await screen.findByRole('heading', { name: 'Call lead 1' }, FIRST);
    await user.type(screen.getByLabelText('Note'), 'Wrong person');
    await user.keyboard('{Escape}s');
    await waitFor(() => expect(title()).toBe('Call lead 2'));
    expect(api.writes()).toEqual([{ method: 'POST', path: `/api/tasks/${tasks[0]!.id}/skip`, body: { note: 'Wrong person' } }]);
    expect(await screen.findByText('Skipped: Call lead 1')).toBeInTheDocument();
  });

  it('z opens the snooze menu; "Tomorrow 9:00" snoozes to 9:00 tomorrow in the rep\'s zone', async () => {
    const api = stubApi(tasks);
    const { user } = renderFocusMode(tasks);
    await screen.findByRole('heading', { name: 'Call lead 1' }, FIRST);
    await user.keyboard('z');
    const menu = await screen.findByRole('dialog', { name: 'Snooze until' });
    await user.click(within(menu).getByRole('button', { name: /Tomorrow 9:00/ }));
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    const { path, body } = api.writes()[0]!;
    expect(path).toBe(`/api/tasks/${tasks[0]!.id}/snooze`);
    const until = new Date((body as { until: string }).until);
    const local = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' }).format(d);
    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, dateStyle: 'short' }).format(new Date(Date.now() + 86_400_000));
    expect(local(until)).toBe(`${tomorrow}, 09:00`);
    await waitFor(() => expect(title()).toBe('Call lead 2'));
  });

  it('Esc leaves focus mode', async () => {
    stubApi(tasks);
    const { user } = renderFocusMode(tasks);
    await screen.findByRole('heading', { name: 'Call lead 1' }, FIRST);
    await user.keyboard('{Escape}');
    expect(await screen.findByText('The queue is shown')).toBeInTheDocument();
  });

  it('ignores the keys while the rep types in the note', async () => {
    const api = stubApi(tasks);
    const { user } = renderFocusMode(tasks);
    await screen.findByRole('heading', { name: 'Call lead 1' }, FIRST);
    const note = screen.getByLabelText('Note');
    await user.type(note, 'jkn17sze');
    expect(note).toHaveValue('jkn17sze');
    expect(title()).toBe('Call lead 1');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.writes()).toEqual([]);
  });
});
