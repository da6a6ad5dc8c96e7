import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { LoginThrottle } from '../../app/login-throttle.ts';
import { changePassword, login, logout, setupFirstAdmin, setupNeeded } from '../../app/sessions.ts';
import { authenticate } from '../../app/users.ts';
import { errors, noContent } from '../../contract/common.ts';
import { loginInput, passwordChange, sessionAnswer, setupInput, setupStatus } from '../../contract/sessions.ts';
import { actorOf } from '../auth.ts';
import { clearSessionCookie, setSessionCookie } from '../session-cookie.ts';

/** The web app's sign-in: first-admin setup, sessions by cookie, password changes. */
export function sessionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // One per server: this process's memory (see LoginThrottle).
  const throttle = new LoginThrottle(ctx.clock);
  return async (app) => {
    app.get('/api/setup', { schema: { tags: ['sessions'], security: [], response: { 200: setupStatus } } }, async () => ({ needed: await setupNeeded(ctx) }));

    app.post('/api/setup', {
      schema: { body: setupInput, tags: ['sessions'], security: [], response: { 201: sessionAnswer, ...errors(400, 401, 403, 409) } },
    }, async (req, reply) => {
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const caller = bearer ? await authenticate(ctx, bearer) : null;
      if (bearer && !caller) throw new AppError('unauthorized', 'unknown or revoked token');
      const session = await setupFirstAdmin(ctx, req.body, caller);
      setSessionCookie(ctx, reply, session.token, session.expiresAt);
      return reply.status(201).send({ user: session.user });
    });

    app.post('/api/session', {
      schema: { body: loginInput, tags: ['sessions'], security: [], response: { 200: sessionAnswer, ...errors(400, 401, 403, 429) } },
    }, async (req, reply) => {
      const { email, password } = req.body;
      const waitMs = throttle.waitMs(email, req.ip);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        reply.header('retry-after', String(seconds));
        throw new AppError('rate_limited', `too many failed sign-ins: try again in ${seconds} s`);
      }
      try {
        const session = await login(ctx, email, password);
        throttle.recordSuccess(email);
        setSessionCookie(ctx, reply, session.token, session.expiresAt);
        return { user: session.user };
      } catch (error) {
        if (error instanceof AppError && error.code === 'unauthorized') throttle.recordFailure(email, req.ip);
        throw error;
      }
    });

    // Signs the browser out: its session is deleted, not only its cookie. A bearer caller has none to end.
    app.delete('/api/session', { schema: { tags: ['sessions'], response: { 204: noContent, ...errors(401, 403) } } }, async (req, reply) => {
      actorOf(req);
      if (req.sessionToken) await logout(ctx, req.sessionToken);
      clearSessionCookie(ctx, reply);
      return reply.status(204).send(null);
    });

    app.put('/api/users/me/password', {
      schema: { body: passwordChange, tags: ['users'], response: { 204: noContent, ...errors(400, 401, 403, 409) } },
    }, async (req, reply) => {
      await changePassword(ctx, actorOf(req), req.body.current, req.body.password, req.sessionToken);
      return reply.status(204).send(null);
    });
  };
}
