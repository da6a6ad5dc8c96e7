import type { Insertable, Updateable } from 'kysely';
import type { Handle } from './database.ts';
import type { LeadRow, LeadTable, MailboxRow, SuppressionTable, UserRow } from './schema.ts';

export async function insertLeads(h: Handle, rows: Insertable<LeadTable>[]): Promise<void> {
  // 18 columns a row: chunks keep each statement under PostgreSQL's 65,535 parameters.
  for (let i = 0; i < rows.length; i += 2000) {
    await h.insertInto('leads').values(rows.slice(i, i + 2000)).execute();
  }
}

export async function findLead(h: Handle, id: string): Promise<LeadRow | undefined> {
  return h.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findLeads(h: Handle, ids: string[]): Promise<LeadRow[]> {
  if (ids.length === 0) return [];
  return h.selectFrom('leads').selectAll().where('id', 'in', ids).execute();
}

/** The owner of a record; null when it has none, or no such record exists. */
export async function findLeadOwnerId(h: Handle, id: string): Promise<string | null> {
  return (await h.selectFrom('leads').select('owner_id').where('id', '=', id).executeTakeFirst())?.owner_id ?? null;
}

/** Up to `limit` leads of a module with ids after `afterId`, in id order: one page of a keyset scan. */
export async function findLeadsOfModuleAfter(h: Handle, module: LeadRow['module'], afterId: string, limit: number): Promise<LeadRow[]> {
  return h
    .selectFrom('leads')
    .selectAll()
    .where('module', '=', module)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function updateLead(h: Handle, id: string, changes: Updateable<LeadTable>): Promise<LeadRow | undefined> {
  return h.updateTable('leads').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function findLeadsByEmail(h: Handle, email: string): Promise<LeadRow[]> {
  return h
    .selectFrom('leads')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .execute();
}

export interface LeadWithOwner {
  lead: LeadRow;
  owner: UserRow | null;
  mailbox: MailboxRow | null;
}

/** Leads with their owner and the owner's mailbox: what executing a step needs. */
export async function findLeadsWithOwners(h: Handle, ids: string[]): Promise<Map<string, LeadWithOwner>> {
  const result = new Map<string, LeadWithOwner>();
  if (ids.length === 0) return result;
  const leads = await findLeads(h, [...new Set(ids)]);
  const ownerIds = [...new Set(leads.map((l) => l.owner_id).filter((x): x is string => x !== null))];
  const [owners, mailboxes] = ownerIds.length
    ? await Promise.all([
        h.selectFrom('users').selectAll().where('id', 'in', ownerIds).execute(),
        h.selectFrom('mailboxes').selectAll().where('user_id', 'in', ownerIds).execute(),
      ])
    : [[], []];
  const ownerById = new Map(owners.map((o) => [o.id, o]));
  const mailboxById = new Map(mailboxes.map((m) => [m.user_id, m]));
  for (const lead of leads) {
    result.set(lead.id, {
      lead,
      owner: lead.owner_id ? ownerById.get(lead.owner_id) ?? null : null,
      mailbox: lead.owner_id ? mailboxById.get(lead.owner_id) ?? null : null,
    });
  }
  return result;
}

/** The suppressed addresses among these (lower-cased) emails, with why. */
export async function findSuppressions(h: Handle, emails: string[]): Promise<Array<Pick<SuppressionTable, 'email' | 'reason'>>> {
  if (emails.length === 0) return [];
  return h.selectFrom('suppressions').select(['email', 'reason']).where('email', 'in', emails).execute();
}

/** Suppresses a (lower-cased) address; the first reason recorded stays. */
export async function insertSuppression(h: Handle, email: string, reason: SuppressionTable['reason'], now: Date): Promise<void> {
  await h
    .insertInto('suppressions')
    .values({ email, reason, created_at: now })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
}
