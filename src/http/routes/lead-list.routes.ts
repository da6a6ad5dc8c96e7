import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { deleteLead, listLeads } from '../../app/leads.ts';
import { errors, idParams, noContent } from '../../contract/common.ts';
import { leadList, leadListQuery } from '../../contract/leads.ts';
import { actorOf } from '../auth.ts';
import { knownId } from '../schemas.ts';

/** The leads list (search, filters, cursor paging) and erasing a lead. */
export function leadListRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/leads', { schema: { querystring: leadListQuery, tags: ['leads'], response: { 200: leadList, ...errors(400, 401) } } }, async (req) =>
      listLeads(ctx, actorOf(req), req.query));
    // Erases the person: their work and history go; a suppressed address stays suppressed.
    app.delete('/api/leads/:id', { schema: { params: idParams, tags: ['leads'], response: { 204: noContent, ...errors(401, 404) } } }, async (req, reply) => {
      await deleteLead(ctx, actorOf(req), knownId(req.params.id, 'record'));
      return reply.status(204).send(null);
    });
  };
}
