import type { Selectable, Updateable } from 'kysely';
import type { Handle } from './database.ts';
import type { OrganizationTable } from './schema.ts';

/** The organisation: the one row the migrations create. */
export async function findOrganization(h: Handle): Promise<Selectable<OrganizationTable>> {
  return h.selectFrom('organization').selectAll().executeTakeFirstOrThrow();
}

export async function updateOrganizationSettings(h: Handle, changes: Updateable<OrganizationTable>): Promise<void> {
  await h.updateTable('organization').set(changes).execute();
}
