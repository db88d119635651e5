// Staff routes of the triage engine's learning: how well it agrees with operators, its models and their metrics,
// a retrain on request, a labelled history to learn from, and going back to an earlier model.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CentrePermission, canCentre } from '../../auth/policies.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { commitChange } from '../../outbox/change.js';
import { recentAccuracy } from '../../triage/labels.js';
import { importHistory } from '../../triage/learning/examples.js';
import { activateModel, listModels } from '../../triage/learning/models.js';
import { requireUser, staff } from '../auth.js';

const secured = { security: [{ bearer: [] }], tags: ['triage'] };
const MAX_IMPORT = 20_000;

export const triageRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));
    const allow = (req: Parameters<typeof staff>[0], p: CentrePermission, what: string) => {
      if (!canCentre(staff(req), p)) throw AppError.forbidden(what);
    };

    app.get('/triage/accuracy', { schema: { ...secured, summary: 'How often triage agreed with the operators recently' } }, async (req) => {
      allow(req, 'triage_read', 'read triage accuracy');
      return recentAccuracy(ctx.db, 'category');
    });

    app.get(
      '/triage/models',
      { schema: { ...secured, summary: 'The engine in use, its learnt models with their held-out metrics' } },
      async (req) => {
        allow(req, 'triage_read', 'read triage models');
        await ctx.triage.sync(true);
        const models = await listModels(ctx.db);
        return {
          engine: ctx.triage.version,
          active: models.find((m) => m.active) ?? null,
          settings: ctx.city.triage.model,
          accuracy: await recentAccuracy(ctx.db, 'category'),
          models,
        };
      },
    );

    app.post(
      '/triage/models/retrain',
      { schema: { ...secured, summary: 'Learn a new model from every labelled example (in the background)' } },
      async (req, reply) => {
        allow(req, 'triage_retrain', 'retrain the triage model');
        await ctx.queue.send('retrain', { reason: `asked by ${staff(req).email}` });
        return reply.status(202).send({ queued: true });
      },
    );

    app.post(
      '/triage/models/:id/activate',
      {
        schema: {
          ...secured,
          summary: 'Use this model from now on (e.g. go back to an earlier one)',
          params: z.object({ id: z.coerce.number().int().positive() }),
        },
      },
      async (req) => {
        allow(req, 'triage_manage', 'choose the triage model');
        const user = staff(req);
        const ok = await commitChange(ctx.db, { type: 'user', id: String(user.id) }, (change) =>
          activateModel(change, req.params.id, `chosen by ${user.email}`),
        );
        if (!ok) throw AppError.notFound('triage model', String(req.params.id));
        await ctx.triage.sync(true);
        return { active: req.params.id, engine: ctx.triage.version };
      },
    );

    app.post(
      '/triage/history',
      {
        bodyLimit: 64 * 1024 * 1024,
        schema: {
          ...secured,
          summary: `Import a labelled history (up to ${MAX_IMPORT} examples per request) to learn categories from`,
          body: z.object({
            batch: z.string().trim().min(1).max(100).optional(),
            examples: z
              .array(z.object({ text: z.string().trim().min(1).max(50_000), label: z.string().trim().min(1).max(100) }))
              .min(1)
              .max(MAX_IMPORT),
            retrain: z.boolean().default(true),
          }),
        },
      },
      async (req, reply) => {
        allow(req, 'triage_manage', 'import a labelled history');
        const user = staff(req);
        const batch = req.body.batch ?? `api-${new Date().toISOString()}`;
        const categories = new Set(ctx.city.categories.map((c) => c.code));
        const result = await commitChange(ctx.db, { type: 'user', id: String(user.id) }, async (change) => {
          const r = await importHistory(change.tx, req.body.examples, { batch, categories });
          change.audit({ action: 'triage_history.import', entityType: 'training_examples', entityId: batch, data: { read: r.read, added: r.added } });
          return r;
        });
        if (req.body.retrain && result.added > 0) await ctx.queue.send('retrain', { reason: `history ${batch} imported` });
        return reply.status(201).send({ ...result, retrain: req.body.retrain && result.added > 0 });
      },
    );
  };
