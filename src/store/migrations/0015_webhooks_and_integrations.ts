import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Issue 15: outbound webhooks (Standard Webhooks 1.0) and booking integrations.
 * - `webhook_endpoints`: an admin's endpoint, its event filter and its `whsec_` secret;
 *   during a rotation the previous secret signs too, until `previous_secret_until`.
 * - `webhook_messages`: the transactional outbox. A message is written in the same
 *   transaction as the change it reports (see 0016's triggers), so a rolled-back change
 *   has none and a committed one cannot lose it.
 * - `webhook_deliveries`: one per message and subscribed endpoint, with its attempts,
 *   its next attempt and the last answer; workers claim due ones with SKIP LOCKED.
 * - `integrations`: the signing secret of each booking provider (Cal.com, Calendly).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    create table webhook_endpoints (
      id uuid primary key,
      url text not null,
      description text,
      events text[] not null,
      secret text not null,
      previous_secret text,
      previous_secret_until timestamptz,
      disabled_at timestamptz,
      disabled_reason text,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create table webhook_messages (
      id text primary key,
      type text not null,
      at timestamptz not null,
      data jsonb not null
    );
    create index webhook_messages_at_idx on webhook_messages (at);
    create table webhook_deliveries (
      id uuid primary key default gen_random_uuid(),
      message_id text not null references webhook_messages (id) on delete cascade,
      endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      claimed_by text,
      claim_until timestamptz,
      last_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      last_response text,
      delivered_at timestamptz,
      created_at timestamptz not null
    );
    create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending';
    create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, created_at desc, id);
    create table integrations (
      provider text primary key check (provider in ('calcom', 'calendly')),
      secret text not null,
      updated_at timestamptz not null,
      last_received_at timestamptz,
      last_error text
    );
  `);
}
