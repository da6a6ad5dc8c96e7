import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { removeTimeOff } from '../../app/time-off.ts';
import { leadTimeline } from '../../app/timeline.ts';
import { errors, idParams, noContent } from '../../contract/common.ts';
import { timeline, timelineQuery } from '../../contract/timeline.ts';
import { actorOf } from '../auth.ts';
import { knownId } from '../schemas.ts';

const timeOffParams = z.object({ id: z.string(), timeOffId: z.string() });

/** The rep's working day beyond the queue: "back early" from time off, and a lead's timeline. */
export function repDayRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.delete('/api/users/:id/time-off/:timeOffId', {
      schema: { params: timeOffParams, tags: ['users'], response: { 204: noContent, ...errors(401, 404) } },
    }, async (req, reply) => {
      await removeTimeOff(ctx, actorOf(req), knownId(req.params.id, 'user'), knownId(req.params.timeOffId, 'time off'));
      return reply.status(204).send(null);
    });

    app.get('/api/leads/:id/timeline', {
      schema: { params: idParams, querystring: timelineQuery, tags: ['leads'], response: { 200: timeline, ...errors(400, 401, 404) } },
    }, async (req) => leadTimeline(ctx, actorOf(req), knownId(req.params.id, 'record'), req.query));
  };
}
