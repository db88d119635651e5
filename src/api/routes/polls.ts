// Polls over HTTP. Staff (centre permission `analytics` reads, `polls_manage` = admin/supervisor/operator changes):
// list, create, edit a draft, open, close, results (raw and district-weighted shares with intervals, n_eff, caveat)
// and a CSV export of aggregates with small cells hidden. Public, no login: the open polls, an answer (one per
// respondent token, rate-limited per address), and the results once answered or closed (small cells hidden).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CentrePermission, canCentre } from '../../auth/policies.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { exportCsv } from '../../polls/export.js';
import { NewRespondentLimit } from '../../polls/limit.js';
import { PollInput, phaseOf, pollResults, publicResults, RespondentToken, respondentKey } from '../../polls/model.js';
import { answerOf, answerPoll, answersOf, createPoll, editPoll, getPoll, listPolls, openPolls, setPollStatus } from '../../polls/store.js';
import { requireUser, staff } from '../auth.js';

const secured = { security: [{ bearer: [] }], tags: ['polls'] };
const Params = z.object({ id: z.coerce.number().int().positive() });
const District = z.string().max(60).nullable().optional();

export const pollRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(staffPollRoutes(ctx));
    await app.register(publicPollRoutes(ctx));
  };

const staffPollRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));
    const need = (req: Parameters<typeof staff>[0], p: CentrePermission) => {
      const user = staff(req);
      if (!canCentre(user, p)) throw AppError.forbidden(p === 'analytics' ? 'see polls' : 'make, open or close polls');
      return user;
    };
    const present = async (id: number) => {
      const p = await getPoll(ctx.db, id);
      return { ...p, phase: phaseOf(p, ctx.now()) };
    };

    app.get('/polls', { schema: { ...secured, summary: 'Every poll, newest first, with its number of answers' } }, async (req) => {
      need(req, 'analytics');
      const now = ctx.now();
      return { polls: (await listPolls(ctx.db)).map((p) => ({ ...p, phase: phaseOf(p, now) })) };
    });

    app.post(
      '/polls',
      { schema: { ...secured, summary: 'Create a draft poll (question and 2–10 options in ru/kk/en)', body: PollInput } },
      async (req, reply) => {
        const user = need(req, 'polls_manage');
        const id = await createPoll(ctx, user.id, req.body);
        return reply.status(201).send(await present(id));
      },
    );

    app.get('/polls/:id', { schema: { ...secured, summary: 'One poll', params: Params } }, async (req) => {
      need(req, 'analytics');
      return present(req.params.id);
    });

    app.put('/polls/:id', { schema: { ...secured, summary: 'Edit a draft poll', params: Params, body: PollInput } }, async (req) => {
      const user = need(req, 'polls_manage');
      await editPoll(ctx, user.id, req.params.id, req.body);
      return present(req.params.id);
    });

    for (const [action, to] of [
      ['open', 'open'],
      ['close', 'closed'],
    ] as const) {
      app.post(
        `/polls/:id/${action}`,
        { schema: { ...secured, summary: `${action === 'open' ? 'Open a draft' : 'Close an open'} poll`, params: Params } },
        async (req) => {
          const user = need(req, 'polls_manage');
          await setPollStatus(ctx, user.id, req.params.id, to);
          return present(req.params.id);
        },
      );
    }

    app.get(
      '/polls/:id/results',
      { schema: { ...secured, summary: 'Shares raw and weighted by district population, 95% intervals, n_eff, caveat', params: Params } },
      async (req) => {
        need(req, 'analytics');
        const poll = await present(req.params.id);
        const r = pollResults(poll, await answersOf(ctx.db, poll.id), ctx.city);
        return { poll, ...r.estimate, caveat: r.caveat, by_district: r.by_district };
      },
    );

    app.get(
      '/polls/:id/export.csv',
      {
        schema: {
          ...secured,
          summary: 'Aggregates as CSV: estimates per option, counts per option × district (cells under 5 hidden)',
          params: Params,
        },
      },
      async (req, reply) => {
        need(req, 'analytics');
        const poll = await getPoll(ctx.db, req.params.id);
        const r = pollResults(poll, await answersOf(ctx.db, poll.id), ctx.city);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${ctx.city.city.id}-poll-${poll.id}.csv"`)
          .send(exportCsv(poll, r, ctx.city));
      },
    );
  };

const publicPollRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['polls'];
    const config = { rateLimit: { max: ctx.settings.PUBLIC_RATE_LIMIT, timeWindow: '1 minute' } };
    const limit = new NewRespondentLimit();
    const shown = (p: { id: number; question: unknown; options: unknown; ask_district: boolean; closes_at: Date | null }) => ({
      id: p.id,
      question: p.question,
      options: p.options,
      ask_district: p.ask_district,
      closes_at: p.closes_at,
    });
    const resultsOf = async (id: number) => {
      const poll = await getPoll(ctx.db, id);
      return publicResults(poll, pollResults(poll, await answersOf(ctx.db, id), ctx.city));
    };

    app.get('/public/polls', { config, schema: { tags, summary: 'Polls taking answers now' } }, async () => ({
      polls: (await openPolls(ctx.db, ctx.now())).map(shown),
    }));

    app.post(
      '/public/polls/:id/answers',
      {
        config,
        schema: {
          tags,
          summary: 'Answer a poll: one answer per respondent token; a second answer replaces the first while it is open',
          params: Params,
          body: z.object({ option: z.string().min(1).max(8), district: District, respondent: RespondentToken }),
        },
      },
      async (req) => {
        const { id } = req.params;
        const known = await answerOf(ctx.db, id, respondentKey('web', req.body.respondent));
        // A fresh token is a new respondent: one address may bring only so many per poll in an hour.
        if (!known && !limit.take(`${id}:${req.ip}`, Date.now()))
          throw new AppError('rate_limited', 'too many new answers from this address; try again later');
        const r = await answerPoll(ctx, {
          pollId: id,
          optionId: req.body.option,
          district: req.body.district ?? null,
          channel: 'web',
          respondent: req.body.respondent,
        });
        return { replaced: r.replaced, results: await resultsOf(id) };
      },
    );

    app.get(
      '/public/polls/:id/results',
      {
        config,
        schema: {
          tags,
          summary: 'Results (cells under 5 hidden) for whoever answered (x-respondent header: their token) or of a closed poll',
          params: Params,
          headers: z.object({ 'x-respondent': RespondentToken.optional() }),
        },
      },
      async (req) => {
        const poll = await getPoll(ctx.db, req.params.id);
        const phase = phaseOf(poll, ctx.now());
        if (phase === 'draft' || phase === 'scheduled') throw AppError.notFound('poll', String(poll.id));
        const token = req.headers['x-respondent'];
        const mine = token ? await answerOf(ctx.db, poll.id, respondentKey('web', token)) : undefined;
        // While a poll is open its results are for those who answered: seeing them first would sway the answer.
        if (phase === 'open' && !mine) throw AppError.forbidden('see the results before answering');
        return {
          poll: { ...shown(poll), phase },
          mine: mine ? { option: mine.option_id, district: mine.district } : null,
          ...(await resultsOf(poll.id)),
        };
      },
    );
  };
