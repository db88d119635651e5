// Figures for the situation centre (staff): per organisation, open and resolved tickets, how many residents
// reopened and how they rated the work. Reopenings count against the organisation that had the ticket.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { organisationStats } from '../../analytics/organisations.js';
import type { Role } from '../../auth/policies.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { formatLocal } from '../../sla/calendar.js';
import { requireUser, staff } from '../auth.js';

const secured = { security: [{ bearer: [] }], tags: ['stats'] };

/** Who reads the city-wide figures: the centre's own staff. (Candidate for a CentrePermission in auth/policies.ts.) */
const STATS_ROLES: ReadonlySet<Role> = new Set(['admin', 'supervisor', 'operator']);

const Instant = z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), 'an ISO 8601 date or date-time');

export const statsRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));
    app.addHook('preHandler', async (req) => {
      if (!staff(req).roles.some((r) => STATS_ROLES.has(r))) throw AppError.forbidden('read the centre’s figures');
    });

    app.get(
      '/stats/organisations',
      {
        schema: {
          ...secured,
          summary: 'Per organisation: open, resolved, reopened by residents (count and rate), average rating',
          querystring: z
            .object({ from: Instant.optional(), to: Instant.optional() })
            .refine((q) => !q.from || !q.to || q.from < q.to, { message: '`from` must be before `to`', path: ['from'] }),
        },
      },
      async (req) => {
        const { from, to } = req.query;
        const organisations = await organisationStats(ctx.db, ctx.city, { from, to });
        return {
          period: { from: from ? formatLocal(ctx.city.calendar, from) : null, to: to ? formatLocal(ctx.city.calendar, to) : null },
          organisations,
        };
      },
    );
  };
