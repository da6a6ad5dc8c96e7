import { z } from 'zod';
import { email } from './emails.ts';
import { task } from './tasks.ts';

/** A manual email step's task: its draft, and sending it (API.md "Tasks"). */

/** The most an edited subject or body may hold: a header line's limit (RFC 5322), a cadence body's. */
export const MANUAL_SUBJECT_MAX = 998;
export const MANUAL_BODY_MAX = 100_000;

export const manualEmailDraft = z.object({
  /** The lead's address. */
  to: z.string(),
  /** The task owner's mailbox (`Name <address>`), which sends it. */
  from: z.string(),
  /** `Re: <previous subject>` when the step is threaded and the enrolment has a previous email. */
  subject: z.string(),
  /**
   * Rendered for the lead; a merge field without a value stays in place as its tag
   * (`{{ lead.firstName }}`), so that sending the draft unchanged is refused for it.
   */
  body: z.string(),
  /** `html` when the template holds markup (the body is then HTML), else `text`. */
  format: z.enum(['text', 'html']),
  /** Sent as a reply to the enrolment's previous email (In-Reply-To, References). */
  threaded: z.boolean(),
  /** Merge fields with no value and no fallback, in the subject or the body: sending is refused (422) while any is left. */
  missing: z.array(z.string()),
});
export type ManualEmailDraft = z.infer<typeof manualEmailDraft>;

/**
 * The rep's edits, each a template like the step's own (merge fields allowed). Left
 * out, the step's template is sent; a JSON null body means no edits.
 */
export const sendManualEmailInput = z
  .object({
    subject: z.string().max(MANUAL_SUBJECT_MAX).optional(),
    body: z.string().max(MANUAL_BODY_MAX).optional(),
  })
  .nullish();
export type SendManualEmailInput = z.infer<typeof sendManualEmailInput>;

/** The task, now completed, and the email queued for the sender (status `queued`, then `sent`). */
export const sentManualEmail = z.object({ task, email });
export type SentManualEmail = z.infer<typeof sentManualEmail>;
