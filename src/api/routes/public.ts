// Open data for anyone, no login: one record per ticket as JSON, CSV or GeoJSON, and the counts behind the public
// map. What a record holds and why is in src/analytics/public.ts and docs/open-data.md. Answers may be cached 60 s.
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { countReports, GRID_METRES, type PublicFilter, type PublicReport, publicReports, publicSummary } from '../../analytics/public.js';
import { Language } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { formatLocal } from '../../sla/calendar.js';
import { STATUSES } from '../../tickets/lifecycle.js';

const DAY = 86_400_000;
export const MAX_RECORDS = 5000;

/** A date (a whole local day) or an ISO 8601 date-time. */
const When = z.string().regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'a date (YYYY-MM-DD) or an ISO 8601 date-time');
const List = z
  .string()
  .max(500)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const Query = z.object({
  from: When.optional(),
  to: When.optional(),
  district: List.optional(),
  category: List.optional(),
  status: List.optional(),
  lang: Language.optional(),
});
const PagedQuery = Query.extend({
  limit: z.coerce.number().int().min(1).max(MAX_RECORDS).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
});

export const CSV_COLUMNS: readonly (keyof PublicReport)[] = [
  'number',
  'category',
  'category_name',
  'district',
  'district_name',
  'status',
  'organisation',
  'organisation_name',
  'created_at',
  'resolved_at',
  'closed_at',
  'deadline',
  'deadline_met',
  'lat',
  'lon',
];

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled; lines end in CRLF. */
function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(records: PublicReport[]): string {
  const lines = [CSV_COLUMNS.join(','), ...records.map((r) => CSV_COLUMNS.map((c) => csvField(r[c])).join(','))];
  // The byte order mark tells Excel the file is UTF-8, or it shows Kazakh and Russian letters as mojibake.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** RFC 7946: [longitude, latitude]; a record without a location keeps its properties with a null geometry. */
export function toGeoJson(records: PublicReport[]) {
  return {
    type: 'FeatureCollection' as const,
    features: records.map(({ lat, lon, ...properties }) => ({
      type: 'Feature' as const,
      id: properties.number,
      geometry: lat === null || lon === null ? null : { type: 'Point' as const, coordinates: [lon, lat] },
      properties,
    })),
  };
}

export const publicRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const city = ctx.city;
    // The public map asks for the summary and the records on each visit: twice the filing limit.
    const config = { rateLimit: { max: ctx.settings.PUBLIC_RATE_LIMIT * 2, timeWindow: '1 minute' } };
    const tags = ['open data'];

    const instant = (v: string, end: boolean): Date => {
      // A bare date is a whole local day: `from` its midnight, `to` the next midnight (the day is included).
      const d = /^\d{4}-\d{2}-\d{2}$/.test(v)
        ? new Date(Date.parse(`${v}T00:00:00Z`) - city.calendar.utcOffsetMinutes * 60_000 + (end ? DAY : 0))
        : new Date(v);
      if (Number.isNaN(d.getTime())) throw AppError.validation(`not a date: ${v}`);
      return d;
    };

    const filterOf = (q: z.infer<typeof Query>): PublicFilter => {
      const districts = new Set(city.city.districts.map((d) => d.id));
      const categories = new Set(city.categories.map((c) => c.code));
      const unknown = (what: string, given: string[] | undefined, known: ReadonlySet<string>) => {
        const bad = given?.find((x) => !known.has(x));
        if (bad !== undefined) throw AppError.validation(`unknown ${what}: ${bad}`, { known: [...known] });
      };
      unknown('district', q.district, districts);
      unknown('category', q.category, categories);
      unknown('status', q.status, new Set(STATUSES));
      const from = q.from ? instant(q.from, false) : undefined;
      const to = q.to ? instant(q.to, true) : undefined;
      if (from && to && from >= to) throw AppError.validation('`from` must be before `to`');
      return { from, to, districts: q.district, categories: q.category, statuses: q.status };
    };

    const period = (f: PublicFilter) => ({
      from: f.from ? formatLocal(city.calendar, f.from) : null,
      to: f.to ? formatLocal(city.calendar, f.to) : null,
    });

    const cacheable = (reply: FastifyReply) => reply.header('cache-control', 'public, max-age=60');

    const records = async (q: z.infer<typeof PagedQuery>, reply: FastifyReply) => {
      const filter = filterOf(q);
      const lang = q.lang ?? city.city.default_language;
      const [total, reports] = await Promise.all([
        countReports(ctx.db, filter),
        publicReports(ctx.db, city, filter, { limit: q.limit, offset: q.offset }, lang, ctx.now()),
      ]);
      cacheable(reply).header('x-total-count', String(total));
      return { filter, lang, total, reports };
    };

    const describe = (format: string) => ({
      summary: `Reports and what was done, one record per ticket, as ${format} (no personal data; locations on a ${GRID_METRES} m grid)`,
      tags,
      querystring: PagedQuery,
    });

    app.get('/public/reports', { config, schema: describe('JSON') }, async (req, reply) => {
      const { filter, lang, total, reports } = await records(req.query, reply);
      const next = req.query.offset + reports.length;
      return {
        period: period(filter),
        lang,
        grid_metres: GRID_METRES,
        total,
        offset: req.query.offset,
        next_offset: next < total ? next : null,
        reports,
      };
    });

    app.get('/public/reports.csv', { config, schema: describe('CSV (UTF-8 with BOM)') }, async (req, reply) => {
      const { reports } = await records(req.query, reply);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${city.city.id}-reports.csv"`)
        .send(toCsv(reports));
    });

    app.get('/public/reports.geojson', { config, schema: describe('a GeoJSON FeatureCollection') }, async (req, reply) => {
      const { reports } = await records(req.query, reply);
      return reply
        .type('application/geo+json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${city.city.id}-reports.geojson"`)
        .send(JSON.stringify(toGeoJson(reports)));
    });

    app.get(
      '/public/summary',
      { config, schema: { summary: 'Counts by district × category × status, and the share resolved on time', tags, querystring: Query } },
      async (req, reply) => {
        const filter = filterOf(req.query);
        const lang = req.query.lang ?? city.city.default_language;
        cacheable(reply);
        return { period: period(filter), lang, ...(await publicSummary(ctx.db, city, filter, lang)) };
      },
    );
  };
