import type { HotReason } from '../contract/enums.ts';
import { toTask, type Task } from '../store/records.ts';
import type { TaskQueueRow } from '../store/task-queue.repository.ts';

/** A row of the rep's queue: the task with what the row shows about its lead and cadence. */
export interface TaskItem extends Task {
  lead: { id: string; name: string | null; email: string; company: string | null; phone: string | null; timezone: string | null };
  cadence: { id: string; name: string } | null;
  /** The step's position in its cadence version, from 0; null for a boost's task. */
  stepIndex: number | null;
  stepCount: number | null;
  hot: boolean;
  hotReason?: HotReason;
}

export function toTaskItem(r: TaskQueueRow): TaskItem {
  const name = [r.lead_first_name, r.lead_last_name].filter((p) => p && p.trim()).join(' ');
  return {
    ...toTask(r),
    lead: { id: r.record_id, name: name || null, email: r.lead_email, company: r.lead_company, phone: r.lead_phone, timezone: r.lead_timezone },
    cadence: r.cadence_ref && r.cadence_name !== null ? { id: r.cadence_ref, name: r.cadence_name } : null,
    stepIndex: r.step_index ?? null,
    stepCount: r.step_count === null || r.step_count === undefined ? null : Number(r.step_count),
    hot: r.hot_reason !== null,
    ...(r.hot_reason ? { hotReason: r.hot_reason } : {}),
  };
}
