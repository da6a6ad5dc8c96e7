import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { listEmails } from '../../app/emails.ts';
import { exitEnrollment, getEnrollment, listEnrollments, pauseEnrollment, resumeEnrollment } from '../../app/enrollments.ts';
import { applySignal } from '../../app/signals.ts';
import { reassignTask, skipTask, snoozeTask } from '../../app/task-actions.ts';
import { completeTask, listTasks } from '../../app/tasks.ts';
import { errors, idParams } from '../../contract/common.ts';
import { emailList, emailQuery } from '../../contract/emails.ts';
import { enrollment, enrollmentList, enrollmentQuery, enrollmentWithHistory } from '../../contract/enrollments.ts';
import { signalAccepted, signalInput } from '../../contract/signals.ts';
import { completeTaskInput, reassignTaskInput, skipTaskInput, snoozeTaskInput, task, taskList, taskQuery } from '../../contract/tasks.ts';
import { actorOf } from '../auth.ts';
import { knownId } from '../schemas.ts';

/** Enrolments, the rep's task queue, emails and signals. */
export function workRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/enrollments', { schema: { querystring: enrollmentQuery, tags: ['enrollments'], response: { 200: enrollmentList, ...errors(400, 401) } } }, async (req) =>
      ({ items: await listEnrollments(ctx, actorOf(req), req.query) }));
    app.get('/api/enrollments/:id', { schema: { params: idParams, tags: ['enrollments'], response: { 200: enrollmentWithHistory, ...errors(401, 404) } } }, async (req) =>
      getEnrollment(ctx, actorOf(req), knownId(req.params.id, 'enrollment')));
    const changes = { params: idParams, tags: ['enrollments'], response: { 200: enrollment, ...errors(401, 404, 409) } };
    app.post('/api/enrollments/:id/pause', { schema: changes }, async (req) =>
      pauseEnrollment(ctx, actorOf(req), knownId(req.params.id, 'enrollment')));
    app.post('/api/enrollments/:id/resume', { schema: changes }, async (req) =>
      resumeEnrollment(ctx, actorOf(req), knownId(req.params.id, 'enrollment')));
    app.post('/api/enrollments/:id/exit', { schema: changes }, async (req) =>
      exitEnrollment(ctx, actorOf(req), knownId(req.params.id, 'enrollment')));

    app.get('/api/tasks', { schema: { querystring: taskQuery, tags: ['tasks'], response: { 200: taskList, ...errors(400, 401) } } }, async (req) =>
      ({ items: await listTasks(ctx, actorOf(req), req.query) }));
    const taskAction = <B>(body: B) => ({ params: idParams, body, tags: ['tasks'], response: { 200: task, ...errors(400, 401, 404, 409) } });
    app.post('/api/tasks/:id/complete', { schema: taskAction(completeTaskInput) }, async (req) =>
      completeTask(ctx, actorOf(req), knownId(req.params.id, 'task'), req.body ?? {}));
    app.post('/api/tasks/:id/skip', { schema: taskAction(skipTaskInput) }, async (req) =>
      skipTask(ctx, actorOf(req), knownId(req.params.id, 'task'), req.body ?? {}));
    app.post('/api/tasks/:id/snooze', { schema: taskAction(snoozeTaskInput) }, async (req) =>
      snoozeTask(ctx, actorOf(req), knownId(req.params.id, 'task'), new Date(req.body.until)));
    app.post('/api/tasks/:id/reassign', { schema: taskAction(reassignTaskInput) }, async (req) =>
      reassignTask(ctx, actorOf(req), knownId(req.params.id, 'task'), req.body.ownerId));

    app.get('/api/emails', { schema: { querystring: emailQuery, tags: ['emails'], response: { 200: emailList, ...errors(400, 401) } } }, async (req) =>
      ({ items: await listEmails(ctx, actorOf(req), req.query) }));

    app.post('/api/signals', { schema: { body: signalInput, tags: ['signals'], response: { 202: signalAccepted, ...errors(400, 401, 404) } } }, async (req, reply) => {
      const { type, recordId, messageId, email, at } = req.body;
      const outcome = await applySignal(ctx, actorOf(req), { type, recordId, messageId, email, at: at ? new Date(at) : undefined });
      return reply.status(202).send({ accepted: true as const, recordId: outcome.recordId, exited: outcome.exited, boosts: outcome.boosts });
    });
  };
}
