import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DateTime, Duration } from 'luxon';
import { z } from 'zod';
import type { ManualClock } from '../../app/clock.ts';
import type { AppContext } from '../../app/context.ts';
import { listOutbox } from '../../app/emails.ts';
import { invalid } from '../../app/errors.ts';
import type { Engine } from '../../engine/engine.ts';
import { requireAdmin } from '../auth.ts';
import { clockBody, MAX_INSTANT } from '../schemas.ts';

export interface DevOptions {
  /** Present only with CADENZA_CLOCK=manual: the clock route exists only then. */
  manualClock?: ManualClock;
  engine?: Engine;
}

export function devRoutes(ctx: AppContext, opts: DevOptions): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/dev/outbox', { schema: { querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }), tags: ['dev'] } }, async (req) => {
      requireAdmin(req);
      return { items: await listOutbox(ctx, req.query.limit) };
    });

    const clock = opts.manualClock;
    if (!clock) return;
    // Answers only once the engine has processed everything due at the new time.
    app.post('/api/dev/clock', { schema: { body: clockBody, tags: ['dev'] } }, async (req) => {
      requireAdmin(req);
      const now = clock.now();
      let target: Date;
      if (req.body.advance) {
        const duration = Duration.fromISO(req.body.advance);
        if (!duration.isValid || duration.toMillis() < 0) throw invalid('body.advance: expected a positive ISO-8601 duration', [{ path: 'body.advance', message: 'invalid duration' }]);
        // Calendar arithmetic in UTC: P1M from 2 March is 2 April.
        target = DateTime.fromJSDate(now, { zone: 'UTC' }).plus(duration).toJSDate();
      } else {
        target = new Date(req.body.to!);
        if (target < now) throw invalid(`body.to: the clock does not go backwards (now ${now.toISOString()})`, [{ path: 'body.to', message: 'before now' }]);
      }
      if (!(target.getTime() < MAX_INSTANT)) {
        throw invalid('body: the clock cannot go past the year 3000', [{ path: 'body', message: 'too far in the future' }]);
      }
      clock.set(target);
      if (opts.engine) await opts.engine.drain(target);
      return { now: target.toISOString() };
    });
  };
}
