import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  changeCadenceStatus, createCadence, getCadence, listCadenceViews, patchCadence,
} from '../../app/cadences.ts';
import type { AppContext } from '../../app/context.ts';
import { enroll } from '../../app/enroll.ts';
import {
  cadence, cadenceInput, cadenceList, cadencePatch, cadenceWithVersions, enrollBody, enrollResult,
} from '../../contract/cadences.ts';
import { errors, idParams } from '../../contract/common.ts';
import { actorOf } from '../auth.ts';
import { BODY_LIMITS } from '../input-guard.ts';
import { knownId } from '../schemas.ts';

export function cadenceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/cadences', {
      schema: { body: cadenceInput, tags: ['cadences'], response: { 201: cadence, ...errors(400, 401, 403, 413) } },
      bodyLimit: BODY_LIMITS.cadence,
    }, async (req, reply) => reply.status(201).send(await createCadence(ctx, actorOf(req), req.body)));
    app.get('/api/cadences', { schema: { tags: ['cadences'], response: { 200: cadenceList, ...errors(401) } } }, async (req) =>
      ({ items: await listCadenceViews(ctx, actorOf(req)) }));
    app.get('/api/cadences/:id', {
      schema: { params: idParams, tags: ['cadences'], response: { 200: cadenceWithVersions, ...errors(401, 404) } },
    }, async (req) =>
      getCadence(ctx, actorOf(req), knownId(req.params.id, 'cadence')));
    // What GET answers, PATCH accepts unchanged: a null means "not set", read-only fields are ignored.
    app.patch('/api/cadences/:id', {
      schema: { params: idParams, body: cadencePatch, tags: ['cadences'], response: { 200: cadence, ...errors(400, 401, 403, 404, 409, 413) } },
      bodyLimit: BODY_LIMITS.cadence,
    }, async (req) => patchCadence(ctx, actorOf(req), knownId(req.params.id, 'cadence'), req.body));
    for (const action of ['activate', 'pause', 'archive'] as const) {
      app.post(`/api/cadences/:id/${action}`, {
        schema: { params: idParams, tags: ['cadences'], response: { 200: cadence, ...errors(401, 403, 404, 409) } },
      }, async (req) => changeCadenceStatus(ctx, actorOf(req), knownId(req.params.id, 'cadence'), action));
    }
    // GET /api/cadences/:id/stats and the rest of the analytics: analytics.routes.ts.
    app.post('/api/cadences/:id/enrollments', {
      schema: { params: idParams, body: enrollBody, tags: ['enrollments'], response: { 201: enrollResult, ...errors(400, 401, 404, 409, 413) } },
      bodyLimit: BODY_LIMITS.bulk,
    }, async (req, reply) =>
      reply.status(201).send(await enroll(ctx, actorOf(req), knownId(req.params.id, 'cadence'), req.body.recordIds ?? [])));
  };
}
