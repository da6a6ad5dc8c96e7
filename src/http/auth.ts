import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../app/actor.ts';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { authenticate } from '../app/users.ts';
import { TokenCache, type TokenCacheOptions } from './token-cache.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

const PUBLIC_API = new Set(['/api/openapi.json', '/api/health']);

/**
 * Every /api route needs a bearer token, except the OpenAPI document and health.
 * Holders are remembered for TOKEN_CACHE_MS (2 s): a revoked token stops working
 * within that time.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext, cache: TokenCacheOptions = {}): void {
  const tokens = new TokenCache((token) => authenticate(ctx, token), cache);
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0];
    if (!path.startsWith('/api/') || PUBLIC_API.has(path)) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('unauthorized', 'missing bearer token: send "Authorization: Bearer <token>"');
    const actor = await tokens.actorOf(match[1]);
    if (!actor) throw new AppError('unauthorized', 'unknown or revoked token');
    request.actor = actor;
  });
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthorized', 'missing bearer token');
  return request.actor;
}

export function requireAdmin(request: FastifyRequest): Actor {
  const actor = actorOf(request);
  if (actor.role !== 'admin') throw new AppError('forbidden', 'this action needs an admin');
  return actor;
}
