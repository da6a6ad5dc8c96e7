import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app/context.ts';
import { registerAuth } from './auth.ts';
import { BODY_LIMITS, registerInputGuard } from './input-guard.ts';
import { errorHandler, frameworkErrorHandler, sendError } from './errors.ts';
import { analyticsRoutes } from './routes/analytics.routes.ts';
import { cadenceRoutes } from './routes/cadence.routes.ts';
import { devRoutes, type DevOptions } from './routes/dev.routes.ts';
import { leadImportRoutes } from './routes/lead-import.routes.ts';
import { leadListRoutes } from './routes/lead-list.routes.ts';
import { mailRoutes } from './routes/mail.routes.ts';
import { organizationRoutes } from './routes/organization.routes.ts';
import { userAdminRoutes } from './routes/user-admin.routes.ts';
import { webhookRoutes } from './routes/webhook.routes.ts';
import { integrationRoutes } from './routes/integration.routes.ts';
import { peopleRoutes } from './routes/people.routes.ts';
import { repDayRoutes } from './routes/rep-day.routes.ts';
import { sessionRoutes } from './routes/session.routes.ts';
import { workRoutes } from './routes/work.routes.ts';
import { opsRoutes, type OpsOptions } from './ops.routes.ts';
import { RequestLog, registerTelemetry, requestIdOf } from './telemetry.ts';
import { registerWebApp, type WebAppOptions } from './web-app.ts';

export interface ServerOptions extends DevOptions, OpsOptions, WebAppOptions {
  /** Sees every route as it is added, its schemas included (the typed client's route map is checked against them). */
  onRoute?: (route: RouteOptions) => void;
}

export async function buildServer(ctx: AppContext, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // The context's pino logger (silent unless the caller gave one), one line a request.
    loggerInstance: ctx.log as FastifyBaseLogger,
    logController: new RequestLog(),
    genReqId: requestIdOf,
    frameworkErrors: frameworkErrorHandler, // a malformed or overlong path answers in the error shape too (a pixel stays a GIF)
    bodyLimit: BODY_LIMITS.json, // routes that take more say so
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Cadenza API', version: '1.0.0', description: 'Sales cadences: steps, enrolments, tasks, emails and signals.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  registerTelemetry(app, ctx);
  await app.register(cookie); // parses Cookie before the auth hook reads the session
  registerAuth(app, ctx);
  registerInputGuard(app);

  await app.register(opsRoutes(ctx, { metricsToken: opts.metricsToken ?? (process.env.METRICS_TOKEN || null), databaseTimeoutMs: opts.databaseTimeoutMs }));
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(peopleRoutes(ctx));
  await app.register(leadListRoutes(ctx));
  await app.register(leadImportRoutes(ctx));
  await app.register(sessionRoutes(ctx));
  await app.register(cadenceRoutes(ctx));
  await app.register(analyticsRoutes(ctx));
  await app.register(workRoutes(ctx));
  await app.register(repDayRoutes(ctx));
  await app.register(mailRoutes(ctx));
  await app.register(organizationRoutes(ctx));
  await app.register(userAdminRoutes(ctx));
  await app.register(webhookRoutes(ctx));
  await app.register(integrationRoutes(ctx));
  await app.register(devRoutes(ctx, opts));
  await registerWebApp(app, { webDist: opts.webDist }); // the web app at / (web/dist)
  return app;
}
