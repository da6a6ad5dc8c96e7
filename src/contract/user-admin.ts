import { z } from 'zod';
import { instant } from './common.ts';
import { newPassword, user } from './users.ts';

/** Deactivating users and accepting invitations (issue 13, Settings). */

/**
 * `POST /api/users/:id/deactivate` (admin). The user's sessions and API tokens end.
 * With `reassignTo`, its open tasks and its leads move to that active user (future
 * automatic emails then go from the new owner's mailbox); without it they stay the
 * deactivated user's, visible to admins, until reassigned.
 */
export const deactivateInput = z.object({ reassignTo: z.uuid({ message: 'expected a user id' }).optional() });
export type DeactivateInput = z.infer<typeof deactivateInput>;
export const deactivated = z.object({
  user,
  /** What moved to `reassignTo` (zero without it). */
  reassigned: z.object({ tasks: z.number().int(), leads: z.number().int() }),
});
export type Deactivated = z.infer<typeof deactivated>;

/** The invitation token in the path: bounded, URL-safe. */
export const invitationParams = z.object({ token: z.string().min(10).max(200).regex(/^[A-Za-z0-9_-]+$/, 'expected an invitation token') });

/** `GET /api/invitations/:token` (no auth): who the link is for, while it can be used. */
export const invitationView = z.object({ name: z.string(), email: z.string(), expiresAt: instant });
export type InvitationView = z.infer<typeof invitationView>;

/** `POST /api/invitations/:token` (no auth): sets the password and signs in (answers `{user}` and the cookie). */
export const acceptInvitation = z.object({ password: newPassword });
export type AcceptInvitation = z.infer<typeof acceptInvitation>;
