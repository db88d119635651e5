// Reports: the archive of daily digests (list, download, build now for a day and languages; centre permission
// `analytics`), and the on-demand export of any filtered ticket list as XLSX or CSV (the same filters and the
// same scope as GET /tickets: an executor exports only their organisations' tickets). No personal data leaves
// through here: digests and exports carry figures and ticket facts, never a resident's details or words.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { yesterday } from '../../analytics/digest.js';
import { CONTENT_TYPES, findReport, listReports, reportFilename } from '../../analytics/report-archive.js';
import { buildDigest, DAILY } from '../../analytics/report-sweep.js';
import { REPORT_TEXTS } from '../../analytics/report-texts.js';
import { exportCsv, exportXlsx, ticketExport } from '../../analytics/report-xlsx.js';
import { can, canCentre, listScope } from '../../auth/policies.js';
import { LANGUAGES, type Language } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { formatLocal } from '../../sla/calendar.js';
import { listTickets } from '../../tickets/repository.js';
import { requireUser, staff } from '../auth.js';
import { TicketFilters } from './tickets.js';

const secured = { security: [{ bearer: [] }], tags: ['reports'] };
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
/** An export is a working file, not a dump of the database: a filter narrows anything larger. */
const EXPORT_MAX = 50_000;

const ExportQuery = TicketFilters.extend({
  limit: z.coerce.number().int().min(1).max(EXPORT_MAX).default(EXPORT_MAX),
  lang: z.enum(LANGUAGES).optional(),
});

export const reportRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));
    const analyst = (req: Parameters<typeof staff>[0]) => {
      const user = staff(req);
      if (!canCentre(user, 'analytics')) throw AppError.forbidden('see reports');
      return user;
    };

    app.get(
      '/analytics/reports',
      {
        schema: {
          ...secured,
          summary: 'The archive of built reports (daily digests), newest day first, without their bytes',
          querystring: z.object({
            from: LocalDate.optional(),
            to: LocalDate.optional(),
            language: z.enum(LANGUAGES).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
            offset: z.coerce.number().int().min(0).default(0),
          }),
        },
      },
      async (req) => {
        analyst(req);
        const rows = await listReports(ctx.db, { ...req.query, kind: DAILY });
        return {
          reports: rows.map((r) => ({
            id: r.id,
            kind: r.kind,
            date: r.date,
            language: r.language,
            format: r.format,
            size: r.size,
            filename: reportFilename(r),
            created_at: formatLocal(ctx.city.calendar, r.created_at),
            built_by: r.created_by === null ? 'schedule' : 'user',
          })),
          schedule: { at: ctx.city.city.reports.at, languages: ctx.city.city.reports.languages, enabled: ctx.city.city.reports.enabled },
        };
      },
    );

    app.get(
      '/analytics/reports/:id',
      { schema: { ...secured, summary: 'Download one report (PDF or XLSX)', params: z.object({ id: z.coerce.number().int().positive() }) } },
      async (req, reply) => {
        analyst(req);
        const r = await findReport(ctx.db, req.params.id);
        if (!r) throw AppError.notFound('report', String(req.params.id));
        return reply
          .header('content-type', CONTENT_TYPES[r.format])
          .header('content-disposition', `attachment; filename="${reportFilename(r)}"`)
          .header('x-content-type-options', 'nosniff')
          .send(Buffer.from(r.bytes));
      },
    );

    app.post(
      '/analytics/reports',
      {
        schema: {
          ...secured,
          summary: 'Build the daily digest of a day now (default: yesterday) in the given languages, replacing that day’s files',
          body: z.object({ date: LocalDate.optional(), languages: z.array(z.enum(LANGUAGES)).min(1).max(3).optional() }).default({}),
        },
      },
      async (req, reply) => {
        const user = analyst(req);
        const now = ctx.now();
        const date = req.body.date ?? yesterday(ctx, now);
        if (date > formatLocal(ctx.city.calendar, now).slice(0, 10)) throw AppError.validation('`date` is in the future');
        const languages = [...new Set(req.body.languages ?? ctx.city.city.reports.languages)] as Language[];
        const built = await buildDigest(ctx, date, languages, { now, createdBy: user.id, replace: true });
        return reply.code(201).send({ date, reports: built.map((b) => ({ ...b, filename: reportFilename({ kind: DAILY, date, ...b }) })) });
      },
    );

    // ---- exports of a filtered ticket list ----

    const exportOf = async (req: { query: z.infer<typeof ExportQuery> } & Parameters<typeof staff>[0]) => {
      const user = staff(req);
      if (!can(user, 'list')) throw AppError.forbidden('list tickets');
      const scope = listScope(user);
      const { sort, lang, limit, ...filter } = req.query;
      const now = ctx.now();
      const rows = await listTickets(ctx.db, {
        ...filter,
        now,
        ...(scope === 'all' ? {} : { organisations: scope.organisations, addressedTo: scope.addressedTo }),
        order: sort === 'created' ? 'created_desc' : sort,
        limit,
        offset: 0,
      });
      const language = (lang ?? user.locale) as Language;
      const lng = LANGUAGES.includes(language) ? language : ctx.city.city.default_language;
      const stamp = formatLocal(ctx.city.calendar, now).slice(0, 16).replace(/[T:]/g, '-');
      return { table: ticketExport(ctx.city, rows, lng, now), lng, name: `qala-tickets-${stamp}` };
    };

    app.get(
      '/tickets/export.xlsx',
      {
        schema: {
          ...secured,
          tags: ['tickets'],
          summary: 'The filtered ticket list as XLSX (the list’s filters; no personal data)',
          querystring: ExportQuery,
        },
      },
      async (req, reply) => {
        const { table, lng, name } = await exportOf(req);
        return reply
          .header('content-type', CONTENT_TYPES.xlsx)
          .header('content-disposition', `attachment; filename="${name}.xlsx"`)
          .send(await exportXlsx(table, REPORT_TEXTS[lng].sheet.tickets));
      },
    );

    app.get(
      '/tickets/export.csv',
      {
        schema: {
          ...secured,
          tags: ['tickets'],
          summary: 'The filtered ticket list as CSV, UTF-8 (the list’s filters; no personal data)',
          querystring: ExportQuery,
        },
      },
      async (req, reply) => {
        const { table, name } = await exportOf(req);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(exportCsv(table));
      },
    );
  };
