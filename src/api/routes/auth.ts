// Staff log in and out; /me says who they are and what they may do.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { login, logout } from '../../auth/sessions.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { bearer, requireUser, staff } from '../auth.js';
import { presentUser } from '../presenters.js';

export const authRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/login',
      {
        config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          summary: 'Log in; returns a bearer token',
          tags: ['auth'],
          body: z.object({ email: z.string().email(), password: z.string().min(1).max(200) }),
        },
      },
      async (req) => {
        const s = await login(ctx.db, req.body.email, req.body.password, ctx.settings.SESSION_HOURS);
        if (!s) throw new AppError('unauthenticated', 'wrong e-mail or password');
        return { token: s.token, user: presentUser(s.user) };
      },
    );
    app.post('/logout', { preHandler: requireUser(ctx), schema: { tags: ['auth'], security: [{ bearer: [] }] } }, async (req) => {
      await logout(ctx.db, bearer(req) as string);
      return { ok: true };
    });
    app.get('/me', { preHandler: requireUser(ctx), schema: { tags: ['auth'], security: [{ bearer: [] }] } }, async (req) => presentUser(staff(req)));
  };
