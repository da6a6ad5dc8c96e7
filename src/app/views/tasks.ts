import type { Priority } from '../../contract/enums.ts';
import type { Task, TaskItem } from '../../contract/tasks.ts';
import type { TaskRow } from '../../store/schema.ts';
import { SKIPPED_OUTCOME } from '../../store/task.repository.ts';
import type { TaskQueueRow } from '../../store/task-queue.repository.ts';

/** Tasks as the API answers them. */

export const toTask = (r: TaskRow): Task => ({
  id: r.id,
  type: r.type,
  title: r.title,
  ...(r.body !== null ? { body: r.body } : {}),
  ...(r.subject !== null ? { subject: r.subject } : {}),
  priority: r.priority as Priority,
  dueAt: r.due_at.toISOString(),
  status: r.status,
  ...(r.outcome === SKIPPED_OUTCOME && r.status === 'cancelled' ? { skipped: true as const } : r.outcome ? { outcome: r.outcome } : {}),
  ...(r.note ? { note: r.note } : {}),
  recordId: r.record_id,
  enrollmentId: r.enrollment_id,
  stepId: r.step_id,
  ...(r.boost_id ? { boostId: r.boost_id } : {}),
  ownerId: r.owner_id,
  ...(r.completed_at ? { completedAt: r.completed_at.toISOString() } : {}),
});

/** A row of the rep's queue: the task with what the row shows about its lead and cadence. */
export function toTaskItem(r: TaskQueueRow): TaskItem {
  const name = [r.lead_first_name, r.lead_last_name].filter((p) => p && p.trim()).join(' ');
  return {
    ...toTask(r),
    lead: { id: r.record_id, name: name || null, email: r.lead_email, company: r.lead_company, phone: r.lead_phone, timezone: r.lead_timezone },
    cadence: r.cadence_ref && r.cadence_name !== null ? { id: r.cadence_ref, name: r.cadence_name } : null,
    stepIndex: r.step_index ?? null,
    stepCount: r.step_count === null || r.step_count === undefined ? null : Number(r.step_count),
    hot: r.hot_reason !== null,
    ...(r.hot_reason ? { hotReason: r.hot_reason, ...(r.hot_at ? { hotAt: r.hot_at.toISOString() } : {}) } : {}),
  };
}
