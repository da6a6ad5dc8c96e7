import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ManualClock } from '../../app/clock.ts';
import type { AppContext } from '../../app/context.ts';
import { moveDevClock } from '../../app/dev-clock.ts';
import { listOutbox } from '../../app/emails.ts';
import { errors } from '../../contract/common.ts';
import { clockAnswer, clockInput, outboxList, outboxQuery } from '../../contract/ops.ts';
import type { Engine } from '../../engine/engine.ts';
import type { WebhookDispatcher } from '../../engine/webhook-dispatcher.ts';
import { actorOf } from '../auth.ts';

export interface DevOptions {
  /** Present only with CADENZA_CLOCK=manual: the clock route exists only then. */
  manualClock?: ManualClock;
  engine?: Engine;
  /** With the manual clock, a move also delivers the webhooks then due (after the engine). */
  webhooks?: WebhookDispatcher;
}

export function devRoutes(ctx: AppContext, opts: DevOptions): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/dev/outbox', {
      schema: { querystring: outboxQuery, tags: ['dev'], response: { 200: outboxList, ...errors(400, 401, 403) } },
    }, async (req) => listOutbox(ctx, actorOf(req), req.query));

    const clock = opts.manualClock;
    if (!clock) return;
    const { engine, webhooks } = opts;
    // The engine first: the events it writes at the new time are delivered in the same move.
    const drainable = engine || webhooks ? {
      async drain(at: Date) {
        await engine?.drain(at);
        await webhooks?.runOnce(at);
      },
    } : undefined;
    // Answers only once the engine has processed everything due at the new time.
    app.post('/api/dev/clock', {
      schema: { body: clockInput, tags: ['dev'], response: { 200: clockAnswer, ...errors(400, 401, 403) } },
    }, async (req) => moveDevClock(actorOf(req), clock, drainable, req.body));
  };
}
