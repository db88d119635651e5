// The situation centre's API (supervisors, operators, admins and the akim: centre permission `situation`): KPIs of a
// period for the city, per organisation and per district; the league table; trends per category; the at-risk list;
// the map's data. Figures only: no appeal text and no resident's details leave through here.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { districtCounts, KPI_KEYS, league, type Period, situationKpis, today, trends } from '../../analytics/situation.js';
import { atRiskList, mapData } from '../../analytics/situation-risk.js';
import { canCentre } from '../../auth/policies.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { formatLocal } from '../../sla/calendar.js';
import { requireUser, staff } from '../auth.js';

const secured = { security: [{ bearer: [] }], tags: ['situation'] };
const Instant = z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), 'an ISO 8601 date or date-time');
const PeriodQuery = z
  .object({ from: Instant.optional(), to: Instant.optional() })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: '`from` must be before `to`', path: ['from'] });

export const situationRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));
    app.addHook('preHandler', async (req) => {
      if (!canCentre(staff(req), 'situation')) throw AppError.forbidden('see the situation centre');
    });

    /** The asked period; by default today in the city's time. A `from` alone runs to now, a `to` alone from its day. */
    const periodOf = (q: { from?: Date | undefined; to?: Date | undefined }, now: Date): Period => {
      const day = today(ctx.city, q.to ?? now);
      return { from: q.from ?? day.from, to: q.to ?? (q.from ? now : day.to) };
    };
    const present = (p: Period, now: Date) => ({
      period: { from: formatLocal(ctx.city.calendar, p.from), to: formatLocal(ctx.city.calendar, p.to) },
      now: formatLocal(ctx.city.calendar, now),
    });

    app.get(
      '/situation/kpis',
      {
        schema: {
          ...secured,
          summary: 'KPIs of a period (default: today) for the city, per organisation and per district',
          querystring: PeriodQuery,
        },
      },
      async (req) => {
        const now = ctx.now();
        const period = periodOf(req.query, now);
        return { ...present(period, now), ...(await situationKpis(ctx, period, now)) };
      },
    );

    app.get(
      '/situation/league',
      {
        schema: {
          ...secured,
          summary: 'Organisations or districts ranked by one KPI',
          querystring: z
            .object({
              by: z.enum(['organisations', 'districts']).default('organisations'),
              sort: z.enum(KPI_KEYS).default('overdue'),
              dir: z.enum(['asc', 'desc']).default('desc'),
              from: Instant.optional(),
              to: Instant.optional(),
            })
            .refine((q) => !q.from || !q.to || q.from < q.to, { message: '`from` must be before `to`', path: ['from'] }),
        },
      },
      async (req) => {
        const now = ctx.now();
        const period = periodOf(req.query, now);
        const k = await situationKpis(ctx, period, now);
        const { by, sort, dir } = req.query;
        return { ...present(period, now), by, sort, dir, rows: league(k[by], sort, dir) };
      },
    );

    app.get(
      '/situation/trends',
      {
        schema: {
          ...secured,
          summary: 'Appeals received per category per day over the last days (city time)',
          querystring: z.object({ days: z.coerce.number().int().min(1).max(92).default(14) }),
        },
      },
      async (req) => trends(ctx.db, ctx.city, ctx.now(), req.query.days),
    );

    app.get(
      '/situation/at-risk',
      {
        schema: {
          ...secured,
          summary: 'Open tickets at risk or overdue now, the soonest deadline first',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        },
      },
      async (req) => atRiskList(ctx, ctx.now(), req.query.limit),
    );

    app.get(
      '/situation/map',
      {
        schema: {
          ...secured,
          summary: 'Open tickets with a place, live incidents and per-district counts (no text, no personal data)',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(20_000).default(5000) }),
        },
      },
      async (req) => {
        const now = ctx.now();
        const [data, districts] = await Promise.all([mapData(ctx, now, req.query.limit), districtCounts(ctx, now)]);
        return { now: formatLocal(ctx.city.calendar, now), ...data, districts, tile_url: ctx.settings.QALA_MAP_TILE_URL ?? null };
      },
    );
  };
