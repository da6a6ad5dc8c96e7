import { sql } from 'kysely';
import type { Handle } from './database.ts';
import type { IntegrationTable } from './schema.ts';

/** Booking providers' signing secrets and what their webhooks last did (migration 0015). */

export type Provider = IntegrationTable['provider'];

export interface IntegrationStatus {
  provider: Provider;
  updated_at: Date;
  last_received_at: Date | null;
  last_error: string | null;
}

/** Sets a provider's secret (a new secret keeps the last call's record: the page shows whether the new one works). */
export async function upsertIntegration(h: Handle, provider: Provider, secret: string, now: Date): Promise<IntegrationStatus> {
  return h.insertInto('integrations')
    .values({ provider, secret, updated_at: now })
    .onConflict((oc) => oc.column('provider').doUpdateSet({ secret, updated_at: now }))
    .returning(['provider', 'updated_at', 'last_received_at', 'last_error'])
    .executeTakeFirstOrThrow();
}

export async function listIntegrationStatus(h: Handle): Promise<IntegrationStatus[]> {
  return h.selectFrom('integrations').select(['provider', 'updated_at', 'last_received_at', 'last_error']).orderBy('provider').execute();
}

export async function findIntegrationSecret(h: Handle, provider: Provider): Promise<string | undefined> {
  const row = await h.selectFrom('integrations').select('secret').where('provider', '=', provider).executeTakeFirst();
  return row?.secret;
}

export async function deleteIntegration(h: Handle, provider: Provider): Promise<boolean> {
  const res = await h.deleteFrom('integrations').where('provider', '=', provider).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/**
 * Locks the provider's row for the rest of the transaction: two deliveries of one
 * booking (a provider's retry racing the first) are applied one after the other, so
 * the second sees the first's signal. False when the provider was removed meanwhile.
 */
export async function lockIntegration(h: Handle, provider: Provider): Promise<boolean> {
  const row = await h.selectFrom('integrations').select('provider').where('provider', '=', provider).forUpdate().executeTakeFirst();
  return row !== undefined;
}

export async function recordIntegrationCall(h: Handle, provider: Provider, now: Date, error: string | null): Promise<void> {
  await h.updateTable('integrations').set({ last_received_at: now, last_error: error }).where('provider', '=', provider).execute();
}

/**
 * The leads among these (by lower-cased email) and, for each, whether a meeting-booked
 * signal of this provider already names one of these bookings: one statement.
 */
export async function findBookingLeads(h: Handle, provider: Provider, emails: string[], bookingUids: string[]): Promise<Array<{ id: string; counted: boolean }>> {
  if (emails.length === 0) return [];
  const { rows } = await sql<{ id: string; counted: boolean }>`
    select l.id, exists (
      select 1 from signals s
      where s.record_id = l.id and s.type = 'meeting_booked'
        and s.data->>'provider' = ${provider} and s.data->>'bookingUid' = any(${bookingUids}::text[])
    ) as counted
    from leads l
    where lower(l.email) = any(${emails}::text[])
    order by l.created_at, l.id`.execute(h);
  return rows;
}
