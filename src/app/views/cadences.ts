import type { Cadence, CadenceSummary } from '../../contract/cadences.ts';
import type { Module } from '../../contract/enums.ts';
import type { CadenceDefinition } from '../../domain/cadence.ts';
import { definitionToView } from '../../domain/cadence-definition.ts';
import type { CadenceListRow } from '../../store/cadence-list.repository.ts';
import type { CadenceRow } from '../../store/schema.ts';

/** A cadence as the API answers it: its row's state beside its definition's view. */
export function toCadenceView(row: Pick<CadenceRow, 'id' | 'name' | 'module' | 'status' | 'version' | 'created_at' | 'updated_at'>, def: CadenceDefinition): Cadence {
  return {
    id: row.id,
    status: row.status,
    version: row.version,
    ...definitionToView(row.name, def),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const rate = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 10_000) / 10_000 : null);

/** A row of the cadence list: no definition; its enrolments per state, replies and meetings over those that started. */
export function toCadenceSummary(r: CadenceListRow): CadenceSummary {
  return {
    id: r.id, name: r.name, module: r.module as Module, status: r.status, version: r.version,
    createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
    stepCount: r.step_count,
    enrollments: { pending: r.pending, active: r.active, paused: r.paused, completed: r.completed, exited: r.exited, failed: r.failed },
    started: r.started,
    replied: r.replied,
    meetings: r.meetings,
    replyRate: rate(r.replied, r.started),
    meetingRate: rate(r.meetings, r.started),
  };
}
