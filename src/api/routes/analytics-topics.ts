// Analytics of what residents write, topics and spikes (centre permission `analytics`): the period's themes against
// a baseline; the spike alerts with their numbers explained and the messages behind them; making an incident of an
// alert's tickets (which the incidents policy checks). Message texts leave here with personal data masked.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { districtName, incidentFromSpike, spikeFacts, ticketsBehind } from '../../analytics/spike-sweep.js';
import { SPIKE_TEXTS } from '../../analytics/spikes.js';
import { readTopics } from '../../analytics/topics.js';
import { canCentre } from '../../auth/policies.js';
import { LANGUAGES, type Language } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { categoryName } from '../../outbox/templates.js';
import { redactPersonalData } from '../../privacy.js';
import { requireUser, staff } from '../auth.js';

const secured = { security: [{ bearer: [] }], tags: ['analytics'] };
const Instant = z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), 'an ISO 8601 date or date-time');
const DAY = 86_400_000;
const QUOTE_CHARS = 280;

export const analyticsTopicsRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));
    app.addHook('preHandler', async (req) => {
      if (!canCentre(staff(req), 'analytics')) throw AppError.forbidden('see analytics');
    });
    const langOf = (req: { query: unknown }, locale: string): Language => {
      const asked = (req.query as { lang?: string }).lang;
      return (LANGUAGES as readonly string[]).includes(asked ?? '')
        ? (asked as Language)
        : (LANGUAGES as readonly string[]).includes(locale)
          ? (locale as Language)
          : 'ru';
    };

    app.get(
      '/analytics/topics',
      {
        schema: {
          ...secured,
          summary: 'Themes of a period (default: the last 7 days) against a baseline (default: the 28 days before)',
          querystring: z.object({
            from: Instant.optional(),
            to: Instant.optional(),
            baseline_from: Instant.optional(),
            baseline_to: Instant.optional(),
            district: z.string().max(100).optional(),
            category: z.string().max(10).optional(),
            uncategorised: z.enum(['true', 'false']).optional(),
          }),
        },
      },
      async (req) => {
        const q = req.query;
        const to = q.to ?? ctx.now();
        const from = q.from ?? new Date(to.getTime() - 7 * DAY);
        const baselineTo = q.baseline_to ?? from;
        const baselineFrom = q.baseline_from ?? new Date(baselineTo.getTime() - 28 * DAY);
        if (from >= to || baselineFrom >= baselineTo) throw AppError.validation('each period must start before it ends');
        const topics = await readTopics(ctx, {
          from,
          to,
          baselineFrom,
          baselineTo,
          district: q.district,
          category: q.category,
          uncategorised: q.uncategorised === 'true',
        });
        return {
          period: { from: from.toISOString(), to: to.toISOString() },
          baseline: { from: baselineFrom.toISOString(), to: baselineTo.toISOString() },
          ...topics,
        };
      },
    );

    app.get(
      '/analytics/spikes',
      {
        schema: {
          ...secured,
          summary: 'Spike alerts, newest first, each with its numbers explained and the messages behind it',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), lang: z.enum(LANGUAGES).optional() }),
        },
      },
      async (req) => {
        const user = staff(req);
        const lang = langOf(req, user.locale);
        const rows = await ctx.db
          .selectFrom('spike_alerts')
          .selectAll()
          .orderBy('detected_at', 'desc')
          .orderBy('id', 'desc')
          .limit(req.query.limit)
          .execute();
        const ids = [...new Set(rows.flatMap((r) => r.message_ids.map(Number)))];
        const texts = ids.length
          ? await ctx.db.selectFrom('messages').select(['id', 'text', 'channel', 'received_at']).where('id', 'in', ids).execute()
          : [];
        const byId = new Map(texts.map((t) => [Number(t.id), t]));
        const alerts = [];
        for (const r of rows) {
          const facts = spikeFacts(ctx, r, lang);
          alerts.push({
            id: Number(r.id),
            category: r.category,
            category_name: categoryName(ctx.city, r.category, lang) || r.category,
            district: r.district,
            district_name: districtName(ctx, r.district, lang),
            window: { from: new Date(r.window_start).toISOString(), to: new Date(r.window_end).toISOString(), hours: facts.windowHours },
            detected_at: new Date(r.detected_at).toISOString(),
            observed: r.observed,
            expected: Math.round(r.expected * 100) / 100,
            ratio: Math.round((r.observed / Math.max(r.expected, 0.01)) * 10) / 10,
            p_value: r.p_value,
            factors: { base_rate: r.details.base_rate ?? null, hour_of_week: r.details.hour_factor ?? null, season: r.details.season_factor ?? null },
            explanation: SPIKE_TEXTS[lang](facts),
            incident: r.incident_id,
            tickets: await ticketsBehind(ctx, r.message_ids.map(Number)),
            messages: r.message_ids
              .map((id) => byId.get(Number(id)))
              .filter((m) => m !== undefined)
              .map((m) => ({
                id: Number(m.id),
                channel: m.channel,
                received_at: new Date(m.received_at).toISOString(),
                text: redactPersonalData(m.text).slice(0, QUOTE_CHARS),
              })),
          });
        }
        return { alerts };
      },
    );

    app.post(
      '/analytics/spikes/:id/incident',
      {
        schema: {
          ...secured,
          summary: 'Make an incident of the open tickets behind a spike alert',
          params: z.object({ id: z.coerce.number().int().positive() }),
        },
      },
      async (req, reply) => {
        const user = staff(req);
        const incident = await incidentFromSpike(ctx, user, req.params.id, langOf(req, user.locale));
        return reply.status(201).send({ incident });
      },
    );
  };
