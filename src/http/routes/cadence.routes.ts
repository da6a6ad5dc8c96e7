import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  changeCadenceStatus, createCadence, getCadence, listCadenceViews,
} from '../../app/cadences.ts';
import type { AppContext } from '../../app/context.ts';
import { enroll } from '../../app/enroll.ts';
import { preflightEnrollment, recordIdsOf } from '../../app/enroll-preflight.ts';
import {
  cloneCadence, countAutoEnrollMatches, deleteCadence, listMergeFields, patchCadenceAndCount, previewCadence,
} from '../../app/cadence-admin.ts';
import { mergeFieldList } from '../../contract/merge-fields.ts';
import {
  autoEnrollMatches, autoEnrollMatchesBody, cadence, cadenceInput, cadenceList, cadencePatch, cadencePatched, cadenceWithVersions,
  enrollBody, enrollResult, preflightBody, preflightResult, previewBody, previewResult,
} from '../../contract/cadences.ts';
import { errors, idParams, noContent } from '../../contract/common.ts';
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
      schema: { params: idParams, body: cadencePatch, tags: ['cadences'], response: { 200: cadencePatched, ...errors(400, 401, 403, 404, 409, 413) } },
      bodyLimit: BODY_LIMITS.cadence,
    }, async (req) => patchCadenceAndCount(ctx, actorOf(req), knownId(req.params.id, 'cadence'), req.body));
    app.delete('/api/cadences/:id', {
      schema: { params: idParams, tags: ['cadences'], response: { 204: noContent, ...errors(401, 403, 404, 409) } },
    }, async (req, reply) => {
      await deleteCadence(ctx, actorOf(req), knownId(req.params.id, 'cadence'));
      return reply.status(204).send(null);
    });
    app.post('/api/cadences/:id/clone', {
      schema: { params: idParams, tags: ['cadences'], response: { 201: cadence, ...errors(401, 403, 404) } },
    }, async (req, reply) => reply.status(201).send(await cloneCadence(ctx, actorOf(req), knownId(req.params.id, 'cadence'))));
    app.post('/api/cadences/:id/preview', {
      schema: { params: idParams, body: previewBody, tags: ['cadences'], response: { 200: previewResult, ...errors(400, 401, 404, 413) } },
      bodyLimit: BODY_LIMITS.cadence,
    }, async (req) => previewCadence(ctx, actorOf(req), knownId(req.params.id, 'cadence'), req.body));
    app.post('/api/cadences/auto-enroll/matches', {
      schema: { body: autoEnrollMatchesBody, tags: ['cadences'], response: { 200: autoEnrollMatches, ...errors(400, 401, 413) } },
    }, async (req) => countAutoEnrollMatches(ctx, req.body.filter, req.body.module));
    app.get('/api/merge-fields', {
      schema: { tags: ['cadences'], response: { 200: mergeFieldList, ...errors(401) } },
    }, async () => ({ items: await listMergeFields(ctx) }));
    app.post('/api/cadences/:id/enrollments/preflight', {
      schema: { params: idParams, body: preflightBody, tags: ['enrollments'], response: { 200: preflightResult, ...errors(400, 401, 404, 413, 422) } },
      bodyLimit: BODY_LIMITS.bulk,
    }, async (req) => preflightEnrollment(ctx, actorOf(req), knownId(req.params.id, 'cadence'), req.body));
    for (const action of ['activate', 'pause', 'archive'] as const) {
      app.post(`/api/cadences/:id/${action}`, {
        schema: { params: idParams, tags: ['cadences'], response: { 200: cadence, ...errors(401, 403, 404, 409) } },
      }, async (req) => changeCadenceStatus(ctx, actorOf(req), knownId(req.params.id, 'cadence'), action));
    }
    // GET /api/cadences/:id/stats and the rest of the analytics: analytics.routes.ts.
    app.post('/api/cadences/:id/enrollments', {
      schema: { params: idParams, body: enrollBody, tags: ['enrollments'], response: { 201: enrollResult, ...errors(400, 401, 404, 409, 413, 422) } },
      bodyLimit: BODY_LIMITS.bulk,
    }, async (req, reply) => {
      const cadenceId = knownId(req.params.id, 'cadence');
      const recordIds = await recordIdsOf(ctx, actorOf(req), req.body);
      return reply.status(201).send(await enroll(ctx, actorOf(req), cadenceId, recordIds));
    });
  };
}
