import type { Cadence } from '../contract/cadences.ts';
import type { CadenceInput, CadencePatch, CadenceDefinition } from '../domain/cadence.ts';
import { buildDefinition, definitionToView } from '../domain/cadence-definition.ts';
import {
  findCadence, insertCadence, insertVersion, liveEnrollmentCountsByVersion, lockCadence, setCadenceStatus, type StoredCadence,
} from '../store/cadence.repository.ts';
import { listCadencesWithCounts } from '../store/cadence-list.repository.ts';
import type { CadenceRow } from '../store/schema.ts';
import { assertAdmin, type Actor } from './actor.ts';
import { autoEnrollExisting } from './auto-enroll.ts';
import type { AppContext } from './context.ts';
import { AppError, invalidState, notFound } from './errors.ts';
import { toCadenceSummary, toCadenceView } from './views/cadences.ts';

export type CadenceView = Cadence;

function definitionOrThrow(ctx: AppContext, input: CadenceInput): CadenceDefinition {
  const built = buildDefinition(input, ctx.newId);
  if (!built.ok) {
    // Named as the request names them, like schema errors: body.steps.0.subject.
    const details = built.error.details.map((d) => ({ ...d, path: `body.${d.path}` }));
    throw new AppError('invalid_cadence', details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
  }
  return built.value;
}

/** Admins build cadences; reps read them and enrol their leads. */
export async function createCadence(ctx: AppContext, actor: Actor, input: CadenceInput): Promise<CadenceView> {
  assertAdmin(actor);
  const def = definitionOrThrow(ctx, input);
  const now = ctx.clock.now();
  const row: CadenceRow = {
    id: ctx.newId(), name: input.name, module: def.module, status: 'draft', version: 1,
    created_by: actor.id, created_at: now, updated_at: now,
  };
  await ctx.db.transaction().execute((trx) => insertCadence(trx, row, def));
  return toCadenceView(row, def);
}

async function load(ctx: AppContext, id: string): Promise<StoredCadence> {
  const found = await findCadence(ctx.db, id);
  if (!found) throw notFound('cadence', id);
  return found;
}

/** The cadence, with how many live enrolments follow each of its versions. Every user reads cadences (a rep enrols into them). */
export async function getCadence(ctx: AppContext, _actor: Actor, id: string): Promise<CadenceView & { enrollmentsByVersion: Record<string, number> }> {
  const { row, definition } = await load(ctx, id);
  const byVersion = await liveEnrollmentCountsByVersion(ctx.db, id);
  return {
    ...toCadenceView(row, definition),
    enrollmentsByVersion: Object.fromEntries(byVersion.map((v) => [String(v.cadence_version), Number(v.n)])),
  };
}

export async function listCadenceViews(ctx: AppContext, _actor: Actor) {
  return (await listCadencesWithCounts(ctx.db)).map(toCadenceSummary);
}

/**
 * An edit saves a new version. Running enrolments keep their step pointer (steps keep
 * their ids) and follow the new version from their next step; history is untouched.
 */
export async function patchCadence(ctx: AppContext, actor: Actor, id: string, patch: CadencePatch): Promise<CadenceView> {
  assertAdmin(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const current = await lockCadence(trx, id);
    if (!current) throw notFound('cadence', id);
    if (current.status === 'archived') throw invalidState(`cadence ${id} is archived and can no longer be edited`);
    const existing = (await findCadence(trx, id))!;
    const merged: CadenceInput = { ...definitionToView(current.name, existing.definition), ...patch } as CadenceInput;
    const def = definitionOrThrow(ctx, merged);
    const now = ctx.clock.now();
    await insertVersion(trx, id, current.version + 1, merged.name, def, now);
    return toCadenceView({ ...current, name: merged.name, module: def.module, version: current.version + 1, updated_at: now }, def);
  });
}

const TRANSITIONS: Record<'activate' | 'pause' | 'archive', { to: CadenceRow['status']; from: CadenceRow['status'][] }> = {
  activate: { to: 'active', from: ['draft', 'paused', 'active'] },
  pause: { to: 'paused', from: ['active', 'paused'] },
  archive: { to: 'archived', from: ['draft', 'active', 'paused', 'archived'] },
};

/** `POST /api/cadences/:id/activate|pause|archive`: an admin's. */
export async function changeCadenceStatus(ctx: AppContext, actor: Actor, id: string, action: keyof typeof TRANSITIONS): Promise<CadenceView> {
  assertAdmin(actor);
  return transitionCadence(ctx, id, action);
}

/** Moves a cadence through its lifecycle, for an admin's request or the server's own setup (demo, tests). */
export async function transitionCadence(ctx: AppContext, id: string, action: keyof typeof TRANSITIONS): Promise<CadenceView> {
  const { row, definition } = await load(ctx, id);
  const t = TRANSITIONS[action];
  if (!t.from.includes(row.status)) throw invalidState(`a ${row.status} cadence cannot ${action}`);
  const now = ctx.clock.now();
  await setCadenceStatus(ctx.db, id, t.to, now);
  if (action === 'activate' && row.status !== 'active') {
    await autoEnrollExisting(ctx, { id, version: row.version, definition });
  }
  return toCadenceView({ ...row, status: t.to, updated_at: now }, definition);
}
