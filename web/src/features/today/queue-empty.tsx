import type { ReactNode } from 'react';
import { CalendarCheck, CalendarClock, CircleCheckBig, PauseCircle } from 'lucide-react';
import type { TaskDueBucket } from '@contract/enums.ts';
import type { TaskItem } from '@contract/tasks.ts';
import type { TimeOff } from '@contract/users.ts';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { dateTime, plural, relativeTime } from './format.ts';

/**
 * An empty tab says why it is empty: time off, nothing due today (and when the next
 * task is), nothing overdue, nothing planned.
 */
export function QueueEmpty({ due, away, upcoming, overdueCount, todayCount, now, zone, onShowTab }: {
  due: TaskDueBucket;
  /** The time off running now, if any. */
  away: TimeOff | undefined;
  /** The upcoming tab's rows (the next one is the earliest). */
  upcoming: TaskItem[];
  overdueCount: number;
  todayCount: number;
  now: Date;
  zone: string;
  onShowTab: (due: TaskDueBucket) => void;
}) {
  if (away && due !== 'upcoming') {
    const until = new Date(away.to);
    return (
      <EmptyState icon={PauseCircle} title={`Time off until ${dateTime(until, zone, now)}`}>
        Your cadences are paused, so nothing of yours is {due === 'overdue' ? 'overdue' : 'due'} until you are back ({relativeTime(until, now)}).
        End the time off early from the banner above to get your queue back now.
      </EmptyState>
    );
  }
  const next = earliest(upcoming);
  const nextLine = next
    ? <>The next task, <strong className="font-medium text-zinc-900">{next.title}</strong>, is due {relativeTime(new Date(next.dueAt), now)} ({dateTime(new Date(next.dueAt), zone, now)}).</>
    : <>Nothing is planned after today either: tasks appear here when your cadences reach a call, a to-do or a manual email.</>;
  switch (due) {
    case 'today':
      return (
        <EmptyState
          icon={CalendarCheck}
          title="Nothing due today"
          action={overdueCount > 0 ? <ShowTab onClick={() => onShowTab('overdue')}>{plural(overdueCount, 'overdue task')} left: show them</ShowTab> : next ? <ShowTab onClick={() => onShowTab('upcoming')}>Show upcoming</ShowTab> : undefined}
        >
          {nextLine}
        </EmptyState>
      );
    case 'overdue':
      return (
        <EmptyState icon={CircleCheckBig} title="Nothing overdue" action={todayCount > 0 ? <ShowTab onClick={() => onShowTab('today')}>{plural(todayCount, 'task')} due today: show them</ShowTab> : undefined}>
          You are caught up: every task due before today is done, skipped or rescheduled.
        </EmptyState>
      );
    case 'upcoming':
      return (
        <EmptyState icon={CalendarClock} title="Nothing planned after today">
          Tasks appear here when your cadences schedule a call, a to-do or a manual email for a later day.
        </EmptyState>
      );
  }
}

function ShowTab({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return <button type="button" onClick={onClick} className="rounded text-sm font-medium text-accent-700 hover:underline">{children}</button>;
}

/** The soonest due of a tab's rows (hot ones come first in priority order, so not always the first row). */
export function earliest(items: TaskItem[]): TaskItem | undefined {
  return items.reduce<TaskItem | undefined>((min, t) => (!min || t.dueAt < min.dueAt ? t : min), undefined);
}
