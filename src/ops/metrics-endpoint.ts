import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AppContext } from '../app/context.ts';
import { readQueueDepths } from '../store/ops.repository.ts';

/** A scrape or a health probe waits this long for the database, then answers 503. */
export const DATABASE_PROBE_TIMEOUT_MS = 2000;

/** This process's metrics in Prometheus' text format, the shared gauges read from the database. */
export function scrapeMetrics(ctx: AppContext, timeoutMs = DATABASE_PROBE_TIMEOUT_MS): Promise<string> {
  return ctx.metrics.render(() => readQueueDepths(ctx.db, ctx.clock.now(), timeoutMs));
}

/** No token configured: open. Otherwise the `Authorization` header must be `Bearer <token>`. */
export function metricsAuthorized(authorization: string | undefined, token: string | null): boolean {
  if (!token) return true;
  const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!given) return false;
  // Compared as digests: equal lengths, and no timing hint of how much of the token matched.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

export interface MetricsServerOptions {
  port: number;
  host?: string;
  token: string | null;
}

/**
 * A worker has no API: when `METRICS_PORT` is set it answers `GET /metrics` on that
 * port (same format and `METRICS_TOKEN` rule as `serve`). The listener does not keep
 * the process alive: it ends with the engine.
 */
export async function startMetricsServer(ctx: AppContext, opts: MetricsServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const answer = (status: number, body: string, type = 'application/json; charset=utf-8', headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, ...headers }).end(body);
    };
    const error = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
      answer(status, JSON.stringify({ error: { code, message } }), undefined, headers);
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') return error(404, 'not_found', 'only GET /metrics is served here');
    if (!metricsAuthorized(req.headers.authorization, opts.token)) {
      return error(401, 'unauthorized', 'send "Authorization: Bearer <METRICS_TOKEN>"', { 'www-authenticate': 'Bearer' });
    }
    scrapeMetrics(ctx).then(
      (text) => answer(200, text, ctx.metrics.contentType),
      (e: unknown) => {
        ctx.log.warn({ err: e }, 'metrics: could not read the queue gauges');
        error(503, 'unavailable', 'the database does not answer');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  ctx.log.info({ port: opts.port }, 'metrics served on GET /metrics');
  return server;
}

/** `startMetricsServer` as the environment asks (`METRICS_PORT`, `METRICS_TOKEN`); null when no port is set. */
export async function metricsServerFromEnv(ctx: AppContext, env: NodeJS.ProcessEnv = process.env): Promise<Server | null> {
  const raw = env.METRICS_PORT;
  if (raw === undefined || raw === '') return null;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`METRICS_PORT must be a port number (1-65535), not "${raw}"`);
  return startMetricsServer(ctx, { port, host: env.METRICS_HOST || undefined, token: env.METRICS_TOKEN || null });
}
