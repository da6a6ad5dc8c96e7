import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.ts';

/** An incoming `x-request-id` a proxy set is kept when it is a plausible id, never arbitrary text in our logs. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify's genReqId: the caller's `x-request-id` when it is well formed, a new UUID otherwise. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The URL as logged: the token of a tracking or unsubscribe link is its holder's key
 * (whoever reads it can unsubscribe the lead), so it never reaches the logs.
 */
export const loggableUrl = (url: string) => url.replace(/^\/(t\/[oc]|u)\/[^?#]*/, '/$1/***');

/** The route pattern (`/api/leads/:id`), never the raw URL: one series per route, not per lead. */
const routeOf = (request: FastifyRequest) => request.routeOptions.url ?? 'unmatched';

/**
 * Fastify's request log lines, one per request instead of two: method, URL, route,
 * status and time, with the request id (as on every line logged while serving it).
 * No header is logged: no authorization or cookie reaches the logs. Fastify's other
 * lines (a stream or serializer error) stay as they are.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode;
    const line = { method: request.method, url: loggableUrl(request.url), route: routeOf(request), statusCode: status, ms: Math.round(reply.elapsedTime * 10) / 10, ip: request.ip };
    if (error) request.log.error({ ...line, err: error }, 'request failed');
    else if (status >= 500) request.log.error(line, 'request failed');
    else request.log.info(line, 'request');
  }
}

/** The request id echoed as `x-request-id`, and each request's duration in the metrics. */
export function registerTelemetry(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.httpDuration.observe({ method: request.method, route: routeOf(request), status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}
