import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.ts';

/** The browser's session cookie (the web app); API clients use bearer tokens. */
export const SESSION_COOKIE = 'cadenza_session';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const isWrite = (method: string) => WRITES.has(method);

/**
 * httpOnly (no script reads it), SameSite=Lax (not sent on another site's POST),
 * Secure when the server is public over https, for every path.
 */
export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string, expires: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true, sameSite: 'lax', secure: ctx.config.publicUrl.startsWith('https:'), path: '/', expires,
  });
}

export function clearSessionCookie(ctx: AppContext, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: ctx.config.publicUrl.startsWith('https:'), path: '/' });
}

/**
 * Whether a request comes from one of our own pages: its `Origin` is PUBLIC_URL's or
 * the Host it was sent to; without `Origin`, the browser's `Sec-Fetch-Site` says
 * same-origin. A request with neither is not trusted: browsers send one on every write.
 */
export function fromOwnOrigin(ctx: AppContext, request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    const own = new Set([originOf(ctx.config.publicUrl)]);
    if (request.headers.host) own.add(`${request.protocol}://${request.headers.host}`);
    return own.has(origin);
  }
  return request.headers['sec-fetch-site'] === 'same-origin';
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
