import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { applyBookingCall, listIntegrations, removeIntegration, setIntegration, verifyBookingCall } from '../../app/bookings.ts';
import type { AppContext } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { errors, noContent } from '../../contract/common.ts';
import { bookingResult, integration, integrationInput, integrationList, providerParams } from '../../contract/webhooks.ts';
import type { BookingProvider } from '../../webhooks/booking-webhooks.ts';
import { actorOf } from '../auth.ts';
import { formatBytes, MAX_JSON_DEPTH, tooDeepPath } from '../input-guard.ts';

/** The most a provider's booking webhook may send: a booking is a few KB. */
export const BOOKING_BODY_LIMIT = 64 * 1024;

/** Booking tools (Cal.com, Calendly): their signing secrets (admin), and the webhooks they call. */
export function integrationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['integrations'];
    app.get('/api/integrations', { schema: { tags, response: { 200: integrationList, ...errors(401, 403) } } }, async (req) =>
      ({ items: await listIntegrations(ctx, actorOf(req)) }));
    app.put('/api/integrations/:provider', {
      schema: { params: providerParams, body: integrationInput, tags, description: 'The provider\'s webhook signing secret (never shown again).', response: { 200: integration, ...errors(400, 401, 403) } },
    }, async (req) => setIntegration(ctx, actorOf(req), req.params.provider, req.body.secret));
    app.delete('/api/integrations/:provider', { schema: { params: providerParams, tags, response: { 204: noContent, ...errors(400, 401, 403, 404) } } }, async (req, reply) => {
      await removeIntegration(ctx, actorOf(req), req.params.provider);
      return reply.status(204).send(null);
    });
    await app.register(providerWebhooks(ctx));
  };
}

/**
 * The providers' calls: no bearer token (see auth.ts), the signature is the proof. The
 * body is read as bytes, whatever its content type, so the signature is checked on
 * exactly what was sent; JSON is parsed only after that.
 */
function providerWebhooks(ctx: AppContext): FastifyPluginAsyncZod {
  return async (hooks) => {
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    const tags = ['integrations'];

    const route = (provider: BookingProvider, header: string, description: string) => hooks.post(`/api/integrations/${provider}`, {
      schema: {
        tags, security: [], description: `${description} Up to ${formatBytes(BOOKING_BODY_LIMIT)}.`,
        headers: z.object({ [header]: z.string().optional() }).loose(),
        response: { 200: bookingResult, ...errors(400, 401, 413) },
      },
      bodyLimit: BOOKING_BODY_LIMIT,
      config: { inputGuard: 'off' as const }, // bytes, checked after the signature
    }, async (req) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const signature = req.headers[header];
      const value = Array.isArray(signature) ? signature[0] : signature;
      await verifyBookingCall(ctx, provider, raw, provider === 'calcom' ? { calcomSignature: value } : { calendlySignature: value });
      return applyBookingCall(ctx, provider, parseSigned(raw));
    });
    route('calcom', 'x-cal-signature-256', 'Cal.com\'s booking webhook, signed by `x-cal-signature-256` (hex HMAC-SHA256 of the body). A booking by a lead\'s email is a `meeting_booked` signal.');
    route('calendly', 'calendly-webhook-signature', 'Calendly\'s booking webhook, signed by `Calendly-Webhook-Signature: t=…,v1=…` (3 minutes\' tolerance). A booking by a lead\'s email is a `meeting_booked` signal.');
  };
}

/** The signed body as JSON, depth-limited like every other route's before it is parsed. */
function parseSigned(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  const deep = tooDeepPath(text);
  if (deep) {
    const message = `nested deeper than ${MAX_JSON_DEPTH} levels`;
    throw new AppError('invalid_request', `${deep}: ${message}`, [{ path: deep, message }]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError('invalid_request', `body: not valid JSON (${(e as Error).message})`, [{ path: 'body', message: 'not valid JSON' }]);
  }
}
