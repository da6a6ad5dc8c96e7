import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import {
  createWebhook, getWebhook, listWebhookDeliveries, listWebhooks, removeWebhook, retryWebhookDelivery, rotateWebhookSecret, updateWebhook,
} from '../../app/webhooks.ts';
import { errors, idParams, noContent } from '../../contract/common.ts';
import {
  deliveriesQuery, deliveryParams, webhookCreated, webhookDelivery, webhookDeliveryList, webhookEndpoint, webhookInput, webhookList, webhookPatch,
} from '../../contract/webhooks.ts';
import { actorOf } from '../auth.ts';
import { knownId } from '../schemas.ts';

/** Outbound webhooks (admin): endpoints, their secrets, their delivery logs and manual retries. */
export function webhookRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['webhooks'];
    app.post('/api/webhooks', {
      schema: { body: webhookInput, tags, description: 'Registers an endpoint; its `whsec_` secret is shown only in this answer.', response: { 201: webhookCreated, ...errors(400, 401, 403) } },
    }, async (req, reply) => reply.status(201).send(await createWebhook(ctx, actorOf(req), req.body)));
    app.get('/api/webhooks', { schema: { tags, response: { 200: webhookList, ...errors(401, 403) } } }, async (req) =>
      ({ items: await listWebhooks(ctx, actorOf(req)) }));
    app.get('/api/webhooks/:id', { schema: { params: idParams, tags, response: { 200: webhookEndpoint, ...errors(401, 403, 404) } } }, async (req) =>
      getWebhook(ctx, actorOf(req), knownId(req.params.id, 'webhook')));
    app.patch('/api/webhooks/:id', {
      schema: { params: idParams, body: webhookPatch, tags, description: '`enabled: true` sends again to an endpoint that answered 410; `false` stops sending.', response: { 200: webhookEndpoint, ...errors(400, 401, 403, 404) } },
    }, async (req) => updateWebhook(ctx, actorOf(req), knownId(req.params.id, 'webhook'), req.body));
    app.delete('/api/webhooks/:id', { schema: { params: idParams, tags, response: { 204: noContent, ...errors(401, 403, 404) } } }, async (req, reply) => {
      await removeWebhook(ctx, actorOf(req), knownId(req.params.id, 'webhook'));
      return reply.status(204).send(null);
    });
    app.post('/api/webhooks/:id/rotate-secret', {
      schema: { params: idParams, tags, description: 'A new secret, shown only in this answer; the previous one keeps signing (a second signature) for 24 hours.', response: { 200: webhookCreated, ...errors(401, 403, 404) } },
    }, async (req) => rotateWebhookSecret(ctx, actorOf(req), knownId(req.params.id, 'webhook')));

    app.get('/api/webhooks/:id/deliveries', {
      schema: { params: idParams, querystring: deliveriesQuery, tags, description: 'The delivery log, newest first.', response: { 200: webhookDeliveryList, ...errors(400, 401, 403, 404) } },
    }, async (req) => listWebhookDeliveries(ctx, actorOf(req), knownId(req.params.id, 'webhook'), req.query));
    app.post('/api/webhooks/:id/deliveries/:deliveryId/retry', {
      schema: { params: deliveryParams, tags, description: 'Sends the delivery again now (pending, next attempt now); 409 while the endpoint is disabled.', response: { 202: webhookDelivery, ...errors(401, 403, 404, 409) } },
    }, async (req, reply) => reply.status(202).send(
      await retryWebhookDelivery(ctx, actorOf(req), knownId(req.params.id, 'webhook'), knownId(req.params.deliveryId, 'delivery'))));
  };
}
