import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, renderWithProviders } from '@/test/render.tsx';
import { TimeOffDialog } from './time-off-dialog.tsx';
import { snoozePresets, toDateTimeInputs } from './zoned-time.ts';

afterEach(() => vi.unstubAllGlobals());

const ZONE = 'Europe/London';
const USER = '30000000-0000-4000-8000-000000000001';
const PATH = `/api/users/${USER}/time-off`;

interface Seen { method: string; path: string; body: unknown }

/** The time-off routes over a list held here: GET lists it, POST adds, DELETE removes. */
function stubTimeOff(items: Array<{ id: string; userId: string; from: string; to: string; note?: string }>) {
  const writes: Seen[] = [];
  vi.stubGlobal('fetch', vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = new URL(String(input), 'http://localhost').pathname;
    const method = init?.method ?? 'GET';
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    if (method === 'GET' && path === PATH) return json(200, { items });
    writes.push({ method, path, body });
    if (method === 'POST' && path === PATH) {
      const created = { id: '40000000-0000-4000-8000-000000000009', userId: USER, ...(body as { from: string; to: string }) };
      items.push(created);
      return json(201, created);
    }
    if (method === 'DELETE' && path.startsWith(`${PATH}/`)) {
      items.splice(items.findIndex((t) => path.endsWith(t.id)), 1);
      return json(204, undefined);
    }
    return json(404, { error: { code: 'not_found', message: `no route ${method} ${path}` } });
  }));
  return writes;
}

function renderDialog() {
  const onOpenChange = vi.fn();
  const view = renderWithProviders(<TimeOffDialog open onOpenChange={onOpenChange} userId={USER} zone={ZONE} />);
  return { ...view, onOpenChange };
}

describe('"Pause my cadences until…"', () => {
  it('pauses from now until next Monday 9:00 in the rep\'s zone unless told otherwise, with the note', async () => {
    const writes = stubTimeOff([]);
    const { user, onOpenChange } = renderDialog();
    const dialog = await screen.findByRole('dialog', { name: 'Pause my cadences' });
    expect(await within(dialog).findByText('None: your cadences run as scheduled.')).toBeInTheDocument();

    await user.type(within(dialog).getByLabelText(/Note/), 'Holiday');
    await user.click(within(dialog).getByRole('button', { name: 'Pause my cadences' }));
    await waitFor(() => expect(onOpenChange).toHaveBeenCalledWith(false));
    expect(writes).toHaveLength(1);
    const { method, path, body } = writes[0]! as { method: string; path: string; body: { from: string; to: string; note: string } };
    expect({ method, path, note: body.note }).toEqual({ method: 'POST', path: PATH, note: 'Holiday' });
    // From now (to the minute, on the rep's clock), to next Monday 9:00 there.
    expect(Math.abs(Date.parse(body.from) - Date.now())).toBeLessThan(2 * 60_000);
    const monday = snoozePresets(new Date(), ZONE).find((p) => p.id === 'monday')!.until;
    expect(body.to).toBe(monday.toISOString());
    expect(await screen.findByText(/^Cadences paused until Mon/)).toBeInTheDocument();
  });

  it('refuses an end before the start at the field, asking the server nothing', async () => {
    const writes = stubTimeOff([]);
    const { user, onOpenChange } = renderDialog();
    const dialog = await screen.findByRole('dialog', { name: 'Pause my cadences' });
    const from = toDateTimeInputs(new Date(Date.now() + 2 * 86_400_000), ZONE);
    const to = toDateTimeInputs(new Date(Date.now() + 86_400_000), ZONE);
    fireEvent.change(within(dialog).getByLabelText('From: date'), { target: { value: from.date } });
    fireEvent.change(within(dialog).getByLabelText('From: time'), { target: { value: from.time } });
    fireEvent.change(within(dialog).getByLabelText('Until: date'), { target: { value: to.date } });
    fireEvent.change(within(dialog).getByLabelText('Until: time'), { target: { value: to.time } });
    await user.click(within(dialog).getByRole('button', { name: 'Pause my cadences' }));

    const until = within(dialog).getByRole('group', { name: 'Until' });
    expect(await within(until).findByRole('alert')).toHaveTextContent('The end must be after the start');
    expect(writes).toEqual([]);
    expect(onOpenChange).not.toHaveBeenCalled();
  });

  it('lists the time off running, and ends it now when asked', async () => {
    const running = { id: '40000000-0000-4000-8000-000000000001', userId: USER, from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 3 * 86_400_000).toISOString(), note: 'Conference' };
    const writes = stubTimeOff([running]);
    const { user } = renderDialog();
    const dialog = await screen.findByRole('dialog', { name: 'Pause my cadences' });
    const row = (await within(dialog).findByText('Conference')).closest('li')!;
    expect(row).toHaveTextContent('Now');
    await user.click(within(row).getByRole('button', { name: 'End now' }));
    await waitFor(() => expect(writes).toEqual([{ method: 'DELETE', path: `${PATH}/${running.id}`, body: undefined }]));
    expect(await screen.findByText('Welcome back: your cadences run again')).toBeInTheDocument();
    expect(await within(dialog).findByText('None: your cadences run as scheduled.')).toBeInTheDocument();
  });
});
