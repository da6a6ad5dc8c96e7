import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { leadTimeline } from '../../app/timeline.ts';
import { errors, idParams } from '../../contract/common.ts';
import { timeline, timelineQuery } from '../../contract/timeline.ts';
import { actorOf } from '../auth.ts';
import { knownId } from '../schemas.ts';

/** The rep's working day beyond the queue: a lead's timeline. */
export function repDayRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/leads/:id/timeline', {
      schema: { params: idParams, querystring: timelineQuery, tags: ['leads'], response: { 200: timeline, ...errors(400, 401, 404) } },
    }, async (req) => leadTimeline(ctx, actorOf(req), knownId(req.params.id, 'record'), req.query));
  };
}
