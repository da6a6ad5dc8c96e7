import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { addHolidays, getOrganization, removeHoliday, updateOrganization } from '../../app/organization.ts';
import { errors } from '../../contract/common.ts';
import { holidayList, holidayParams, holidaysInput, organization, organizationPatch } from '../../contract/organization.ts';
import { actorOf } from '../auth.ts';

/** Organisation defaults and the holiday calendar that business days skip. */
export function organizationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/organization', { schema: { tags: ['organization'], response: { 200: organization, ...errors(401) } } }, async (req) => {
      actorOf(req);
      return getOrganization(ctx);
    });
    app.patch('/api/organization', {
      schema: { body: organizationPatch, tags: ['organization'], response: { 200: organization, ...errors(400, 401, 403) } },
    }, async (req) => updateOrganization(ctx, actorOf(req), req.body));
    app.get('/api/holidays', { schema: { tags: ['organization'], response: { 200: holidayList, ...errors(401) } } }, async (req) => {
      actorOf(req);
      return { items: (await getOrganization(ctx)).holidays };
    });
    app.post('/api/holidays', {
      schema: { body: holidaysInput, tags: ['organization'], response: { 201: holidayList, ...errors(400, 401, 403) } },
    }, async (req, reply) => reply.status(201).send({ items: await addHolidays(ctx, actorOf(req), req.body.dates) }));
    app.delete('/api/holidays/:date', {
      schema: { params: holidayParams, tags: ['organization'], response: { 200: holidayList, ...errors(400, 401, 403) } },
    }, async (req) => ({ items: await removeHoliday(ctx, actorOf(req), req.params.date) }));
  };
}
