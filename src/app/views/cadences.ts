import type { Cadence, CadenceSummary } from '../../contract/cadences.ts';
import type { Module } from '../../contract/enums.ts';
import type { CadenceDefinition } from '../../domain/cadence.ts';
import { definitionToView } from '../../domain/cadence-definition.ts';
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

/** A row of the cadence list: no definition. */
export function toCadenceSummary(r: Pick<CadenceRow, 'id' | 'name' | 'module' | 'status' | 'version' | 'created_at' | 'updated_at'>): CadenceSummary {
  return {
    id: r.id, name: r.name, module: r.module as Module, status: r.status, version: r.version,
    createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}
