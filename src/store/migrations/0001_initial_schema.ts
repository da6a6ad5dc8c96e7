import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * The first schema. Uniqueness lives here so that a double enrolment, a double
 * execution of a step and a double send are impossible, not merely unlikely.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    create table organization (
      id int primary key default 1 check (id = 1),
      name text not null default 'My organisation',
      timezone text not null default 'UTC',
      working_days int[] not null default '{1,2,3,4,5}',
      holidays text[] not null default '{}'
    );
    insert into organization (id) values (1);

    create table users (
      id uuid primary key,
      name text not null,
      email text not null,
      role text not null check (role in ('admin', 'rep')),
      timezone text,
      created_at timestamptz not null
    );
    create unique index users_email_key on users (lower(email));

    create table api_tokens (
      token_hash text primary key,
      user_id uuid not null references users (id) on delete cascade,
      created_at timestamptz not null
    );
    create index api_tokens_user_idx on api_tokens (user_id);

    create table mailboxes (
      user_id uuid primary key references users (id) on delete cascade,
      from_email text not null,
      from_name text,
      smtp_url text,
      imap_url text,
      daily_limit int not null default 500,
      hourly_limit int not null default 100,
      min_interval_seconds int not null default 0,
      imap_uid_validity bigint,
      imap_last_uid bigint,
      imap_polled_at timestamptz,
      imap_claim_until timestamptz,
      imap_error text,
      updated_at timestamptz not null
    );

    create table leads (
      id uuid primary key,
      module text not null check (module in ('lead', 'contact')),
      email text not null,
      first_name text,
      last_name text,
      company text,
      phone text,
      status text not null default 'New',
      owner_id uuid references users (id),
      timezone text,
      fields jsonb not null default '{}',
      unsubscribed boolean not null default false,
      bounced boolean not null default false,
      converted boolean not null default false,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index leads_owner_idx on leads (owner_id);
    create index leads_email_idx on leads (lower(email));

    create table suppressions (
      email text primary key,
      reason text not null check (reason in ('unsubscribed', 'bounced', 'complaint')),
      created_at timestamptz not null
    );

    create table cadences (
      id uuid primary key,
      name text not null,
      module text not null,
      status text not null check (status in ('draft', 'active', 'paused', 'archived')),
      version int not null,
      created_by uuid references users (id),
      created_at timestamptz not null,
      updated_at timestamptz not null
    );

    create table cadence_versions (
      cadence_id uuid not null references cadences (id) on delete cascade,
      version int not null,
      definition jsonb not null,
      created_at timestamptz not null,
      primary key (cadence_id, version)
    );

    create table enrollments (
      id uuid primary key,
      -- enrolment order: pending enrolments start first come, first served
      seq bigserial not null,
      cadence_id uuid not null references cadences (id),
      record_id uuid not null references leads (id),
      status text not null check (status in ('pending', 'active', 'paused', 'completed', 'exited', 'failed')),
      exit_reason text,
      cadence_version int not null,
      next_step_id text,
      next_step_index int,
      next_due_at timestamptz,
      anchor_at timestamptz,
      wait_task_id uuid,
      wait_email_id uuid,
      resume_at timestamptz,
      enrolled_by uuid references users (id),
      enrolled_at timestamptz not null,
      started_at timestamptz,
      ended_at timestamptz,
      updated_at timestamptz not null
    );
    -- one live enrolment per record and cadence, whatever races the API and workers run
    create unique index enrollments_one_live on enrollments (cadence_id, record_id)
      where status in ('pending', 'active', 'paused');
    -- the due query reads only this partial index, so future and finished rows do not slow it
    create index enrollments_due_idx on enrollments (next_due_at) where status = 'active';
    create index enrollments_resume_idx on enrollments (resume_at) where status = 'paused' and resume_at is not null;
    create index enrollments_record_idx on enrollments (record_id);
    -- a sent email wakes the enrolment waiting on it: one index probe, not a scan
    create index enrollments_wait_email_idx on enrollments (wait_email_id) where wait_email_id is not null;
    create index enrollments_cadence_idx on enrollments (cadence_id, status);
    create index enrollments_pending_idx on enrollments (cadence_id, seq) where status = 'pending';

    create table tasks (
      id uuid primary key,
      enrollment_id uuid references enrollments (id),
      step_id text,
      boost_id text,
      record_id uuid not null references leads (id),
      owner_id uuid references users (id),
      type text not null check (type in ('call', 'task', 'email')),
      title text not null,
      body text,
      subject text,
      priority text not null default 'normal',
      due_at timestamptz not null,
      status text not null check (status in ('open', 'completed', 'cancelled')),
      outcome text,
      note text,
      created_at timestamptz not null,
      completed_at timestamptz
    );
    create unique index tasks_one_per_step on tasks (enrollment_id, step_id) where step_id is not null;
    create unique index tasks_one_per_boost on tasks (enrollment_id, boost_id) where boost_id is not null;
    create index tasks_owner_status_idx on tasks (owner_id, status, due_at);
    create index tasks_enrollment_idx on tasks (enrollment_id);

    create table emails (
      id uuid primary key,
      enrollment_id uuid references enrollments (id),
      step_id text,
      boost_id text,
      record_id uuid not null references leads (id),
      sender_id uuid references users (id),
      message_id text not null unique,
      token text not null unique,
      status text not null check (status in ('queued', 'sending', 'sent', 'failed', 'cancelled', 'uncertain')),
      from_email text not null,
      from_name text,
      to_email text not null,
      subject text not null,
      html text not null,
      text text not null,
      links jsonb not null default '[]',
      in_reply_to text,
      refs text[] not null default '{}',
      send_after timestamptz not null,
      queued_at timestamptz not null,
      sending_at timestamptz,
      sent_at timestamptz,
      transport text,
      attempts int not null default 0,
      claimed_by text,
      claim_until timestamptz,
      error text
    );
    -- never two emails for the same step of the same enrolment
    create unique index emails_one_per_step on emails (enrollment_id, step_id) where step_id is not null;
    create unique index emails_one_per_boost on emails (enrollment_id, boost_id) where boost_id is not null;
    create index emails_queue_idx on emails (send_after) where status = 'queued';
    create index emails_enrollment_idx on emails (enrollment_id);
    create index emails_record_idx on emails (record_id);
    create index emails_sender_sent_idx on emails (sender_id, sent_at) where sent_at is not null;

    create table dev_outbox (
      email_id uuid primary key references emails (id),
      raw text not null,
      created_at timestamptz not null
    );

    create table step_executions (
      enrollment_id uuid not null references enrollments (id),
      step_id text not null,
      cadence_version int not null,
      outcome text not null check (outcome in ('executed', 'skipped')),
      reason text,
      at timestamptz not null,
      primary key (enrollment_id, step_id)
    );

    create table signals (
      id uuid primary key,
      type text not null,
      record_id uuid references leads (id),
      enrollment_id uuid references enrollments (id),
      email_id uuid references emails (id),
      step_id text,
      machine boolean not null default false,
      data jsonb not null default '{}',
      at timestamptz not null
    );
    create index signals_enrollment_idx on signals (enrollment_id, step_id, type);
    create index signals_record_idx on signals (record_id);

    create table time_off (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      starts_at timestamptz not null,
      ends_at timestamptz not null check (ends_at > starts_at),
      note text,
      created_at timestamptz not null
    );
    create index time_off_range_idx on time_off (starts_at, ends_at);

    create table boost_firings (
      enrollment_id uuid not null references enrollments (id),
      boost_id text not null,
      fired_at timestamptz not null,
      primary key (enrollment_id, boost_id)
    );
  `);
}

export async function down(): Promise<void> {
  throw new Error('migrations are append-only');
}
