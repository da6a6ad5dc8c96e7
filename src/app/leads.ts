import type { Insertable, Updateable } from 'kysely';
import { issuesToDetails } from '../contract/common.ts';
import { leadInput, type LeadInput, type LeadPatch } from '../contract/leads.ts';
import { findUnstorableText } from '../domain/storable-text.ts';
import { findLead, findLeads, insertLeads, updateLead } from '../store/lead.repository.ts';
import { existingUserIds, userExists } from '../store/user.repository.ts';
import { autoEnroll, hasAutoEnrollCadences } from './auto-enroll.ts';
import type { Lead } from '../contract/leads.ts';
import { toLead } from './views/leads.ts';
import type { LeadTable } from '../store/schema.ts';
import { assertOwns, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { AppError, invalid, notFound } from './errors.ts';
import { exitOnCriteria } from './exits.ts';
import { applySignal } from './signals.ts';

export async function createLead(ctx: AppContext, actor: Actor, input: LeadInput): Promise<Lead> {
  const ownerId = await checkOwner(ctx, actor, input.ownerId);
  const row = leadRow(ctx, input, ownerId);
  await ctx.db.transaction().execute(async (trx) => {
    await insertLeads(trx, [row]);
    await autoEnroll(ctx, trx, await findLeads(trx, [row.id as string]));
  });
  return getLead(ctx, actor, row.id);
}

export interface BulkResult {
  created: string[];
  rejected: Array<{ index: number; reason: string }>;
}

/** Valid records are created even when others are rejected; each rejection says why. */
export async function createLeadsBulk(ctx: AppContext, actor: Actor, records: unknown[]): Promise<BulkResult> {
  const result: BulkResult = { created: [], rejected: [] };
  const valid: Array<{ index: number; input: LeadInput }> = [];
  records.forEach((record, index) => {
    const unstorable = findUnstorableText(record, '');
    if (unstorable) {
      result.rejected.push({ index, reason: `${unstorable.path || '(record)'}: ${unstorable.message}` });
      return;
    }
    const parsed = leadInput.safeParse(record);
    if (parsed.success) valid.push({ index, input: parsed.data });
    else result.rejected.push({ index, reason: issuesToDetails(parsed.error.issues).map((d) => `${d.path}: ${d.message}`).join('; ') });
  });
  const ownerIds = [...new Set(valid.map((v) => v.input.ownerId).filter((x): x is string => !!x))];
  const known = new Set(await existingUserIds(ctx.db, ownerIds));
  const rows: Insertable<LeadTable>[] = [];
  for (const { index, input } of valid) {
    if (input.ownerId && !known.has(input.ownerId)) {
      result.rejected.push({ index, reason: `ownerId: no user ${input.ownerId}` });
    } else if (actor.role !== 'admin' && input.ownerId && input.ownerId !== actor.id) {
      result.rejected.push({ index, reason: 'ownerId: a rep creates records for itself only' });
    } else {
      const row = leadRow(ctx, input, input.ownerId ?? actor.id);
      rows.push(row);
      result.created.push(row.id);
    }
  }
  await ctx.db.transaction().execute(async (trx) => {
    await insertLeads(trx, rows);
    if (rows.length > 0 && (await hasAutoEnrollCadences(trx))) await autoEnroll(ctx, trx, await findLeads(trx, result.created));
  });
  result.rejected.sort((a, b) => a.index - b.index);
  return result;
}

export async function getLead(ctx: AppContext, actor: Actor, id: string): Promise<Lead> {
  const row = await findLead(ctx.db, id);
  if (!row) throw notFound('record', id);
  assertOwns(actor, row.owner_id, 'record', id);
  return toLead(row);
}

/**
 * A field update is a signal: field-criteria exits are evaluated on the new values.
 * Answers the lead as written, even when the rep gave it away (`ownerId: null`) and can
 * no longer read it: a committed write never answers an error.
 */
export async function patchLead(ctx: AppContext, actor: Actor, id: string, patch: LeadPatch): Promise<Lead> {
  await getLead(ctx, actor, id);
  const ownerId = patch.ownerId === undefined ? undefined : patch.ownerId === null ? null : await checkOwner(ctx, actor, patch.ownerId);
  const changes: Updateable<LeadTable> = { updated_at: ctx.clock.now() };
  if (patch.email !== undefined) changes.email = patch.email;
  if (patch.firstName !== undefined) changes.first_name = patch.firstName;
  if (patch.lastName !== undefined) changes.last_name = patch.lastName;
  if (patch.company !== undefined) changes.company = patch.company;
  if (patch.phone !== undefined) changes.phone = patch.phone;
  if (patch.status !== undefined) changes.status = patch.status;
  if (patch.timezone !== undefined) changes.timezone = patch.timezone;
  if (patch.module !== undefined) changes.module = patch.module;
  if (ownerId !== undefined) changes.owner_id = ownerId;
  const updated = await ctx.db.transaction().execute(async (trx) => {
    if (patch.fields !== undefined) {
      const current = await findLead(trx, id);
      changes.fields = JSON.stringify({ ...(current?.fields ?? {}), ...patch.fields });
    }
    const row = await updateLead(trx, id, changes);
    if (row) {
      await exitOnCriteria(trx, row, ctx.clock.now());
      await autoEnroll(ctx, trx, [row]);
    }
    return row;
  });
  if (!updated) throw notFound('record', id); // erased meanwhile: nothing was written
  return toLead(updated);
}

export async function convertLead(ctx: AppContext, actor: Actor, id: string): Promise<Lead> {
  await getLead(ctx, actor, id);
  await applySignal(ctx, actor, { type: 'converted', recordId: id });
  return getLead(ctx, actor, id);
}

async function checkOwner(ctx: AppContext, actor: Actor, ownerId: string | undefined): Promise<string> {
  if (!ownerId) return actor.id;
  if (actor.role !== 'admin' && ownerId !== actor.id) {
    throw new AppError('forbidden', 'body.ownerId: a rep can only own its records itself', [{ path: 'body.ownerId', message: 'not yours to assign' }]);
  }
  if (!(await userExists(ctx.db, ownerId))) throw invalid(`body.ownerId: no user ${ownerId}`, [{ path: 'body.ownerId', message: `no user ${ownerId}` }]);
  return ownerId;
}

function leadRow(ctx: AppContext, input: LeadInput, ownerId: string): Insertable<LeadTable> {
  const now = ctx.clock.now();
  return {
    id: ctx.newId(),
    module: input.module ?? 'lead',
    email: input.email,
    first_name: input.firstName ?? null,
    last_name: input.lastName ?? null,
    company: input.company ?? null,
    phone: input.phone ?? null,
    status: input.status ?? 'New',
    owner_id: ownerId,
    timezone: input.timezone ?? null,
    fields: JSON.stringify(input.fields ?? {}),
    created_at: now,
    updated_at: now,
  };
}
