import type { Insertable, Updateable } from 'kysely';
import { issuesToDetails } from '../contract/common.ts';
import { leadInput, type LeadInput, type LeadList, type LeadListQuery, type LeadPatch } from '../contract/leads.ts';
import { findUnstorableText } from '../domain/storable-text.ts';
import { findLead, findLeads, insertLeads, insertSuppression, updateLead } from '../store/lead.repository.ts';
import { eraseLead } from '../store/lead-erase.repository.ts';
import { findLeadEnrollmentSummaries, findLeadIdsByEmails, findLeadsPage, type LeadCursor, type LeadFilter } from '../store/lead-search.repository.ts';
import type { Handle } from '../store/database.ts';
import { deactivatedUserIds, existingUserIds, userExists } from '../store/user.repository.ts';
import { autoEnroll, hasAutoEnrollCadences } from './auto-enroll.ts';
import type { Lead } from '../contract/leads.ts';
import { toLead } from './views/leads.ts';
import type { LeadTable } from '../store/schema.ts';
import { assertOwns, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { AppError, invalid, notFound } from './errors.ts';
import type { EnrollmentStatus } from '../contract/enums.ts';
import { exitOnCriteria } from './exits.ts';
import { applySignal } from './signals.ts';

export async function createLead(ctx: AppContext, actor: Actor, input: LeadInput): Promise<Lead> {
  const ownerId = await checkOwner(ctx, actor, input.ownerId);
  const row = leadRow(ctx, input, ownerId);
  await assertEmailFree(ctx.db, input.email);
  await refuseDuplicate(input.email, () =>
    ctx.db.transaction().execute(async (trx) => {
      await insertLeads(trx, [row]);
      await autoEnroll(ctx, trx, await findLeads(trx, [row.id as string]));
    }));
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
  const deactivated = await deactivatedUserIds(ctx.db, ownerIds);
  const taken = await findLeadIdsByEmails(ctx.db, [...new Set(valid.map((v) => v.input.email.toLowerCase()))]);
  const firstIndexOf = new Map<string, number>();
  const rows: Insertable<LeadTable>[] = [];
  for (const { index, input } of valid) {
    const key = input.email.toLowerCase();
    if (taken.has(key)) {
      result.rejected.push({ index, reason: `email: ${duplicateMessage(input.email)}` });
    } else if (firstIndexOf.has(key)) {
      result.rejected.push({ index, reason: `email: ${input.email} repeats record ${firstIndexOf.get(key)}'s email (a lead's email is unique, any case)` });
    } else if (input.ownerId && !known.has(input.ownerId)) {
      result.rejected.push({ index, reason: `ownerId: no user ${input.ownerId}` });
    } else if (input.ownerId && deactivated.has(input.ownerId)) {
      result.rejected.push({ index, reason: `ownerId: user ${input.ownerId} is deactivated` });
    } else if (actor.role !== 'admin' && input.ownerId && input.ownerId !== actor.id) {
      result.rejected.push({ index, reason: 'ownerId: a rep creates records for itself only' });
    } else {
      const row = leadRow(ctx, input, input.ownerId ?? actor.id);
      firstIndexOf.set(key, index);
      rows.push(row);
      result.created.push(row.id);
    }
  }
  // A lead created meanwhile with one of these emails: the batch is refused whole (409), nothing written.
  await refuseDuplicate(null, () =>
    ctx.db.transaction().execute(async (trx) => {
      await insertLeads(trx, rows);
      if (rows.length > 0 && (await hasAutoEnrollCadences(trx))) await autoEnroll(ctx, trx, await findLeads(trx, result.created));
    }));
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
  if (patch.email !== undefined) await assertEmailFree(ctx.db, patch.email, id);
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
  const updated = await refuseDuplicate(patch.email ?? null, () => ctx.db.transaction().execute(async (trx) => {
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
  }));
  if (!updated) throw notFound('record', id); // erased meanwhile: nothing was written
  return toLead(updated);
}

const PAGE_ENROLLMENTS = 5;

/**
 * A page of the leads list, newest first: an admin sees every lead, a rep its own (a rep
 * asking for another owner's leads gets none). `nextCursor` is opaque: the position of
 * the page's last lead.
 */
export async function listLeads(ctx: AppContext, actor: Actor, query: LeadListQuery): Promise<LeadList> {
  const after = query.cursor !== undefined ? decodeCursor(query.cursor) : undefined;
  const filter: LeadFilter = { q: query.q, status: query.status, ownerId: query.ownerId, cadenceId: query.cadenceId };
  if (actor.role !== 'admin') {
    if (filter.ownerId !== undefined && filter.ownerId !== actor.id) return { items: [] };
    filter.ownerId = actor.id;
  }
  const rows = await findLeadsPage(ctx.db, filter, query.limit + 1, after);
  const page = rows.slice(0, query.limit);
  const summaries = await findLeadEnrollmentSummaries(ctx.db, page.map((r) => r.id), PAGE_ENROLLMENTS);
  const byLead = new Map<string, typeof summaries>();
  for (const e of summaries) byLead.set(e.record_id, [...(byLead.get(e.record_id) ?? []), e]);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => {
      const enrollments = byLead.get(r.id) ?? [];
      return {
        ...toLead(r),
        enrollments: enrollments.map((e) => ({ id: e.id, cadenceId: e.cadence_id, cadenceName: e.cadence_name, status: e.status as EnrollmentStatus })),
        enrollmentCount: enrollments[0]?.total ?? 0,
      };
    }),
    ...(rows.length > query.limit && last ? { nextCursor: encodeCursor({ createdAt: last.created_at, id: last.id }) } : {}),
  };
}

