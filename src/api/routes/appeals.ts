// Public routes for residents: file an appeal, look up its status by number, read the city's categories.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { APPEAL_BODY_LIMIT, AppealBody, appealToInbound } from '../../channels/web.js';
import { Language } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { fileAppeal } from '../../pipeline.js';
import { TICKET_NUMBER } from '../../tickets/numbers.js';
import { conversation, findTicket } from '../../tickets/repository.js';
import { presentPublicTicket } from '../presenters.js';

export const IdempotencyKey = z
  .string()
  .regex(/^[\w.:-]{8,100}$/, '8–100 letters, digits, ".", ":", "-" or "_"')
  .optional();

export async function receiptFor(ctx: Context, filed: Awaited<ReturnType<typeof fileAppeal>>) {
  const t = filed.ticket;
  if (!t) return { status: 'received' as const, message: 'received; a ticket number follows shortly' };
  // The acknowledgement was written to the outbox with the ticket; its delivery may still be under way.
  const ack = await ctx.db.selectFrom('outbox').select('payload').where('ticket_id', '=', t.id).orderBy('id').executeTakeFirst();
  const { replies: _none, ...ticket } = presentPublicTicket(ctx.city, t, []);
  return { ...ticket, acknowledgement: ack?.payload.text ?? null, duplicate: filed.duplicate };
}

export const appealRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const publicLimit = { rateLimit: { max: ctx.settings.PUBLIC_RATE_LIMIT, timeWindow: '1 minute' } };

    app.post(
      '/appeals',
      {
        config: publicLimit,
        bodyLimit: APPEAL_BODY_LIMIT,
        schema: {
          summary: 'File an appeal (public, no login)',
          tags: ['appeals'],
          body: AppealBody,
          headers: z.object({ 'idempotency-key': IdempotencyKey }).passthrough(),
        },
      },
      async (req, reply) => {
        const filed = await fileAppeal(
          ctx,
          appealToInbound('web', req.body, { idempotencyKey: req.headers['idempotency-key'] as string | undefined }),
        );
        const receipt = await receiptFor(ctx, filed);
        return reply.status(filed.duplicate ? 200 : 201).send(receipt);
      },
    );

    app.get(
      '/appeals/:number',
      {
        config: publicLimit,
        schema: {
          summary: 'Status of an appeal by its number (public; no personal data)',
          tags: ['appeals'],
          params: z.object({ number: z.string().regex(TICKET_NUMBER, 'a ticket number like AST-2026-000123') }),
          querystring: z.object({ lang: Language.optional() }),
        },
      },
      async (req) => {
        const t = await findTicket(ctx.db, req.params.number);
        if (!t) throw AppError.notFound('appeal', req.params.number);
        const replies = (await conversation(ctx.db, t.id)).filter((m) => m.direction === 'out');
        return presentPublicTicket(ctx.city, t, replies, req.query.lang);
      },
    );

    app.get('/categories', { schema: { summary: 'The city’s categories of appeal', tags: ['reference'] } }, async () =>
      ctx.city.categories.map((c) => ({ code: c.code, group: c.group, name: c.name, description: c.description })),
    );
    app.get('/organisations', { schema: { summary: 'Organisations that handle appeals', tags: ['reference'] } }, async () =>
      ctx.city.organisations.map((o) => ({ id: o.id, parent: o.parent ?? null, kind: o.kind, name: o.name })),
    );
    app.get('/districts', { schema: { summary: 'Districts with their polygons (GeoJSON)', tags: ['reference'] } }, async () => ({
      districts: ctx.city.city.districts.map((d) => ({ id: d.id, name: d.name })),
      geojson: ctx.city.geojson,
    }));
  };
