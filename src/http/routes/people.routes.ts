import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { convertLead, createLead, createLeadsBulk, getLead, patchLead } from '../../app/leads.ts';
import { addTimeOff, listTimeOff } from '../../app/time-off.ts';
import { addUserWithInvitation, listUsersForAdmin } from '../../app/user-admin.ts';
import { getMailbox, getUser, issueTokenFor, patchUser, putMailbox } from '../../app/users.ts';
import { errors, idParams } from '../../contract/common.ts';
import { bulkLeadsBody, bulkLeadsResult, lead, leadInput, leadPatch } from '../../contract/leads.ts';
import {
  createdUser, issuedToken, mailbox, mailboxInput, timeOff, timeOffInput, timeOffList, user, userInput, userList, userPatch,
} from '../../contract/users.ts';
import { actorOf } from '../auth.ts';
import { BODY_LIMITS } from '../input-guard.ts';
import { knownId } from '../schemas.ts';

/** Users, their tokens and mailboxes; leads and contacts. */
export function peopleRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // With "invite": true the answer carries the invitation link, once.
    app.post('/api/users', { schema: { body: userInput, tags: ['users'], response: { 201: createdUser, ...errors(400, 401, 403, 409) } } }, async (req, reply) =>
      reply.status(201).send(await addUserWithInvitation(ctx, actorOf(req), req.body)));
    app.get('/api/users', { schema: { tags: ['users'], response: { 200: userList, ...errors(401, 403) } } }, async (req) =>
      ({ items: await listUsersForAdmin(ctx, actorOf(req)) }));
    app.get('/api/users/me', { schema: { tags: ['users'], response: { 200: user, ...errors(401) } } }, async (req) =>
      getUser(ctx, actorOf(req), actorOf(req).id));
    app.get('/api/users/:id', { schema: { params: idParams, tags: ['users'], response: { 200: user, ...errors(401, 404) } } }, async (req) =>
      getUser(ctx, actorOf(req), knownId(req.params.id, 'user')));
    // What GET answers, PATCH accepts unchanged. An admin patches anyone; a rep its own name and zone.
    app.patch('/api/users/:id', {
      schema: { params: idParams, body: userPatch, tags: ['users'], response: { 200: user, ...errors(400, 401, 403, 404, 409) } },
    }, async (req) => patchUser(ctx, actorOf(req), knownId(req.params.id, 'user'), req.body));
    app.post('/api/users/:id/tokens', { schema: { params: idParams, tags: ['users'], response: { 201: issuedToken, ...errors(401, 403, 404) } } }, async (req, reply) =>
      reply.status(201).send({ token: await issueTokenFor(ctx, actorOf(req), knownId(req.params.id, 'user')) }));
    app.get('/api/users/:id/mailbox', { schema: { params: idParams, tags: ['users'], response: { 200: mailbox, ...errors(401, 404) } } }, async (req) =>
      getMailbox(ctx, actorOf(req), knownId(req.params.id, 'user')));
    // A rep sets its sender name and caps; server URLs and another address are the admin's.
    app.put('/api/users/:id/mailbox', {
      schema: { params: idParams, body: mailboxInput, tags: ['users'], response: { 200: mailbox, ...errors(400, 401, 403, 404) } },
    }, async (req) => putMailbox(ctx, actorOf(req), knownId(req.params.id, 'user'), req.body));
    app.post('/api/users/:id/time-off', {
      schema: { params: idParams, body: timeOffInput, tags: ['users'], response: { 201: timeOff, ...errors(400, 401, 404) } },
    }, async (req, reply) => reply.status(201).send(await addTimeOff(ctx, actorOf(req), knownId(req.params.id, 'user'), req.body)));
    app.get('/api/users/:id/time-off', { schema: { params: idParams, tags: ['users'], response: { 200: timeOffList, ...errors(401, 404) } } }, async (req) =>
      ({ items: await listTimeOff(ctx, actorOf(req), knownId(req.params.id, 'user')) }));

    app.post('/api/leads', { schema: { body: leadInput, tags: ['leads'], response: { 201: lead, ...errors(400, 401, 403, 409) } } }, async (req, reply) =>
      reply.status(201).send(await createLead(ctx, actorOf(req), req.body)));
    // Each record is checked for text PostgreSQL cannot store by itself: one bad record rejects only itself.
    app.post('/api/leads/bulk', {
      schema: { body: bulkLeadsBody, tags: ['leads'], response: { 201: bulkLeadsResult, ...errors(400, 401, 409, 413) } },
      bodyLimit: BODY_LIMITS.bulk,
      config: { inputGuard: 'query-only' },
    }, async (req, reply) => reply.status(201).send(await createLeadsBulk(ctx, actorOf(req), req.body.records)));
    app.get('/api/leads/:id', { schema: { params: idParams, tags: ['leads'], response: { 200: lead, ...errors(401, 404) } } }, async (req) =>
      getLead(ctx, actorOf(req), knownId(req.params.id, 'record')));
    // What GET answers, PATCH accepts unchanged: read-only fields (id, flags, times) are ignored.
    app.patch('/api/leads/:id', {
      schema: { params: idParams, body: leadPatch, tags: ['leads'], response: { 200: lead, ...errors(400, 401, 403, 404, 409) } },
    }, async (req) => patchLead(ctx, actorOf(req), knownId(req.params.id, 'record'), req.body));
    app.post('/api/leads/:id/convert', { schema: { params: idParams, tags: ['leads'], response: { 200: lead, ...errors(401, 404) } } }, async (req) =>
      convertLead(ctx, actorOf(req), knownId(req.params.id, 'record')));
  };
}
