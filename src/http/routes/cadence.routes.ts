import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createCadence, getCadence, getCadenceStats, listCadenceViews, patchCadence, transitionCadence } from '../../app/cadences.ts';
import type { AppContext } from '../../app/context.ts';
import { enroll } from '../../app/enroll.ts';
import { cadenceInputSchema, cadencePatchSchema } from '../../domain/cadence.ts';
import { actorOf, requireAdmin } from '../auth.ts';
import { BODY_LIMITS } from '../input-guard.ts';
import { enrollBody, idParams, knownId } from '../schemas.ts';

export function cadenceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/cadences', { schema: { body: cadenceInputSchema, tags: ['cadences'] }, bodyLimit: BODY_LIMITS.cadence }, async (req, reply) =>
      reply.status(201).send(await createCadence(ctx, requireAdmin(req), req.body)));
    app.get('/api/cadences', { schema: { tags: ['cadences'] } }, async () => ({ items: await listCadenceViews(ctx) }));
    app.get('/api/cadences/:id', { schema: { params: idParams, tags: ['cadences'] } }, async (req) =>
      getCadence(ctx, knownId(req.params.id, 'cadence')));
    app.patch('/api/cadences/:id', { schema: { params: idParams, body: cadencePatchSchema, tags: ['cadences'] }, bodyLimit: BODY_LIMITS.cadence }, async (req) => {
      requireAdmin(req);
      return patchCadence(ctx, knownId(req.params.id, 'cadence'), req.body);
    });
    for (const action of ['activate', 'pause', 'archive'] as const) {
      app.post(`/api/cadences/:id/${action}`, { schema: { params: idParams, tags: ['cadences'] } }, async (req) => {
        requireAdmin(req);
        return transitionCadence(ctx, knownId(req.params.id, 'cadence'), action);
      });
    }
    app.get('/api/cadences/:id/stats', { schema: { params: idParams, tags: ['cadences'] } }, async (req) =>
      getCadenceStats(ctx, knownId(req.params.id, 'cadence')));
    app.post('/api/cadences/:id/enrollments', { schema: { params: idParams, body: enrollBody, tags: ['enrollments'] }, bodyLimit: BODY_LIMITS.bulk }, async (req, reply) =>
      reply.status(201).send(await enroll(ctx, actorOf(req), knownId(req.params.id, 'cadence'), req.body.recordIds)));
  };
}
