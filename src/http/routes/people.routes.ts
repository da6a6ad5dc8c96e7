import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { convertLead, createLead, createLeadsBulk, getLead, patchLead } from '../../app/leads.ts';
import { addTimeOff, listTimeOff } from '../../app/time-off.ts';
import { createUser, getMailbox, getUser, issueToken, listUsers, putMailbox } from '../../app/users.ts';
import { leadInputSchema, leadPatchSchema } from '../../domain/lead.ts';
import { actorOf, requireAdmin } from '../auth.ts';
import { BODY_LIMITS } from '../input-guard.ts';
import { bulkLeadsBody, idParams, knownId, mailboxBody, timeOffBody, userBody } from '../schemas.ts';

/** Users, their tokens and mailboxes; leads and contacts. */
export function peopleRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/users', { schema: { body: userBody, tags: ['users'] } }, async (req, reply) => {
      requireAdmin(req);
      return reply.status(201).send(await createUser(ctx, req.body));
    });
    app.get('/api/users', { schema: { tags: ['users'] } }, async (req) => {
      requireAdmin(req);
      return { items: await listUsers(ctx) };
    });
    app.get('/api/users/me', { schema: { tags: ['users'] } }, async (req) => getUser(ctx, actorOf(req), actorOf(req).id));
    app.get('/api/users/:id', { schema: { params: idParams, tags: ['users'] } }, async (req) =>
      getUser(ctx, actorOf(req), knownId(req.params.id, 'user')));
    app.post('/api/users/:id/tokens', { schema: { params: idParams, tags: ['users'] } }, async (req, reply) => {
      requireAdmin(req);
      return reply.status(201).send({ token: await issueToken(ctx, knownId(req.params.id, 'user')) });
    });
    app.get('/api/users/:id/mailbox', { schema: { params: idParams, tags: ['users'] } }, async (req) =>
      getMailbox(ctx, actorOf(req), knownId(req.params.id, 'user')));
    // A rep sets its sender name and caps; server URLs and another address are the admin's.
    app.put('/api/users/:id/mailbox', { schema: { params: idParams, body: mailboxBody, tags: ['users'] } }, async (req) =>
      putMailbox(ctx, actorOf(req), knownId(req.params.id, 'user'), req.body));
    app.post('/api/users/:id/time-off', {
      schema: { params: idParams, body: timeOffBody, tags: ['users'] },
    }, async (req, reply) => reply.status(201).send(await addTimeOff(ctx, actorOf(req), knownId(req.params.id, 'user'), req.body)));
    app.get('/api/users/:id/time-off', { schema: { params: idParams, tags: ['users'] } }, async (req) =>
      ({ items: await listTimeOff(ctx, actorOf(req), knownId(req.params.id, 'user')) }));

    app.post('/api/leads', { schema: { body: leadInputSchema, tags: ['leads'] } }, async (req, reply) =>
      reply.status(201).send(await createLead(ctx, actorOf(req), req.body)));
    // Each record is checked for text PostgreSQL cannot store by itself: one bad record rejects only itself.
    app.post('/api/leads/bulk', { schema: { body: bulkLeadsBody, tags: ['leads'] }, bodyLimit: BODY_LIMITS.bulk, config: { inputGuard: 'query-only' } }, async (req, reply) =>
      reply.status(201).send(await createLeadsBulk(ctx, actorOf(req), req.body.records)));
    app.get('/api/leads/:id', { schema: { params: idParams, tags: ['leads'] } }, async (req) =>
      getLead(ctx, actorOf(req), knownId(req.params.id, 'record')));
    app.patch('/api/leads/:id', { schema: { params: idParams, body: leadPatchSchema, tags: ['leads'] } }, async (req) =>
      patchLead(ctx, actorOf(req), knownId(req.params.id, 'record'), req.body));
    app.post('/api/leads/:id/convert', { schema: { params: idParams, tags: ['leads'] } }, async (req) =>
      convertLead(ctx, actorOf(req), knownId(req.params.id, 'record')));
  };
}
