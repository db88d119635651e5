// Liveness (/health: the process answers) and readiness (/ready: the database answers).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { Context } from '../../context.js';

export const healthRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
    app.get('/ready', { schema: { hide: true } }, async (_req, reply) => {
      try {
        await sql`select 1`.execute(ctx.db);
        return { status: 'ready', database: ctx.store.kind };
      } catch {
        return reply.status(503).send({ status: 'not ready' });
      }
    });
  };
