import type { EmailRow, EnrollmentRow, LeadRow, MailboxRow, TaskRow, UserRow } from './schema.ts';

/** camelCase records built from rows by explicit mappers (DESIGN §6). */

export interface User {
  id: string;
  name: string;
  email: string;
  role: 'admin' | 'rep';
  timezone: string | null;
  createdAt: string;
}

export const toUser = (r: UserRow): User => ({
  id: r.id,
  name: r.name,
  email: r.email,
  role: r.role,
  timezone: r.timezone,
  createdAt: r.created_at.toISOString(),
});

export interface Mailbox {
  userId: string;
  fromEmail: string;
  fromName: string | null;
  smtpUrl: string | null;
  imapUrl: string | null;
  dailyLimit: number;
  hourlyLimit: number;
  minIntervalSeconds: number;
}

/** Credentials in a mailbox URL are never shown back. */
export const redactUrl = (url: string | null) => (url ? url.replace(/\/\/([^@/]*)@/, '//***@') : null);

export const toMailbox = (r: MailboxRow): Mailbox => ({
  userId: r.user_id,
  fromEmail: r.from_email,
  fromName: r.from_name,
  smtpUrl: redactUrl(r.smtp_url),
  imapUrl: redactUrl(r.imap_url),
  dailyLimit: r.daily_limit,
  hourlyLimit: r.hourly_limit,
  minIntervalSeconds: r.min_interval_seconds,
});

export interface Lead {
  id: string;
  module: 'lead' | 'contact';
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  phone: string | null;
  status: string;
  ownerId: string | null;
  timezone: string | null;
  fields: Record<string, unknown>;
  unsubscribed: boolean;
  bounced: boolean;
  converted: boolean;
  createdAt: string;
  updatedAt: string;
}

export const toLead = (r: LeadRow): Lead => ({
  id: r.id,
  module: r.module,
  email: r.email,
  firstName: r.first_name,
  lastName: r.last_name,
  company: r.company,
  phone: r.phone,
  status: r.status,
  ownerId: r.owner_id,
  timezone: r.timezone,
  fields: r.fields ?? {},
  unsubscribed: r.unsubscribed,
  bounced: r.bounced,
  converted: r.converted,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export interface Enrollment {
  id: string;
  cadenceId: string;
  recordId: string;
  status: EnrollmentRow['status'];
  exitReason?: string;
  /** Why a `failed` enrolment failed. */
  failureReason?: string;
  nextStepId?: string;
  nextDueAt?: string;
  cadenceVersion: number;
  enrolledAt: string;
  endedAt?: string;
}

export const toEnrollment = (r: EnrollmentRow): Enrollment => ({
  id: r.id,
  cadenceId: r.cadence_id,
  recordId: r.record_id,
  status: r.status,
  ...(r.exit_reason ? { exitReason: r.exit_reason } : {}),
  ...(r.failure_reason ? { failureReason: r.failure_reason } : {}),
  ...(r.next_step_id && (r.status === 'active' || r.status === 'paused' || r.status === 'pending')
    ? { nextStepId: r.next_step_id }
    : {}),
  ...(r.next_due_at && r.status === 'active' && !r.wait_task_id ? { nextDueAt: r.next_due_at.toISOString() } : {}),
  cadenceVersion: r.cadence_version,
  enrolledAt: r.enrolled_at.toISOString(),
  ...(r.ended_at ? { endedAt: r.ended_at.toISOString() } : {}),
});

export interface Task {
  id: string;
  type: TaskRow['type'];
  title: string;
  body?: string;
  subject?: string;
  priority: string;
  dueAt: string;
  status: TaskRow['status'];
  outcome?: string;
  note?: string;
  /** Skipped by its owner: status `cancelled`, the step counted as not completed. */
  skipped?: true;
  recordId: string;
  enrollmentId: string | null;
  stepId: string | null;
  boostId?: string;
  ownerId: string | null;
  completedAt?: string;
}

/** A skipped task is stored cancelled with this outcome (no call outcome has this name). */
export const SKIPPED_OUTCOME = 'skipped';

export const toTask = (r: TaskRow): Task => ({
  id: r.id,
  type: r.type,
  title: r.title,
  ...(r.body !== null ? { body: r.body } : {}),
  ...(r.subject !== null ? { subject: r.subject } : {}),
  priority: r.priority,
  dueAt: r.due_at.toISOString(),
  status: r.status,
  ...(r.outcome === SKIPPED_OUTCOME && r.status === 'cancelled' ? { skipped: true as const } : r.outcome ? { outcome: r.outcome } : {}),
  ...(r.note ? { note: r.note } : {}),
  recordId: r.record_id,
  enrollmentId: r.enrollment_id,
  stepId: r.step_id,
  ...(r.boost_id ? { boostId: r.boost_id } : {}),
  ownerId: r.owner_id,
  ...(r.completed_at ? { completedAt: r.completed_at.toISOString() } : {}),
});

export interface Email {
  id: string;
  messageId: string;
  status: EmailRow['status'];
  from: string;
  to: string;
  subject: string;
  enrollmentId: string | null;
  stepId: string | null;
  boostId?: string;
  recordId: string;
  inReplyTo?: string;
  queuedAt: string;
  sendAfter: string;
  sentAt?: string;
  error?: string;
}

export const toEmail = (r: EmailRow): Email => ({
  id: r.id,
  messageId: r.message_id,
  status: r.status,
  from: r.from_name ? `${r.from_name} <${r.from_email}>` : r.from_email,
  to: r.to_email,
  subject: r.subject,
  enrollmentId: r.enrollment_id,
  stepId: r.step_id,
  ...(r.boost_id ? { boostId: r.boost_id } : {}),
  recordId: r.record_id,
  ...(r.in_reply_to ? { inReplyTo: r.in_reply_to } : {}),
  queuedAt: r.queued_at.toISOString(),
  sendAfter: r.send_after.toISOString(),
  ...(r.sent_at ? { sentAt: r.sent_at.toISOString() } : {}),
  ...(r.error ? { error: r.error } : {}),
});
