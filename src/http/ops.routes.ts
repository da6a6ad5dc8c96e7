import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context.ts';
import { errors } from '../contract/common.ts';
import { health } from '../contract/ops.ts';
import { DATABASE_PROBE_TIMEOUT_MS, metricsAuthorized, scrapeMetrics } from '../ops/metrics-endpoint.ts';
import { pingDatabase } from '../store/ops.repository.ts';
import { sendError } from './errors.ts';

export interface OpsOptions {
  /** `METRICS_TOKEN`: when set, `GET /metrics` needs it as a bearer token. */
  metricsToken?: string | null;
  /** How long health and metrics wait for the database before answering 503. */
  databaseTimeoutMs?: number;
}

/**
 * `GET /api/health` (no auth) for load balancers and orchestrators: 200 only while the
 * database answers. `GET /metrics` for Prometheus; outside /api, so it has its own token.
 */
export function opsRoutes(ctx: AppContext, opts: OpsOptions): FastifyPluginAsyncZod {
  const timeoutMs = opts.databaseTimeoutMs ?? DATABASE_PROBE_TIMEOUT_MS;
  const token = opts.metricsToken ?? null;
  return async (app) => {
    app.get('/api/health', {
      schema: {
        tags: ['meta'],
        description: '200 while the database answers a query within 2 s; 503 otherwise',
        security: [],
        response: { 200: health, ...errors(503) },
      },
    }, async (request, reply) => {
      try {
        await pingDatabase(ctx.db, timeoutMs);
        return { ok: true as const };
      } catch (e) {
        request.log.warn({ err: e }, 'health: the database does not answer');
        return sendError(reply, 503, 'unavailable', 'the database does not answer');
      }
    });

    app.get('/metrics', {
      schema: {
        tags: ['meta'],
        description: 'Prometheus text format; with METRICS_TOKEN set, send it as a bearer token',
        response: {
          200: { description: 'The metrics', content: { 'text/plain': { schema: z.string() } } },
          ...errors(401, 503),
        },
      },
    }, async (request, reply) => {
      if (!metricsAuthorized(request.headers.authorization, token)) {
        reply.header('www-authenticate', 'Bearer');
        return sendError(reply, 401, 'unauthorized', 'send "Authorization: Bearer <METRICS_TOKEN>"');
      }
      try {
        const text = await scrapeMetrics(ctx, timeoutMs);
        return reply.type(ctx.metrics.contentType).send(text);
      } catch (e) {
        request.log.warn({ err: e }, 'metrics: could not read the queue gauges');
        return sendError(reply, 503, 'unavailable', 'the database does not answer');
      }
    });
  };
}
