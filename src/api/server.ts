// Builds the HTTP server: plugins, error mapping, OpenAPI at /docs, the native API, Open311 and the web page.
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Connector } from '../channels/connector.js';
import type { Context } from '../context.js';
import { installErrorHandler } from './errors.js';
import { open311Routes } from './open311/routes.js';
import { adminRoutes } from './routes/admin.js';
import { adminConfigRoutes } from './routes/admin-config.js';
import { analyticsRoutes } from './routes/analytics.js';
import { opinionRoutes } from './routes/analytics-opinion.js';
import { analyticsTopicsRoutes } from './routes/analytics-topics.js';
import { appealActionRoutes } from './routes/appeal-actions.js';
import { appealRoutes } from './routes/appeals.js';
import { authRoutes } from './routes/auth.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { incidentRoutes } from './routes/incidents.js';
import { meRoutes } from './routes/me.js';
import { pollRoutes } from './routes/polls.js';
import { publicRoutes } from './routes/public.js';
import { reportRoutes } from './routes/reports.js';
import { situationRoutes } from './routes/situation.js';
import { statsRoutes } from './routes/stats.js';
import { ticketRoutes } from './routes/tickets.js';
import { triageRoutes } from './routes/triage.js';
import { watchlistRoutes } from './routes/watchlist.js';
import { cspDirectives, serveWeb, tileUrlOf } from './web-serve.js';

export async function buildServer(ctx: Context, connectors: Connector[] = []) {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('user', null);
  installErrorHandler(app);

  // TLS and HSTS belong to the reverse proxy: over plain HTTP on a LAN address, upgrade-insecure-requests would
  // send the browser to an https:// that is not there.
  await app.register(helmet, { hsts: false, contentSecurityPolicy: { directives: cspDirectives(tileUrlOf(ctx)) } });
  await app.register(rateLimit, { global: false });
  await app.register(formbody);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Qala API', version: '1', description: 'Native API of the city centre of monitoring and operational response' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes(ctx));
  await app.register(appealRoutes(ctx), { prefix: '/api/v1' });
  await app.register(appealActionRoutes(ctx), { prefix: '/api/v1' });
  await app.register(authRoutes(ctx), { prefix: '/api/v1/auth' });
  await app.register(meRoutes(ctx), { prefix: '/api/v1' });
  await app.register(ticketRoutes(ctx), { prefix: '/api/v1' });
  await app.register(eventRoutes(ctx), { prefix: '/api/v1' });
  await app.register(incidentRoutes(ctx), { prefix: '/api/v1' });
  await app.register(triageRoutes(ctx), { prefix: '/api/v1' });
  await app.register(watchlistRoutes(ctx), { prefix: '/api/v1' });
  await app.register(deliveryRoutes(ctx), { prefix: '/api/v1' });
  await app.register(adminRoutes(ctx), { prefix: '/api/v1' });
  await app.register(adminConfigRoutes(ctx, connectors), { prefix: '/api/v1' });
  await app.register(statsRoutes(ctx), { prefix: '/api/v1' });
  await app.register(situationRoutes(ctx), { prefix: '/api/v1' });
  await app.register(reportRoutes(ctx), { prefix: '/api/v1' });
  await app.register(analyticsRoutes(ctx), { prefix: '/api/v1' });
  await app.register(analyticsTopicsRoutes(ctx), { prefix: '/api/v1' });
  await app.register(opinionRoutes(ctx), { prefix: '/api/v1' });
  await app.register(publicRoutes(ctx), { prefix: '/api/v1' });
  await app.register(pollRoutes(ctx), { prefix: '/api/v1' });
  await app.register(open311Routes(ctx), { prefix: '/open311' });
  // Each connector's webhooks in a plugin of its own, so its body parsing (raw bytes for signatures) stays its own.
  for (const c of connectors) if (c.routes) await app.register(async (scope) => c.routes?.(scope), { prefix: `/channels/${c.channel}` });
  await serveWeb(app);
  return app;
}

export type App = Awaited<ReturnType<typeof buildServer>>;
