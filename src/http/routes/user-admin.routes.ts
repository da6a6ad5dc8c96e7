import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { listMailboxHealth, sendTestEmail } from '../../app/mailbox-health.ts';
import { acceptInvitation, deactivate, reactivate, reinvite, viewInvitation } from '../../app/user-admin.ts';
import { errors, idParams } from '../../contract/common.ts';
import { mailboxOverviewList, testEmailInput, testEmailResult } from '../../contract/mailbox-health.ts';
import { sessionAnswer } from '../../contract/sessions.ts';
import { acceptInvitation as acceptBody, deactivated, deactivateInput, invitationParams, invitationView } from '../../contract/user-admin.ts';
import { invitationLink, user } from '../../contract/users.ts';
import { actorOf } from '../auth.ts';
import { knownId } from '../schemas.ts';
import { setSessionCookie } from '../session-cookie.ts';

/** The admin's settings: invitations, deactivation, mailboxes' health and the test email (issue 13). */
export function userAdminRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/users/:id/invitation', {
      schema: { params: idParams, tags: ['users'], response: { 201: invitationLink, ...errors(401, 403, 404, 409) } },
    }, async (req, reply) => reply.status(201).send(await reinvite(ctx, actorOf(req), knownId(req.params.id, 'user'))));
    // The user's sessions and tokens end; with reassignTo its open tasks and leads move.
    app.post('/api/users/:id/deactivate', {
      schema: { params: idParams, body: deactivateInput.nullish(), tags: ['users'], response: { 200: deactivated, ...errors(400, 401, 403, 404, 409) } },
    }, async (req) => deactivate(ctx, actorOf(req), knownId(req.params.id, 'user'), req.body?.reassignTo));
    app.post('/api/users/:id/reactivate', {
      schema: { params: idParams, tags: ['users'], response: { 200: user, ...errors(401, 403, 404) } },
    }, async (req) => reactivate(ctx, actorOf(req), knownId(req.params.id, 'user')));

    app.get('/api/mailboxes', { schema: { tags: ['users'], response: { 200: mailboxOverviewList, ...errors(401, 403) } } }, async (req) =>
      ({ items: await listMailboxHealth(ctx, actorOf(req)) }));
    app.post('/api/users/:id/mailbox/test', {
      schema: { params: idParams, body: testEmailInput.nullish(), tags: ['users'], response: { 200: testEmailResult, ...errors(400, 401, 403, 404) } },
    }, async (req) => sendTestEmail(ctx, actorOf(req), knownId(req.params.id, 'user'), req.body?.to));

    // No auth: the link is the proof. Accepting signs the browser in.
    app.get('/api/invitations/:token', {
      schema: { params: invitationParams, tags: ['sessions'], security: [], response: { 200: invitationView, ...errors(400, 404) } },
    }, async (req) => viewInvitation(ctx, req.params.token));
    app.post('/api/invitations/:token', {
      schema: { params: invitationParams, body: acceptBody, tags: ['sessions'], security: [], response: { 200: sessionAnswer, ...errors(400, 403, 404) } },
    }, async (req, reply) => {
      const session = await acceptInvitation(ctx, req.params.token, req.body.password);
      setSessionCookie(ctx, reply, session.token, session.expiresAt);
      return { user: session.user };
    });
  };
}
