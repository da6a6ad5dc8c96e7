import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, mockFetch, renderWithProviders } from '@/test/render.tsx';
import { BulkBar } from './bulk-bar.tsx';
import { startOfDay, toDateTimeInputs } from './zoned-time.ts';

afterEach(() => vi.unstubAllGlobals());

const ZONE = 'America/New_York';
const [A, B, C] = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b', '00000000-0000-4000-8000-00000000000c'];

/** The one write the bar makes: its path, method and body. */
function sent(fetchMock: ReturnType<typeof mockFetch>) {
  expect(fetchMock).toHaveBeenCalledTimes(1);
  const [path, init] = fetchMock.mock.calls[0]!;
  return { path: String(path), method: init?.method, body: JSON.parse(String(init?.body)) };
}

/** Wall clock in the rep's zone, as "YYYY-MM-DD HH:MM". */
const local = (iso: string) => {
  const { date, time } = toDateTimeInputs(new Date(iso), ZONE);
  return `${date} ${time}`;
};

describe('bulk actions on overdue tasks', () => {
  it('skips the selected tasks in one request with the note, and says which did not change and why', async () => {
    const fetchMock = mockFetch(json(200, { updated: [A, B], failed: [{ id: C, reason: 'already completed' }] }));
    const onDone = vi.fn();
    const { user } = renderWithProviders(<BulkBar ids={[A, B, C]} zone={ZONE} now={new Date()} onDone={onDone} onClear={vi.fn()} />);
    expect(screen.getByRole('region', { name: 'Bulk actions' })).toHaveTextContent('3 tasks selected');

    await user.click(screen.getByRole('button', { name: /Skip…/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Skip 3 tasks' });
    await user.type(within(dialog).getByLabelText(/Note/), 'Back from leave: starting over');
    await user.click(within(dialog).getByRole('button', { name: 'Skip 3 tasks' }));

    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(sent(fetchMock)).toEqual({ path: '/api/tasks/bulk', method: 'POST', body: { action: 'skip', ids: [A, B, C], note: 'Back from leave: starting over' } });
    expect(await screen.findByText('Skipped 2 tasks')).toBeInTheDocument();
    expect(screen.getByText('1 task not changed: 1 already completed.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog', { name: 'Skip 3 tasks' })).not.toBeInTheDocument();
  });

  it('reschedules to a quick pick in the rep\'s zone, and refuses a time gone by without asking the server', async () => {
    const fetchMock = mockFetch(json(200, { updated: [A, B], failed: [] }));
    const onDone = vi.fn();
    const { user } = renderWithProviders(<BulkBar ids={[A, B]} zone={ZONE} now={new Date()} onDone={onDone} onClear={vi.fn()} />);

    await user.click(screen.getByRole('button', { name: /Reschedule to…/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Reschedule 2 tasks' });
    // A minute ago (today: the date input itself refuses an earlier day): refused at the field, nothing sent.
    const gone = toDateTimeInputs(new Date(Math.max(Date.now() - 60_000, startOfDay(new Date(), ZONE).getTime())), ZONE);
    fireEvent.change(within(dialog).getByLabelText('Due again at: date'), { target: { value: gone.date } });
    fireEvent.change(within(dialog).getByLabelText('Due again at: time'), { target: { value: gone.time } });
    await user.click(within(dialog).getByRole('button', { name: /^Reschedule/ }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Pick a time in the future');
    expect(fetchMock).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Next Monday 9:00' }));
    await user.click(within(dialog).getByRole('button', { name: /^Reschedule to/ }));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    const { path, body } = sent(fetchMock);
    expect(path).toBe('/api/tasks/bulk');
    expect(body).toMatchObject({ action: 'snooze', ids: [A, B] });
    // 9:00 on a Monday in New York, after now.
    expect(local(body.until)).toMatch(/ 09:00$/);
    expect(new Intl.DateTimeFormat('en-US', { timeZone: ZONE, weekday: 'long' }).format(new Date(body.until))).toBe('Monday');
    expect(Date.parse(body.until)).toBeGreaterThan(Date.now());
    expect(await screen.findByText(/^Rescheduled 2 tasks to Mon/)).toBeInTheDocument();
  });
});
