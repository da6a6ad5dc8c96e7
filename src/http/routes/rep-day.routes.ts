import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { manualEmailDraft, sendManualEmail } from '../../app/manual-email.ts';
import { bulkUpdateTasks } from '../../app/task-bulk.ts';
import { removeTimeOff } from '../../app/time-off.ts';
import { leadTimeline } from '../../app/timeline.ts';
import { errors, idParams, noContent } from '../../contract/common.ts';
import { manualEmailDraft as draftSchema, sendManualEmailInput, sentManualEmail } from '../../contract/manual-email.ts';
import { taskBulkInput, taskBulkResult } from '../../contract/task-bulk.ts';
import { timeline, timelineQuery } from '../../contract/timeline.ts';
import { actorOf } from '../auth.ts';
import { knownId } from '../schemas.ts';

const timeOffParams = z.object({ id: z.string(), timeOffId: z.string() });

/**
 * The rep's working day beyond the queue: a manual email's draft and its sending, bulk
 * skip and snooze, "back early" from time off, and a lead's timeline.
 */
export function repDayRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/tasks/:id/draft', {
      schema: { params: idParams, tags: ['tasks'], response: { 200: draftSchema, ...errors(401, 404, 409, 422) } },
    }, async (req) => manualEmailDraft(ctx, actorOf(req), knownId(req.params.id, 'task')));

    app.post('/api/tasks/:id/send', {
      schema: { params: idParams, body: sendManualEmailInput, tags: ['tasks'], response: { 200: sentManualEmail, ...errors(400, 401, 404, 409, 422) } },
    }, async (req) => sendManualEmail(ctx, actorOf(req), knownId(req.params.id, 'task'), req.body));

    app.post('/api/tasks/bulk', {
      schema: { body: taskBulkInput, tags: ['tasks'], response: { 200: taskBulkResult, ...errors(400, 401) } },
    }, async (req) => bulkUpdateTasks(ctx, actorOf(req), req.body));

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
