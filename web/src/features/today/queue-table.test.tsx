import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderInRouter, taskItem, ZONE } from './focus-mode.fixtures.tsx';
import { QueueTable } from './queue-table.tsx';

afterEach(() => vi.unstubAllGlobals());

const now = new Date('2026-11-30T14:00:00Z'); // 14:00 in London, 15:00 in Paris, 06:00 in Los Angeles
const hot = taskItem(1, {
  title: 'Call Ada', hot: true, hotReason: 'clicked', hotAt: '2026-11-30T12:00:00Z',
  lead: { id: 'l1', name: 'Ada Lovelace', email: 'ada@example.com', company: 'Acme', phone: null, timezone: 'Europe/Paris' },
});
const early = taskItem(2, {
  title: 'Call Grace', type: 'call', stepIndex: 2, stepCount: 7, dueAt: '2026-11-28T09:00:00Z',
  lead: { id: 'l2', name: 'Grace Hopper', email: 'grace@example.com', company: 'Globex', phone: null, timezone: 'America/Los_Angeles' },
});

describe('a row of the queue', () => {
  it('says why a lead is hot and when, the lead\u2019s local time (and when it is outside office hours), and the step', async () => {
    renderInRouter(
      <QueueTable
        items={[hot, early]} now={now} zone={ZONE} orgZone={ZONE} selectable={false} selected={new Set()}
        onToggle={vi.fn()} onToggleAll={vi.fn()} activeId={undefined} onActivate={vi.fn()} onOpen={vi.fn()} caption="Tasks due today"
      />,
    );
    const table = await screen.findByRole('table', { name: 'Tasks due today' }, { timeout: 10_000 });
    const [, first, second] = within(table).getAllByRole('row');
    expect(first).toHaveTextContent('Clicked: Clicked a link in an email 2 hours ago (Mon 30 Nov, 12:00): hot leads come first.');
    expect(within(first!).getByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/leads/l1');
    expect(first).toHaveTextContent('15:00 in Paris');
    expect(first).not.toHaveTextContent('outside');
    expect(second).toHaveTextContent('06:00 in Los Angeles: outside 9:00–18:00 there');
    expect(second).toHaveTextContent('Step 3 of 7');
    expect(second).toHaveTextContent('Due 2 days ago (overdue)');
  });
});
