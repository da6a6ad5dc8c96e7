import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { listEmails } from '../../app/emails.ts';
import { exitEnrollment, getEnrollment, listEnrollments, pauseEnrollment, resumeEnrollment } from '../../app/enrollments.ts';
import { applySignal } from '../../app/signals.ts';
import { reassignTask, skipTask, snoozeTask } from '../../app/task-actions.ts';
import { completeTask, listTasks } from '../../app/tasks.ts';
import { actorOf } from '../auth.ts';
import {
  completeTaskBody, emailQuery, enrollmentQuery, idParams, knownId, reassignTaskBody, signalBody, skipTaskBody, snoozeTaskBody, taskQuery,
} from '../schemas.ts';

/** Enrolments, the rep's task queue, emails and signals. */
export function workRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/enrollments', { schema: { querystring: enrollmentQuery, tags: ['enrollments'] } }, async (req) =>
      ({ items: await listEnrollments(ctx, actorOf(req), req.query) }));
    app.get('/api/enrollments/:id', { schema: { params: idParams, tags: ['enrollments'] } }, async (req) =>
      getEnrollment(ctx, actorOf(req), knownId(req.params.id, 'enrollment')));
    app.post('/api/enrollments/:id/pause', { schema: { params: idParams, tags: ['enrollments'] } }, async (req) =>
      pauseEnrollment(ctx, actorOf(req), knownId(req.params.id, 'enrollment')));
    app.post('/api/enrollments/:id/resume', { schema: { params: idParams, tags: ['enrollments'] } }, async (req) =>
      resumeEnrollment(ctx, actorOf(req), knownId(req.params.id, 'enrollment')));
    app.post('/api/enrollments/:id/exit', { schema: { params: idParams, tags: ['enrollments'] } }, async (req) =>
      exitEnrollment(ctx, actorOf(req), knownId(req.params.id, 'enrollment')));

    app.get('/api/tasks', { schema: { querystring: taskQuery, tags: ['tasks'] } }, async (req) =>
      ({ items: await listTasks(ctx, actorOf(req), req.query) }));
    app.post('/api/tasks/:id/complete', { schema: { params: idParams, body: completeTaskBody, tags: ['tasks'] } }, async (req) =>
      completeTask(ctx, actorOf(req), knownId(req.params.id, 'task'), req.body ?? {}));
    app.post('/api/tasks/:id/skip', { schema: { params: idParams, body: skipTaskBody, tags: ['tasks'] } }, async (req) =>
      skipTask(ctx, actorOf(req), knownId(req.params.id, 'task'), req.body ?? {}));
    app.post('/api/tasks/:id/snooze', { schema: { params: idParams, body: snoozeTaskBody, tags: ['tasks'] } }, async (req) =>
      snoozeTask(ctx, actorOf(req), knownId(req.params.id, 'task'), new Date(req.body.until)));
    app.post('/api/tasks/:id/reassign', { schema: { params: idParams, body: reassignTaskBody, tags: ['tasks'] } }, async (req) =>
      reassignTask(ctx, actorOf(req), knownId(req.params.id, 'task'), req.body.ownerId));

    app.get('/api/emails', { schema: { querystring: emailQuery, tags: ['emails'] } }, async (req) =>
      ({ items: await listEmails(ctx, actorOf(req), req.query) }));

    app.post('/api/signals', { schema: { body: signalBody, tags: ['signals'] } }, async (req, reply) => {
      const { type, recordId, messageId, at } = req.body;
      const outcome = await applySignal(ctx, actorOf(req), { type, recordId, messageId, at: at ? new Date(at) : undefined });
      return reply.status(202).send({ accepted: true, recordId: outcome.recordId, exited: outcome.exited, boosts: outcome.boosts });
    });
  };
}
