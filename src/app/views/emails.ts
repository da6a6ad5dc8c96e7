import type { Email } from '../../contract/emails.ts';
import type { EmailRow } from '../../store/schema.ts';

/** An email as the API answers it; the sender as `Name <address>` when it has a name. */
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
