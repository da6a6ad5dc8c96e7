import type { ColumnType, Generated, Selectable } from 'kysely';

/** jsonb columns are written as JSON text (pg would turn a JS array into a PostgreSQL array). */
export type Json<T> = ColumnType<T, string, string>;

/** Table types: snake_case columns as the database has them (DESIGN §6). */

export interface OrganizationTable {
  id: Generated<number>;
  name: string;
  timezone: string;
  working_days: number[];
  holidays: string[];
}

export interface UserTable {
  id: string;
  name: string;
  email: string;
  role: 'admin' | 'rep';
  timezone: string | null;
  created_at: Date;
  /** scrypt, with its salt and parameters (migration 0006); null: signs in by token only. */
  password_hash: Generated<string | null>;
  /** Set: the user cannot sign in, by password, session or token (migration 0010). */
  deactivated_at: Generated<Date | null>;
}

/** An invitation link's token digest; single use, expiring (migration 0010). */
export interface UserInvitationTable {
  token_hash: string;
  user_id: string;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** The last SMTP error of each sender (migration 0010). */
export interface SenderErrorTable {
  user_id: string;
  error: string;
  at: Date;
}

/** An inbound message the IMAP poller could not parse, skipped and kept for a person to see (migration 0012). */
export interface InboundFailureTable {
  id: string;
  user_id: string;
  uid_validity: string;
  uid: string;
  message_id: string | null;
  error: string;
  /** The message's first bytes, at most 256 KB; raw_size is its whole size. */
  raw: Buffer;
  raw_size: number;
  at: Date;
}

/** A Message-ID a rep's mailbox took in (migration 0014): read again after a UIDVALIDITY change, it is passed over. */
export interface InboundSeenTable {
  user_id: string;
  message_id: string;
  at: Date;
}

export interface ApiTokenTable {
  token_hash: string;
  user_id: string;
  created_at: Date;
}

/** A browser's sign-in: the token's SHA-256 digest, never the token (migration 0006). */
export interface SessionTable {
  token_hash: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
}

export interface MailboxTable {
  user_id: string;
  from_email: string;
  from_name: string | null;
  smtp_url: string | null;
  imap_url: string | null;
  daily_limit: number;
  hourly_limit: number;
  min_interval_seconds: number;
  /** The earliest instant this mailbox may send again, under min_interval_seconds (migration 0011). */
  next_send_at: Generated<Date | null>;
  imap_uid_validity: Generated<string | null>;
  imap_last_uid: Generated<string | null>;
  imap_polled_at: Generated<Date | null>;
  imap_claim_until: Generated<Date | null>;
  imap_error: Generated<string | null>;
  updated_at: Date;
  /** DKIM signing (migration 0013): all three set, or none. */
  dkim_domain: Generated<string | null>;
  dkim_selector: Generated<string | null>;
  dkim_private_key: Generated<string | null>;
  /** OAuth (XOAUTH2) sign-in (migration 0013): all four set, or none. */
  oauth_provider: Generated<'google' | 'microsoft' | null>;
  oauth_client_id: Generated<string | null>;
  oauth_client_secret: Generated<string | null>;
  oauth_refresh_token: Generated<string | null>;
}

export interface LeadTable {
  id: string;
  module: 'lead' | 'contact';
  email: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  phone: string | null;
  status: string;
  owner_id: string | null;
  timezone: string | null;
  fields: Json<Record<string, unknown>>;
  unsubscribed: Generated<boolean>;
  bounced: Generated<boolean>;
  converted: Generated<boolean>;
  created_at: Date;
  updated_at: Date;
}

export interface SuppressionTable {
  email: string;
  reason: 'unsubscribed' | 'bounced' | 'complaint';
  created_at: Date;
}

export interface CadenceTable {
  id: string;
  name: string;
  module: string;
  status: 'draft' | 'active' | 'paused' | 'archived';
  version: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface CadenceVersionTable {
  cadence_id: string;
  version: number;
  definition: Json<unknown>;
  created_at: Date;
}

export type EnrollmentStatus = 'pending' | 'active' | 'paused' | 'completed' | 'exited' | 'failed';

export interface EnrollmentTable {
  id: string;
  seq: Generated<string>;
  cadence_id: string;
  record_id: string;
  status: EnrollmentStatus;
  exit_reason: string | null;
  cadence_version: number;
  next_step_id: string | null;
  next_step_index: number | null;
  next_due_at: Date | null;
  anchor_at: Date | null;
  wait_task_id: string | null;
  wait_email_id: string | null;
  /** An auto-paused enrolment (out of office) resumes by itself at this instant. */
  resume_at: Generated<Date | null>;
  enrolled_by: string | null;
  enrolled_at: Date;
  /** When it became active: a throttle counts enrolments started per rep per day. */
  started_at: Generated<Date | null>;
  ended_at: Date | null;
  updated_at: Date;
  /** Why a `failed` enrolment failed (migration 0003). */
  failure_reason: Generated<string | null>;
}

export interface TaskTable {
  id: string;
  enrollment_id: string | null;
  step_id: string | null;
  boost_id: string | null;
  record_id: string;
  owner_id: string | null;
  type: 'call' | 'task' | 'email';
  title: string;
  body: string | null;
  subject: string | null;
  priority: string;
  due_at: Date;
  status: 'open' | 'completed' | 'cancelled';
  outcome: string | null;
  note: string | null;
  created_at: Date;
  completed_at: Date | null;
}

export type EmailStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled' | 'uncertain';

export interface EmailTable {
  id: string;
  enrollment_id: string | null;
  step_id: string | null;
  boost_id: string | null;
  record_id: string;
  sender_id: string | null;
  message_id: string;
  token: string;
  status: EmailStatus;
  from_email: string;
  from_name: string | null;
  to_email: string;
  subject: string;
  html: string;
  text: string;
  links: Json<string[]>;
  in_reply_to: string | null;
  refs: string[];
  send_after: Date;
  queued_at: Date;
  sending_at: Date | null;
  sent_at: Date | null;
  transport: string | null;
  attempts: Generated<number>;
  claimed_by: string | null;
  claim_until: Date | null;
  error: string | null;
  /** The task a rep sent this manual email from (migration 0008). */
  task_id: Generated<string | null>;
  /** When its first temporary failure came: retries go on for a window from then (migration 0011). */
  first_failed_at: Generated<Date | null>;
}

/** A worker's lease: its claims hold while `alive_until` is ahead (migration 0004). */
export interface WorkerLeaseTable {
  worker_id: string;
  alive_until: Date;
}

export interface DevOutboxTable {
  email_id: string;
  raw: string;
  created_at: Date;
}

export interface StepExecutionTable {
  enrollment_id: string;
  step_id: string;
  cadence_version: number;
  outcome: 'executed' | 'skipped';
  reason: string | null;
  at: Date;
}

export interface SignalTable {
  id: string;
  type: string;
  record_id: string | null;
  enrollment_id: string | null;
  email_id: string | null;
  step_id: string | null;
  machine: boolean;
  data: Json<Record<string, unknown>>;
  at: Date;
}

export interface TimeOffTable {
  id: string;
  user_id: string;
  starts_at: Date;
  ends_at: Date;
  note: string | null;
  created_at: Date;
}

/** Pauses, resumes and field changes of a record, written by triggers (migration 0008), for its timeline. */
export interface RecordEventTable {
  id: Generated<string>;
  record_id: string;
  enrollment_id: string | null;
  type: 'paused' | 'resumed' | 'field_changed';
  data: Json<Record<string, unknown>>;
  at: Date;
}

/** A lead merged into the oldest lead sharing its email (migration 0009): its row as it was. */
export interface LeadMergeTable {
  merged_id: string;
  into_id: string;
  email: string;
  record: Json<Record<string, unknown>>;
  merged_at: Date;
}

export interface BoostFiringTable {
  enrollment_id: string;
  boost_id: string;
  fired_at: Date;
}

/** An admin's webhook endpoint (migration 0015). */
export interface WebhookEndpointTable {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  /** `whsec_` + base64 key. */
  secret: string;
  /** During a rotation the previous secret signs too, until `previous_secret_until`. */
  previous_secret: string | null;
  previous_secret_until: Date | null;
  /** Set when the endpoint answered 410 (or an admin disabled it): nothing is sent to it. */
  disabled_at: Date | null;
  disabled_reason: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * The transactional outbox as triggers write it (migration 0016): one row per statement
 * and event type, the changed rows' ids and the events' instants; the dispatcher expands
 * it into messages and deliveries.
 */
export interface WebhookEventBatchTable {
  id: Generated<string>;
  type: string;
  ids: string[];
  ats: Date[];
  /** Per event, what its row cannot tell later (an enrolment's first status), or null. */
  extras: Array<string | null>;
}

/** The transactional outbox: one event, written with the change it reports (migration 0015). */
export interface WebhookMessageTable {
  /** `msg_…`: the `webhook-id` of every delivery of it. */
  id: string;
  type: string;
  at: Date;
  data: Json<Record<string, unknown>>;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One message to one endpoint, and how its attempts went (migration 0015). */
export interface WebhookDeliveryTable {
  id: Generated<string>;
  message_id: string;
  endpoint_id: string;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Date | null;
  claimed_by: string | null;
  claim_until: Date | null;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  /** The start of the last answer's body, for the delivery log. */
  last_response: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

/** A booking provider's signing secret (migration 0015). */
export interface IntegrationTable {
  provider: 'calcom' | 'calendly';
  secret: string;
  updated_at: Date;
  last_received_at: Date | null;
  last_error: string | null;
}

export interface DB {
  organization: OrganizationTable;
  users: UserTable;
  api_tokens: ApiTokenTable;
  sessions: SessionTable;
  mailboxes: MailboxTable;
  leads: LeadTable;
  suppressions: SuppressionTable;
  cadences: CadenceTable;
  cadence_versions: CadenceVersionTable;
  enrollments: EnrollmentTable;
  tasks: TaskTable;
  emails: EmailTable;
  dev_outbox: DevOutboxTable;
  worker_leases: WorkerLeaseTable;
  step_executions: StepExecutionTable;
  signals: SignalTable;
  boost_firings: BoostFiringTable;
  time_off: TimeOffTable;
  record_events: RecordEventTable;
  lead_merges: LeadMergeTable;
  user_invitations: UserInvitationTable;
  sender_errors: SenderErrorTable;
  inbound_failures: InboundFailureTable;
  inbound_seen: InboundSeenTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_event_batches: WebhookEventBatchTable;
  webhook_messages: WebhookMessageTable;
  webhook_deliveries: WebhookDeliveryTable;
  integrations: IntegrationTable;
}

export type UserRow = Selectable<UserTable>;
export type LeadRow = Selectable<LeadTable>;
export type CadenceRow = Selectable<CadenceTable>;
export type EnrollmentRow = Selectable<EnrollmentTable>;
export type TaskRow = Selectable<TaskTable>;
export type EmailRow = Selectable<EmailTable>;
export type MailboxRow = Selectable<MailboxTable>;
