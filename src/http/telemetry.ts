import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.ts';

/** An incoming `x-request-id` a proxy set is kept when it is a plausible id, never arbitrary text in our logs. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify's genReqId: the caller's `x-request-id` when it is well formed, a new UUID otherwise. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * One log line per request (method, URL, route, status, time; the request id on it
 * and on every line logged while serving it), the id echoed as `x-request-id`, and
 * the request's duration in the metrics, labelled by route pattern, not raw URL
 * (`/api/leads/:id`, not one series per lead). Headers are not logged: no
 * authorization or cookie reaches the logs.
 */
export function registerTelemetry(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const seconds = reply.elapsedTime / 1000;
    ctx.metrics.httpDuration.observe({ method: request.method, route, status: String(status) }, seconds);
    const line = { method: request.method, url: request.url, route, statusCode: status, ms: Math.round(reply.elapsedTime * 10) / 10, ip: request.ip };
    if (status >= 500) request.log.error(line, 'request failed');
    else request.log.info(line, 'request');
  });
}
