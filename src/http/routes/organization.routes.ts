import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { addHolidays, getOrganization, removeHoliday, updateOrganization } from '../../app/organization.ts';
import { timeZoneSchema } from '../../domain/cadence.ts';
import { actorOf, requireAdmin } from '../auth.ts';

const isoDate = z.iso.date({ message: 'expected a date as YYYY-MM-DD' });
const organizationPatch = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  timezone: timeZoneSchema.optional(),
  workingDays: z.array(z.number().int().min(1).max(7)).max(7).optional(),
  holidays: z.array(isoDate).max(1000).optional(),
});

/** Organisation defaults and the holiday calendar that business days skip. */
export function organizationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/organization', { schema: { tags: ['organization'] } }, async (req) => {
      actorOf(req);
      return getOrganization(ctx);
    });
    app.patch('/api/organization', { schema: { body: organizationPatch, tags: ['organization'] } }, async (req) => {
      requireAdmin(req);
      return updateOrganization(ctx, req.body);
    });
    app.get('/api/holidays', { schema: { tags: ['organization'] } }, async (req) => {
      actorOf(req);
      return { items: (await getOrganization(ctx)).holidays };
    });
    app.post('/api/holidays', { schema: { body: z.object({ dates: z.array(isoDate).min(1).max(1000) }), tags: ['organization'] } }, async (req, reply) => {
      requireAdmin(req);
      return reply.status(201).send({ items: await addHolidays(ctx, req.body.dates) });
    });
    app.delete('/api/holidays/:date', { schema: { params: z.object({ date: isoDate }), tags: ['organization'] } }, async (req) => {
      requireAdmin(req);
      return { items: await removeHoliday(ctx, req.params.date) };
    });
  };
}
