// Opinion on a question (centre permission `analytics` to read, `opinion_manage` to ask and correct): questions,
// the estimate table with intervals, trend and redacted quotes, stance corrections, and the aggregate CSV export.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { correctStance, createQuestion, exportCsv, getQuestion, listQuestions, opinionOf } from '../../analytics/opinion.js';
import { QuestionSpec } from '../../analytics/opinion-run.js';
import { STANCES } from '../../analytics/stance.js';
import { canCentre } from '../../auth/policies.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { requireUser, staff } from '../auth.js';

const secured = { security: [{ bearer: [] }], tags: ['analytics'] };
const Id = z.object({ id: z.coerce.number().int().positive() });

export const opinionRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));
    app.addHook('preHandler', async (req) => {
      if (!canCentre(staff(req), 'analytics')) throw AppError.forbidden('see analytics');
    });
    const manager = (req: Parameters<typeof staff>[0]) => {
      const user = staff(req);
      if (!canCentre(user, 'opinion_manage')) throw AppError.forbidden('ask opinion questions');
      return user;
    };

    app.get('/analytics/opinion', { schema: { ...secured, summary: 'The opinion questions, newest first' } }, async () => ({
      questions: await listQuestions(ctx),
    }));

    app.post(
      '/analytics/opinion',
      { schema: { ...secured, summary: 'Ask a question: keywords and example posts per stance; reads the message history', body: QuestionSpec } },
      async (req, reply) => {
        const user = manager(req);
        const made = await createQuestion(ctx, { type: 'user', id: String(user.id) }, user.id, req.body);
        return reply.code(201).send(made);
      },
    );

    app.get(
      '/analytics/opinion/:id',
      {
        schema: {
          ...secured,
          summary: 'The estimate: shares per stance raw and weighted, 95% intervals, n, n_eff, caveat, trend, quotes',
          params: Id,
        },
      },
      async (req) => {
        const q = await getQuestion(ctx, req.params.id);
        return {
          question: { id: q.id, title: q.title, keywords: q.keywords, active: q.active, channel_weights: q.channel_weights, examples: q.examples },
          ...(await opinionOf(ctx, req.params.id)),
        };
      },
    );

    app.patch(
      '/analytics/opinion/:id/matches/:messageId',
      {
        schema: {
          ...secured,
          summary: "Correct a message's stance; the question's model retrains and re-reads",
          params: Id.extend({ messageId: z.coerce.number().int().positive() }),
          body: z.object({ stance: z.enum(STANCES) }),
        },
      },
      async (req) => {
        const user = manager(req);
        return correctStance(ctx, { type: 'user', id: String(user.id) }, req.params.id, req.params.messageId, req.body.stance);
      },
    );

    app.get(
      '/analytics/opinion/:id/export.csv',
      { schema: { ...secured, summary: 'Aggregates as CSV: no text, no identities; cells under 5 residents suppressed', params: Id } },
      async (req, reply) => {
        await getQuestion(ctx, req.params.id);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="opinion-${req.params.id}.csv"`)
          .send(await exportCsv(ctx, req.params.id));
      },
    );
  };
