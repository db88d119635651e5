// The analytics API for volume and sentiment (centre permission `analytics`: admins, supervisors, operators and
// officials): over time, by district for the map, by any dimension, with filters on every dimension; and the CSV
// export with small cells suppressed. Everything is read from the rollups (src/analytics/rollup.ts); no message
// text, no resident leaves through here.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DIMENSIONS, type Dimension } from '../../analytics/rollup.js';
import { exportCells, type VolumeFilter, volumeBy, volumeSeries, volumeTotals, wholeDays } from '../../analytics/volume.js';
import { canCentre } from '../../auth/policies.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { formatLocal } from '../../sla/calendar.js';
import { requireUser, staff } from '../auth.js';

const secured = { security: [{ bearer: [] }], tags: ['analytics'] };
const Instant = z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), 'an ISO 8601 date or date-time');
/** A comma-separated list; "none" stands for no value (no category, no district). */
const List = z
  .string()
  .max(2000)
  .optional()
  .transform((s) =>
    s
      ? s
          .split(',')
          .map((x) => (x.trim() === 'none' ? null : x.trim()))
          .filter((x) => x !== '')
      : undefined,
  );
const FilterQuery = z.object({
  from: Instant.optional(),
  to: Instant.optional(),
  /** Instead of from/to: the last N local days, today included. */
  days: z.coerce.number().int().min(1).max(400).optional(),
  category: List,
  district: List,
  channel: List,
  language: List,
  kind: List,
  sentiment: List,
});
type FilterInput = z.infer<typeof FilterQuery>;
const Dim = z.enum(DIMENSIONS);
const Lang = z.enum(['ru', 'kk', 'en']).default('ru');
const MAX_DAYS = 400;

export const analyticsRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));
    app.addHook('preHandler', async (req) => {
      if (!canCentre(staff(req), 'analytics')) throw AppError.forbidden('see analytics');
    });
    const cal = () => ctx.city.calendar;

    /** The asked period and filters; by default the last 30 (or `days`) local days, today included. */
    const filterOf = (q: FilterInput): VolumeFilter => {
      const today = wholeDays(cal(), ctx.now(), ctx.now());
      const to = q.to ?? (q.from ? ctx.now() : new Date(today.from.getTime() + 86_400_000));
      const from = q.from ?? new Date(to.getTime() - (q.days ?? 30) * 86_400_000);
      if (from >= to) throw AppError.validation('`from` must be before `to`');
      if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) throw AppError.validation(`a period is at most ${MAX_DAYS} days`);
      const only: VolumeFilter['only'] = {};
      for (const d of DIMENSIONS) if (q[d]?.length) only[d] = q[d];
      return { from, to, only };
    };
    const period = (f: VolumeFilter) => ({ from: formatLocal(cal(), f.from), to: formatLocal(cal(), f.to) });

    app.get(
      '/analytics/volume',
      {
        schema: {
          ...secured,
          summary: 'Volume and sentiment per hour, day or week (and per value of `by`), with totals; filters on every dimension',
          querystring: FilterQuery.extend({ bucket: z.enum(['hour', 'day', 'week']).default('day'), by: Dim.optional() }),
        },
      },
      async (req) => {
        const f = filterOf(req.query);
        const bucket = req.query.bucket;
        if (bucket === 'hour' && f.to.getTime() - f.from.getTime() > 31 * 86_400_000) throw AppError.validation('hour buckets cover at most 31 days');
        const [totals, series] = await Promise.all([volumeTotals(ctx.db, cal(), f), volumeSeries(ctx.db, cal(), f, bucket, req.query.by)]);
        return { period: period(f), bucket, totals, series };
      },
    );

    app.get(
      '/analytics/volume/by/:dimension',
      {
        schema: {
          ...secured,
          summary: 'Volume and sentiment per district (the map), category, channel, language, kind or sentiment',
          params: z.object({ dimension: Dim }),
          querystring: FilterQuery.extend({ lang: Lang }),
        },
      },
      async (req) => {
        const f = filterOf(req.query);
        const rows = await volumeBy(ctx.db, cal(), f, req.params.dimension);
        return {
          period: period(f),
          dimension: req.params.dimension,
          rows: rows.map((r) => ({ ...r, name: nameOf(ctx, req.params.dimension, r.value, req.query.lang) })),
        };
      },
    );

    app.get(
      '/analytics/volume.csv',
      {
        schema: {
          ...secured,
          summary: 'CSV export per day or week × one dimension; cells with fewer than 5 distinct residents are suppressed',
          querystring: FilterQuery.extend({ by: Dim.default('district'), bucket: z.enum(['day', 'week']).default('day'), lang: Lang }),
        },
      },
      async (req, reply) => {
        const f = filterOf(req.query);
        const cells = await exportCells(ctx.db, cal(), f, req.query.bucket, req.query.by);
        const lines = [
          ['bucket', req.query.by, 'name', 'messages', 'negative', 'residents', 'suppressed'].join(','),
          ...cells.map((c) =>
            [c.bucket, c.value, nameOf(ctx, req.query.by, c.value, req.query.lang), c.messages, c.negative, c.residents, c.suppressed]
              .map(csvField)
              .join(','),
          ),
        ];
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${ctx.city.city.id}-volume-${req.query.by}.csv"`)
          .send(`\uFEFF${lines.join('\r\n')}\r\n`);
      },
    );
  };

/** The name of a district or category in the asked language; other dimensions are codes shown as they are. */
function nameOf(ctx: Context, d: Dimension, value: string | null, lang: 'ru' | 'kk' | 'en'): string | null {
  if (value === null) return null;
  if (d === 'district') return ctx.city.city.districts.find((x) => x.id === value)?.name[lang] ?? null;
  if (d === 'category') return ctx.city.categories.find((x) => x.code === value)?.name[lang] ?? null;
  return null;
}

/** RFC 4180 quoting. */
function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
