// Staff log in and out; /me says who they are, what they may do and whether their Telegram is linked.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { login, logout } from '../../auth/sessions.js';
import { telegramLinked } from '../../channels/telegram/staff.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { formatLocal } from '../../sla/calendar.js';
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
    app.get('/me', { preHandler: requireUser(ctx), schema: { tags: ['auth'], security: [{ bearer: [] }] } }, async (req) => {
      const user = staff(req);
      const telegram = await telegramLinked(ctx.db, user.id);
      return {
        ...presentUser(user),
        telegram: { linked: telegram !== null, linked_at: telegram ? formatLocal(ctx.city.calendar, telegram.linked_at) : null },
      };
    });
  };
