import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../app/actor.ts';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { sessionActor } from '../app/sessions.ts';
import { authenticate } from '../app/users.ts';
import { SESSION_COOKIE, fromOwnOrigin, isWrite } from './session-cookie.ts';
import { TokenCache, type TokenCacheOptions } from './token-cache.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** The session cookie that authenticated the request, if one did. */
    sessionToken: string | null;
  }
}

const PUBLIC_API = new Set(['/api/openapi.json', '/api/health', '/api/setup']);
/** Sign-in itself: no caller yet, but a page of another site may not sign a browser in. */
const SIGN_IN = new Set(['POST /api/session', 'POST /api/setup']);
/** Invitation links (`/api/invitations/:token`): the token is the proof; accepting one signs in. */
const INVITATIONS = '/api/invitations/';
/** Writes that may take rights away from a token's holder. */
const USER_CHANGES = new Set(['POST /api/users/:id/deactivate', 'PATCH /api/users/:id']);
/** Booking tools' webhooks (Cal.com, Calendly): their signature is the proof (src/app/bookings.ts). */
const PROVIDER_WEBHOOKS = new Set(['POST /api/integrations/calcom', 'POST /api/integrations/calendly']);
const isSignIn = (method: string, path: string) => SIGN_IN.has(`${method} ${path}`) || (method === 'POST' && path.startsWith(INVITATIONS));

/**
 * Every /api route needs a bearer token or a session cookie, except the OpenAPI
 * document, health, setup and sign-in. Token holders are remembered for
 * TOKEN_CACHE_MS (2 s): a revoked token stops working within that time. Sessions are
 * looked up on every request (a browser's pace), so a logout takes effect at once.
 * A write authenticated by the cookie must come from our own origin: the cookie is
 * sent by the browser whoever made the page.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext, cache: TokenCacheOptions = {}): void {
  const tokens = new TokenCache((token) => authenticate(ctx, token), cache);
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  // A deactivation or a role change takes effect at once in this process (others within TOKEN_CACHE_MS).
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 300 && USER_CHANGES.has(`${request.method} ${request.routeOptions.url}`)) tokens.clear();
  });
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0];
    if (isSignIn(request.method, path) && request.headers.origin !== undefined && !fromOwnOrigin(ctx, request)) {
      throw new AppError('forbidden', `sign-in from another origin (${request.headers.origin}) is refused`);
    }
    if (!path.startsWith('/api/') || PUBLIC_API.has(path) || path.startsWith(INVITATIONS) || isSignIn(request.method, path)) return;
    if (PROVIDER_WEBHOOKS.has(`${request.method} ${path}`)) return;
    const header = request.headers.authorization;
    const session = request.cookies?.[SESSION_COOKIE];
    if (header === undefined && session) {
      if (isWrite(request.method) && !fromOwnOrigin(ctx, request)) {
        throw new AppError('forbidden', 'a write signed in by cookie must come from this server\'s own pages (Origin or Sec-Fetch-Site); API clients send a bearer token');
      }
      const actor = await sessionActor(ctx, session);
      if (!actor) throw new AppError('unauthorized', 'the session has ended: sign in again');
      request.actor = actor;
      request.sessionToken = session;
      return;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) throw new AppError('unauthorized', 'missing bearer token: send "Authorization: Bearer <token>"');
    const actor = await tokens.actorOf(match[1]);
    if (!actor) throw new AppError('unauthorized', 'unknown or revoked token');
    request.actor = actor;
  });
}

/** The authenticated caller; use cases in src/app decide what it may do. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthorized', 'missing bearer token');
  return request.actor;
}