function encodeCursor(c: LeadCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt.toISOString(), c.id])).toString('base64url');
}

function decodeCursor(cursor: string): LeadCursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const createdAt = new Date(typeof at === 'string' ? at : NaN);
    if (typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) && !Number.isNaN(createdAt.getTime())) return { createdAt, id };
  } catch { /* answered below */ }
  throw invalid('querystring.cursor: not a cursor this list gave', [{ path: 'querystring.cursor', message: 'not a cursor this list gave' }]);
}

/**
 * Erases a lead (admin, or the rep owning it): their enrolments, tasks, emails, signals
 * and timeline go, in one transaction. An address they unsubscribed or bounced stays
 * in the suppressions, so a lead created again with it is never emailed.
 */
export async function deleteLead(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await getLead(ctx, actor, id);
  const erased = await ctx.db.transaction().execute(async (trx) => {
    // Locked first: a worker writing a task or email for this lead finishes before, or waits and finds it gone.
    const row = await trx.selectFrom('leads').select(['email', 'unsubscribed', 'bounced']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) return false;
    if (row.unsubscribed || row.bounced) {
      await insertSuppression(trx, row.email.toLowerCase(), row.unsubscribed ? 'unsubscribed' : 'bounced', ctx.clock.now());
    }
    return eraseLead(trx, id);
  });
  if (!erased) throw notFound('record', id);
}

/** A lead's email is unique in the organisation, any case: a second one is a conflict naming the address. */
async function assertEmailFree(h: Handle, email: string, exceptId?: string): Promise<void> {
  if ((await findLeadIdsByEmails(h, [email.toLowerCase()], exceptId)).size > 0) throw duplicateEmail(email);
}

function duplicateMessage(email: string): string {
  return `a lead with the email ${email} exists already (emails are unique, any case)`;
}

function duplicateEmail(email: string | null): AppError {
  const message = email ? duplicateMessage(email) : 'a lead with one of these emails was created meanwhile; nothing was written, send the batch again';
  return new AppError('conflict', email ? `body.email: ${message}` : message, email ? [{ path: 'body.email', message }] : undefined);
}

/** Runs a write; the unique index refusing a second lead with one email (a race the check before missed) becomes a 409. */
async function refuseDuplicate<T>(email: string | null, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    const err = e as { code?: string; constraint?: string; message?: string };
    if (err.code === '23505' && (err.constraint === 'leads_email_unique' || err.message?.includes('leads_email_unique'))) throw duplicateEmail(email);
    throw e;
  }
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
  if ((await deactivatedUserIds(ctx.db, [ownerId])).size > 0) {
    const message = `user ${ownerId} is deactivated: reactivate them or pick another owner`;
    throw invalid(`body.ownerId: ${message}`, [{ path: 'body.ownerId', message }]);
  }
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
