import { useQuery } from '@tanstack/react-query';
import type { TaskItem } from '@contract/tasks.ts';
import { cadenceQuery } from '../enrollments/enrollments.queries.ts';

/**
 * What a call's outcome can end: the exit rules of the task's cadence (`GET
 * /api/cadences/:id`, which any signed-in user may read; cached with the lead page's
 * reads of it). The enrolment exits by its cadence's current rules.
 */
export function useTaskExitRules(task: Pick<TaskItem, 'cadence' | 'type'>) {
  const id = task.cadence?.id ?? '';
  return useQuery({
    ...cadenceQuery(id),
    enabled: id !== '' && task.type === 'call',
    select: (c) => ({ name: c.name, onMeeting: c.exitOn.onMeeting, callOutcomes: c.exitOn.callOutcomes }),
  });
}
