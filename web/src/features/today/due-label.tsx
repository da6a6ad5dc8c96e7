import { cn } from '@/lib/cn.ts';
import { dateTime, relativeTime } from './format.ts';
import { startOfDay } from './zoned-time.ts';

/**
 * When a task is due, relative to now: red once it is overdue (due before today began
 * in the rep's zone), dark when it is due earlier today, plain when still ahead.
 */
export function DueLabel({ dueAt, now, zone, className }: { dueAt: string; now: Date; zone: string; className?: string }) {
  const due = new Date(dueAt);
  const overdue = due < startOfDay(now, zone);
  const past = due <= now;
  return (
    <time
      dateTime={dueAt}
      title={dateTime(due, zone, now)}
      className={cn('whitespace-nowrap tabular-nums', overdue ? 'font-medium text-red-700' : past ? 'text-zinc-900' : 'text-zinc-700', className)}
    >
      Due {relativeTime(due, now)}
      {overdue && <span className="sr-only"> (overdue)</span>}
    </time>
  );
}
