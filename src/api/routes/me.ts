// The logged-in staff member's own settings: linking their account to the city's Telegram bot for work
// notifications (a one-time code and the bot's deep link), and unlinking it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { issueLinkCode, LINK_CODE_MINUTES, unlinkStaff } from '../../channels/telegram/staff.js';
import type { Context } from '../../context.js';
import { formatLocal } from '../../sla/calendar.js';
import { requireUser, staff } from '../auth.js';

const secured = { security: [{ bearer: [] }], tags: ['me'] };

export const meRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));

    app.post(
      '/me/telegram-link',
      {
        config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          ...secured,
          summary: `A one-time code (valid ${LINK_CODE_MINUTES} minutes) and the bot's deep link to link your Telegram chat`,
        },
      },
      async (req) => {
        const code = await issueLinkCode(ctx, staff(req).id);
        return { ...code, expires_at: formatLocal(ctx.city.calendar, code.expires_at) };
      },
    );

    app.delete('/me/telegram-link', { schema: { ...secured, summary: 'Stop Telegram notifications: unlink your chat' } }, async (req) => ({
      unlinked: await unlinkStaff(ctx, staff(req).id),
    }));
  };
