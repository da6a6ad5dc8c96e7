import {
  AUTO_ENROLL_COUNT_MAX, type CadenceInput, type CadencePatch, type PreviewBody, type PreviewResult,
} from '../contract/cadences.ts';
import type { FieldCriterion } from '../contract/cadences.ts';
import type { Module } from '../contract/enums.ts';
import type { MergeField } from '../contract/merge-fields.ts';
import type { CadenceDefinition } from '../domain/cadence.ts';
import { buildDefinition, definitionToView } from '../domain/cadence-definition.ts';
import { missingMergeFields } from '../domain/merge-draft.ts';
import { customFieldPath, customMergeField, MERGE_FIELDS } from '../domain/merge-fields.ts';
import { filterMatches } from '../domain/rules.ts';
import { isHtmlTemplate } from '../domain/template.ts';
import { customFieldNames, deleteDraftCadence } from '../store/cadence-admin.repository.ts';
import { findCadence, insertCadence, liveEnrollmentCountsByVersion, lockCadence } from '../store/cadence.repository.ts';
import { findLeadsOfModuleAfter, findLeadsWithOwners, type LeadWithOwner } from '../store/lead.repository.ts';
import type { CadenceRow } from '../store/schema.ts';
import { assertAdmin, assertOwns, type Actor } from './actor.ts';
import { patchCadence, type CadenceView } from './cadences.ts';
import type { AppContext } from './context.ts';
import { AppError, invalidState, notFound } from './errors.ts';
import { buildTask, ContentError, mergeContext, renderEmailContent, replySubject, type Content } from './step-content.ts';
import { toCadenceView } from './views/cadences.ts';
import { toLead } from './views/leads.ts';

/**
 * `PATCH /api/cadences/:id` with what the UI says after it: the version saved and how
 * many live enrolments follow it from their next step.
 */
export async function patchCadenceAndCount(ctx: AppContext, actor: Actor, id: string, patch: CadencePatch) {
  const saved = await patchCadence(ctx, actor, id, patch);
  const live = await liveEnrollmentCountsByVersion(ctx.db, id);
  return { ...saved, previousVersion: saved.version - 1, runningEnrollments: live.reduce((sum, v) => sum + Number(v.n), 0) };
}

/** `POST /api/cadences/:id/clone`: a draft copy named "Copy of …", with the same steps, boosts and settings. */
export async function cloneCadence(ctx: AppContext, actor: Actor, id: string): Promise<CadenceView> {
  assertAdmin(actor);
  const source = await findCadence(ctx.db, id);
  if (!source) throw notFound('cadence', id);
  const now = ctx.clock.now();
  const row: CadenceRow = {
    id: ctx.newId(), name: `Copy of ${source.row.name}`.slice(0, 200), module: source.definition.module, status: 'draft', version: 1,
    created_by: actor.id, created_at: now, updated_at: now,
  };
  await ctx.db.transaction().execute((trx) => insertCadence(trx, row, source.definition));
  return toCadenceView(row, source.definition);
}

/** `DELETE /api/cadences/:id`: a draft goes, with its enrolments (which never ran); any other is archived instead (409). */
export async function deleteCadence(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertAdmin(actor);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await lockCadence(trx, id);
    if (!row) throw notFound('cadence', id);
    if (row.status !== 'draft') {
      throw invalidState(`cadence ${id} is ${row.status}: only a draft can be deleted; archive it instead (POST /api/cadences/${id}/archive)`);
    }
    await deleteDraftCadence(trx, id);
  });
}

// ---- preview ----

/**
 * `POST /api/cadences/:id/preview`: every step rendered for one lead as the engine
 * would (src/app/step-content.ts), with the merge fields that lead has no value for.
 * `definition`, an unsaved edit, is checked as a save would check it (a 400 names its
 * fields under `body.definition.`) and rendered instead of the saved one; a merge field
 * no lead can have, which the save refuses, is rendered empty and listed as missing.
 */
