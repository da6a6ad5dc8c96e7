import type { Handle } from './database.ts';
import type { LeadRow } from './schema.ts';

/** The leads with any of these addresses (case aside), in one statement. */
export async function findLeadsByEmails(h: Handle, emails: string[]): Promise<LeadRow[]> {
  const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  if (wanted.length === 0) return [];
  return h
    .selectFrom('leads')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), 'in', wanted))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
