import { Mail, Phone, SquareCheckBig, type LucideIcon } from 'lucide-react';
import type { TaskType } from '@contract/enums.ts';
import type { TaskItem } from '@contract/tasks.ts';
import { cn } from '@/lib/cn.ts';

const KINDS: Record<TaskType, { icon: LucideIcon; label: string; className: string }> = {
  call: { icon: Phone, label: 'Call', className: 'text-emerald-700' },
  email: { icon: Mail, label: 'Manual email', className: 'text-sky-700' },
  task: { icon: SquareCheckBig, label: 'To-do', className: 'text-violet-700' },
};

export const taskKindLabel = (type: TaskType) => KINDS[type].label;

/** The task's kind as an icon, named for screen readers. */
export function TaskKindIcon({ type, className }: { type: TaskType; className?: string }) {
  const { icon: Icon, label, className: tone } = KINDS[type];
  return (
    <span className={cn('inline-flex shrink-0', tone, className)} title={label}>
      <Icon className="size-full" aria-hidden="true" />
      <span className="sr-only">{label}:</span>
    </span>
  );
}

/** "Step 3 of 7", or what a task outside a cadence's steps is. */
export function stepLabel(task: Pick<TaskItem, 'stepIndex' | 'stepCount' | 'boostId' | 'cadence'>): string | null {
  if (task.stepIndex !== null && task.stepCount !== null) return `Step ${task.stepIndex + 1} of ${task.stepCount}`;
  if (task.boostId) return 'Boost';
  return task.cadence ? null : 'Not in a cadence';
}
