import { sql } from 'kysely';
import type { CadenceDefinition } from '../domain/cadence.ts';
import type { Handle, Trx } from './database.ts';
import type { CadenceRow } from './schema.ts';

export interface StoredCadence {
  row: CadenceRow;
  definition: CadenceDefinition;
}

export async function insertCadence(h: Handle, row: CadenceRow, definition: CadenceDefinition): Promise<void> {
  await h.insertInto('cadences').values(row).execute();
  await h
    .insertInto('cadence_versions')
    .values({ cadence_id: row.id, version: row.version, definition: JSON.stringify(definition), created_at: row.created_at })
    .execute();
}

/** Saves an edit as a new version; history (older versions) is kept as it was. */
export async function insertVersion(
  h: Handle,
  cadenceId: string,
  version: number,
  name: string,
  definition: CadenceDefinition,
  now: Date,
): Promise<void> {
  await h
    .insertInto('cadence_versions')
    .values({ cadence_id: cadenceId, version, definition: JSON.stringify(definition), created_at: now })
    .execute();
  await h
    .updateTable('cadences')
    .set({ version, name, module: definition.module, updated_at: now })
    .where('id', '=', cadenceId)
    .execute();
}

/** The cadences with the definition of their current version, in one query. */
export async function findCadences(h: Handle, ids: string[]): Promise<Map<string, StoredCadence>> {
  const result = new Map<string, StoredCadence>();
  if (ids.length === 0) return result;
  const rows = await h
    .selectFrom('cadences as c')
    .innerJoin('cadence_versions as v', (j) => j.onRef('v.cadence_id', '=', 'c.id').onRef('v.version', '=', 'c.version'))
    .selectAll('c')
    .select('v.definition')
    .where('c.id', 'in', [...new Set(ids)])
    .execute();
  for (const { definition, ...row } of rows) {
    result.set(row.id, { row, definition: definition as CadenceDefinition });
  }
  return result;
}

/** The step ids, in order, of given versions of cadences, keyed `cadenceId:version`. */
export async function findVersionSteps(h: Handle, wanted: Array<{ cadenceId: string; version: number }>): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (wanted.length === 0) return result;
  const { rows } = await sql<{ cadence_id: string; version: number; definition: CadenceDefinition }>`
    select v.cadence_id, v.version, v.definition from cadence_versions v
    join unnest(${wanted.map((w) => w.cadenceId)}::uuid[], ${wanted.map((w) => w.version)}::int[]) as w(cadence_id, version)
      on v.cadence_id = w.cadence_id and v.version = w.version`.execute(h);
  for (const r of rows) result.set(`${r.cadence_id}:${r.version}`, r.definition.steps.map((s) => s.id));
  return result;
}

export async function findCadence(h: Handle, id: string): Promise<StoredCadence | undefined> {
  return (await findCadences(h, [id])).get(id);
}

/** The cadence row, locked for an edit. */
export async function lockCadence(trx: Trx, id: string): Promise<CadenceRow | undefined> {
  return trx.selectFrom('cadences').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function setCadenceStatus(h: Handle, id: string, status: CadenceRow['status'], now: Date): Promise<void> {
  await h.updateTable('cadences').set({ status, updated_at: now }).where('id', '=', id).execute();
}

/** Running (active or paused) cadences with their current definitions. */
export async function runningCadenceDefinitions(h: Handle): Promise<Array<{ id: string; version: number; status: string; definition: CadenceDefinition }>> {
  const rows = await h
    .selectFrom('cadences as c')
    .innerJoin('cadence_versions as v', (j) => j.onRef('v.cadence_id', '=', 'c.id').onRef('v.version', '=', 'c.version'))
    .select(['c.id', 'c.version', 'c.status', 'v.definition'])
    .where('c.status', 'in', ['active', 'paused'])
    .execute();
  return rows.map((r) => ({ id: r.id, version: r.version, status: r.status, definition: r.definition as CadenceDefinition }));
}

/** Running cadences whose end date has come: the engine's sweep asks every pass, so the database filters. */
export async function runningCadencesPastEndDate(h: Handle, now: Date): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select c.id from cadences c
    join cadence_versions v on v.cadence_id = c.id and v.version = c.version
    where c.status in ('active', 'paused')
      and v.definition->'exitOn'->>'endDate' is not null
      and (v.definition->'exitOn'->>'endDate')::timestamptz <= ${now}`.execute(h);
  return rows.map((r) => r.id);
}

/** Up to `limit` live enrolments of these cadences. */
export async function liveEnrollmentIdsOfCadences(h: Handle, cadenceIds: string[], limit: number): Promise<string[]> {
  if (cadenceIds.length === 0) return [];
  const rows = await h
    .selectFrom('enrollments')
    .select('id')
    .where('cadence_id', 'in', cadenceIds)
    .where('status', 'in', ['pending', 'active', 'paused'])
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** How many live enrolments of a cadence follow each of its versions. */
export async function liveEnrollmentCountsByVersion(h: Handle, cadenceId: string): Promise<Array<{ cadence_version: number; n: string }>> {
  return h
    .selectFrom('enrollments')
    .select(['cadence_version', (eb) => eb.fn.countAll<string>().as('n')])
    .where('cadence_id', '=', cadenceId)
    .where('status', 'in', ['pending', 'active', 'paused'])
    .groupBy('cadence_version')
    .execute();
}
