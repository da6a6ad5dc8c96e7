import { useCallback, useEffect, useMemo, type ReactNode } from 'react';
import type { TaskDueBucket } from '@contract/enums.ts';
import { useShortcut } from '@/app/shortcuts/shortcuts.tsx';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import type { Queue } from '@/data/tasks/index.ts';
import { useRowSelection } from '@/lib/use-row-selection.ts';
import { BulkBar } from './bulk-bar.tsx';
import { QueueTable } from './queue-table.tsx';

const TAB_NAMES: Record<TaskDueBucket, string> = { overdue: 'Overdue tasks', today: 'Tasks due today', upcoming: 'Upcoming tasks' };

/**
 * One tab of the queue: the table, the keyboard cursor (j/k, arrows, Enter), and on the
 * overdue tab the selection for bulk actions (x, shift+x for a range, a checkbox,
 * shift+click).
 */
export function QueueView({ due, queue, now, zone, orgZone, activeId, onActivate, onOpen, focusActive, empty }: {
  due: TaskDueBucket;
  queue: Queue;
  now: Date;
  zone: string;
  orgZone: string;
  activeId: string | undefined;
  onActivate: (id: string | undefined) => void;
  onOpen: (id: string) => void;
  /** Put keyboard focus on the active row when shown (coming back from focus mode). */
  focusActive: boolean;
  empty: ReactNode;
}) {
  const { items } = queue;
  const selectable = due === 'overdue';
  // Rows that leave the queue (done in focus mode, bulk-changed) leave the selection.
  const ids = useMemo(() => items.map((t) => t.id), [items]);
  const { selected, toggle: toggleRows, toggleAll, clear } = useRowSelection(ids);
  // The cursor stays on a row that exists: the first when none (or the one it was on left).
  const active = items.some((t) => t.id === activeId) ? activeId : items[0]?.id;

  const focusRow = (id: string | undefined) => {
    if (!id) return;
    document.querySelector<HTMLElement>(`tr[data-task-id="${CSS.escape(id)}"]`)?.focus();
  };
  useEffect(() => {
    if (focusActive) focusRow(active);
    // Only when the view comes back, not on every move.
  }, [focusActive]);

  const move = (delta: number) => {
    if (items.length === 0) return;
    const at = items.findIndex((t) => t.id === active);
    const to = items[Math.max(0, Math.min(items.length - 1, (at < 0 ? 0 : at + delta)))]!;
    onActivate(to.id);
    focusRow(to.id);
  };

  const toggle = useCallback((id: string, range: boolean) => {
    toggleRows(id, range);
    onActivate(id);
  }, [toggleRows, onActivate]);

  useShortcut('j', 'Move down the queue', () => move(1), { group: 'Today' });
  useShortcut('ArrowDown', 'Move down the queue', () => move(1), { group: 'Today' });
  useShortcut('k', 'Move up the queue', () => move(-1), { group: 'Today' });
  useShortcut('ArrowUp', 'Move up the queue', () => move(-1), { group: 'Today' });
  useShortcut('Enter', 'Open the task in focus mode', (event) => {
    // On a link or a button, Enter keeps its own meaning.
    const target = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('a, button') : null;
    if (target) target.click();
    else if (active) onOpen(active);
  }, { group: 'Today' });
  useShortcut('x', 'Select the task for bulk actions', () => active && toggle(active, false), { group: 'Today', enabled: selectable });
  useShortcut('shift+x', 'Select every task from the last one selected', () => active && toggle(active, true), { group: 'Today', enabled: selectable });
  useShortcut('Escape', 'Clear the selection', clear, { group: 'Today', enabled: selected.size > 0 });

  if (queue.isPending) return <div className="grid place-items-center py-16"><Spinner label="Loading your queue" /></div>;
  if (queue.isError) return <div className="px-6 py-6"><Alert title="Your queue could not be loaded">{queue.error?.message}</Alert></div>;
  if (items.length === 0) return <>{empty}</>;
  const chosen = items.filter((t) => selected.has(t.id)).map((t) => t.id);
  return (
    <>
      {selectable && chosen.length > 0 && (
        <BulkBar ids={chosen} zone={zone} now={now} onDone={clear} onClear={clear} />
      )}
      <QueueTable
        items={items}
        now={now}
        zone={zone}
        orgZone={orgZone}
        selectable={selectable}
        selected={selected}
        onToggle={toggle}
        onToggleAll={toggleAll}
        activeId={active}
        onActivate={onActivate}
        onOpen={onOpen}
        caption={TAB_NAMES[due]}
      />
      {queue.hasMore && (
        <div className="flex justify-center py-4">
          <Button onClick={queue.loadMore} loading={queue.isLoadingMore}>Show more</Button>
        </div>
      )}
      {selectable && chosen.length === 0 && (
        <p className="px-6 py-3 text-[12px] text-zinc-600">
          Select tasks with their checkbox or <kbd className="font-sans font-medium">x</kbd> (shift for a range) to skip or reschedule them together.
        </p>
      )}
    </>
  );
}
