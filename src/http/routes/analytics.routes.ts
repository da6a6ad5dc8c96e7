import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { exportCadenceAnalytics, getCadenceAnalytics, getStatsLeads } from '../../app/analytics.ts';
import type { AppContext } from '../../app/context.ts';
import { cadenceAnalytics, statsLeads, statsLeadsQuery, statsQuery } from '../../contract/analytics.ts';
import { errors, idParams } from '../../contract/common.ts';
import { actorOf } from '../auth.ts';
import { knownId } from '../schemas.ts';

/** A cadence's analytics: the stats, their CSV and the leads behind each number. */
export function analyticsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/cadences/:id/stats', {
      schema: { params: idParams, querystring: statsQuery, tags: ['cadences'], response: { 200: cadenceAnalytics, ...errors(400, 401, 404) } },
    }, async (req) => getCadenceAnalytics(ctx, actorOf(req), knownId(req.params.id, 'cadence'), req.query));

    app.get('/api/cadences/:id/stats/export', {
      schema: {
        params: idParams, querystring: statsQuery, tags: ['cadences'],
        description: 'The funnel per step and the numbers by rep, as CSV (a download)',
        response: { 200: { description: 'CSV, a header row before each table', content: { 'text/csv': { schema: z.string() } } }, ...errors(400, 401, 404) },
      },
    }, async (req, reply) => {
      const { filename, csv } = await exportCadenceAnalytics(ctx, actorOf(req), knownId(req.params.id, 'cadence'), req.query);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(csv);
    });

    app.get('/api/cadences/:id/stats/leads', {
      schema: { params: idParams, querystring: statsLeadsQuery, tags: ['cadences'], response: { 200: statsLeads, ...errors(400, 401, 404) } },
    }, async (req) => getStatsLeads(ctx, actorOf(req), knownId(req.params.id, 'cadence'), req.query));
  };
}
