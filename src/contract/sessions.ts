import { z } from 'zod';
import { emailAddress, newPassword, user } from './users.ts';

/** The web app's sign-in (API.md "Sessions"). */

/** `GET /api/setup`: true while no admin can sign in. */
export const setupStatus = z.object({ needed: z.boolean() });
export const setupInput = z.object({ name: z.string().trim().min(1).max(200), email: emailAddress, password: newPassword });
export type SetupInput = z.infer<typeof setupInput>;
/** Any strings: a wrong pair gets the one 401, whatever its shape. */
export const loginInput = z.object({ email: z.string().min(1).max(1000), password: z.string().min(1).max(1000) });
export type LoginInput = z.infer<typeof loginInput>;
export const passwordChange = z.object({ current: z.string().min(1).max(1000), password: newPassword });
export type PasswordChange = z.infer<typeof passwordChange>;
/** Signed in: the user, beside the httpOnly session cookie. */
export const sessionAnswer = z.object({ user });
export type SessionAnswer = z.infer<typeof sessionAnswer>;