export async function previewCadence(ctx: AppContext, actor: Actor, id: string, body: PreviewBody): Promise<PreviewResult> {
  const stored = await findCadence(ctx.db, id);
  if (!stored) throw notFound('cadence', id);
  const who = (await findLeadsWithOwners(ctx.db, [body.recordId])).get(body.recordId);
  if (!who) throw notFound('lead', body.recordId);
  assertOwns(actor, who.lead.owner_id, 'lead', body.recordId);
  let def = stored.definition;
  let name = stored.row.name;
  if (body.definition) {
    const merged = { ...definitionToView(name, def), ...body.definition } as CadenceInput;
    const built = buildDefinition(merged, ctx.newId, { unknownMergeFields: 'allow' });
    if (!built.ok) {
      const details = built.error.details.map((d) => ({ ...d, path: `body.definition.${d.path}` }));
      throw new AppError('invalid_cadence', details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
    }
    def = built.value;
    name = merged.name;
  }
  return { recordId: body.recordId, steps: previewSteps(def, name, who, ctx.clock.now()) };
}

function previewSteps(def: CadenceDefinition, cadenceName: string, who: LeadWithOwner, now: Date): PreviewResult['steps'] {
  const merge = mergeContext(who, cadenceName);
  let previousSubject: string | null = null;
  return def.steps.map((step, index) => {
    const content: Content = step;
    const missing = new Set<string>();
    const note = (source: string | null, mode: 'text' | 'html') => {
      if (source) for (const f of safeMissing(source, mode, merge)) missing.add(f);
    };
    const out: PreviewResult['steps'][number] = { stepId: step.id, index, type: step.type, missing: [] };
    try {
      if (step.type === 'email') {
        const email = renderEmailContent(content, merge);
        const html = isHtmlTemplate(step.body ?? '');
        // Threaded, the engine answers the previous email's subject (the actual one sent; here, as rendered).
        out.subject = step.threadWithPrevious && previousSubject !== null ? replySubject(previousSubject) : email.subject || '(no subject)';
        out.body = html ? email.html : email.text;
        out.bodyFormat = html ? 'html' : 'text';
        previousSubject = out.subject;
        note(step.subject, 'text');
        note(step.body, html ? 'html' : 'text');
      }
      if (step.type !== 'email' || step.mode === 'manual') {
        const task = buildTask(content, who, cadenceName, { id: '', enrollmentId: '', stepId: step.id, boostId: null, ownerId: null }, now, now);
        out.title = task.title;
        if (step.type !== 'email' && task.body) out.instructions = task.body;
        note(step.title, 'text');
        note(step.instructions, 'text');
      }
    } catch (e) {
      if (!(e instanceof ContentError)) throw e;
      out.error = e.message;
    }
    out.missing = [...missing];
    return out;
  });
}

/** The merge fields a template prints without a value for this lead; none when it cannot be rendered (the step's `error` says why). */
function safeMissing(source: string, mode: 'text' | 'html', merge: ReturnType<typeof mergeContext>): string[] {
  try {
    return missingMergeFields(source, mode, merge);
  } catch {
    return [];
  }
}

// ---- merge fields ----

/** `GET /api/merge-fields`: the standard fields, then the custom fields the newest leads carry. */
export async function listMergeFields(ctx: AppContext): Promise<MergeField[]> {
  const snippet = (field: string) => `{{${field} | fallback: ""}}`;
  const custom = await customFieldNames(ctx.db);
  return [
    ...MERGE_FIELDS.map((f) => ({ ...f, snippet: snippet(f.field) })),
    ...custom.map((c) => ({ ...customMergeField(c.name, c.example ?? ''), snippet: snippet(customFieldPath(c.name)) })),
  ];
}

// ---- automatic enrolment: matches now ----

const MATCH_CHUNK = 5000;
/** The time one count may take; past it the count so far is answered with `atLeast`. */
export const AUTO_ENROLL_COUNT_MS = 2000;

/**
 * `POST /api/cadences/auto-enroll/matches`: how many records of the module match an
 * automatic-enrolment filter now, by the engine's own rule (filterMatches, as
 * src/app/auto-enroll.ts enrols), scanned in chunks: stops at AUTO_ENROLL_COUNT_MAX
 * or after AUTO_ENROLL_COUNT_MS, then answering the count so far with `atLeast`.
 */
export async function countAutoEnrollMatches(ctx: AppContext, filter: FieldCriterion[], module: Module = 'lead') {
  const deadline = performance.now() + AUTO_ENROLL_COUNT_MS;
  let count = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const chunk = await findLeadsOfModuleAfter(ctx.db, module, after, MATCH_CHUNK);
    for (const lead of chunk) if (filterMatches(toLead(lead), filter)) count++;
    if (chunk.length < MATCH_CHUNK) return { count: Math.min(count, AUTO_ENROLL_COUNT_MAX), atLeast: count > AUTO_ENROLL_COUNT_MAX };
    after = chunk[chunk.length - 1].id;
    if (count >= AUTO_ENROLL_COUNT_MAX || performance.now() > deadline) {
      return { count: Math.min(count, AUTO_ENROLL_COUNT_MAX), atLeast: true };
    }
  }
}

