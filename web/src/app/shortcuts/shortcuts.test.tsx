import { screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/test/render.tsx';
import { useShortcut } from './shortcuts.tsx';

function QueuePage({ onNext }: { onNext: () => void }) {
  useShortcut('j', 'Next task', onNext, { group: 'Today' });
  useShortcut('ArrowDown', 'Next task', onNext, { group: 'Today' });
  useShortcut('g t', 'Go to Today', () => {}, { group: 'Navigation' });
  return <label>Note <input /></label>;
}

describe('keyboard shortcuts in the app', () => {
  it('? lists what the mounted pages registered, by group', async () => {
    const { user } = renderWithProviders(<QueuePage onNext={vi.fn()} />);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await user.keyboard('?');
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(dialog).getByRole('heading', { name: 'Today' })).toBeInTheDocument();
    // j and ↓ do the same: one row, "J or ↓".
    const next = within(dialog).getByText('Next task').parentElement!;
    expect(next).toHaveTextContent(/^Next taskJor↓$/);
    expect(within(dialog).getByText('Go to Today')).toBeInTheDocument();
    expect(within(dialog).getByText('Show keyboard shortcuts')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('ignores shortcuts while the user types in a field, and runs them again after', async () => {
    const onNext = vi.fn();
    const { user } = renderWithProviders(<QueuePage onNext={onNext} />);
    const input = screen.getByRole('textbox', { name: 'Note' });
    await user.click(input);
    await user.keyboard('j?');
    expect(input).toHaveValue('j?');
    expect(onNext).not.toHaveBeenCalled();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    input.blur();
    await user.keyboard('j');
    expect(onNext).toHaveBeenCalledTimes(1);
  });

  it('forgets a page\'s shortcuts when the page goes away', async () => {
    const onNext = vi.fn();
    function App() {
      const [open, setOpen] = useState(true);
      return <>{open && <QueuePage onNext={onNext} />}<button type="button" onClick={() => setOpen(false)}>Leave</button></>;
    }
    const { user } = renderWithProviders(<App />);
    await user.click(screen.getByRole('button', { name: 'Leave' }));
    await user.keyboard('j?');
    expect(onNext).not.toHaveBeenCalled();
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(dialog).queryByText('Next task')).not.toBeInTheDocument();
  });
});
