// Public routes for residents: file an appeal (and get its access key, once), look up its status by number (the
// key holder sees their own conversation), read the city's categories. The loop's actions: appeal-actions.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { APPEAL_BODY_LIMIT, AppealBody, appealToInbound, IdempotencyKey } from '../../channels/web.js';
import { Language } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { fileAppeal } from '../../pipeline.js';
import { hasAccessKey, issueAccessKey } from '../../tickets/access.js';
import { conversation, findTicket } from '../../tickets/repository.js';
import { presentPublicTicket } from '../presenters.js';
import { AccessKey, AppealNumber, KEY_HEADER, residentView } from './appeal-actions.js';

/** Re-exported for the staff routes' 109 filing, which takes the same header. */
export { IdempotencyKey };

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
        // The key is shown once: a repeat of the same filing gets none (unless the first never got one stored).
        const key = !filed.duplicate || !(await hasAccessKey(ctx.db, filed.messageId)) ? await issueAccessKey(ctx.db, filed.messageId) : null;
        const link = key && 'number' in receipt ? `${ctx.settings.QALA_PUBLIC_URL.replace(/\/+$/, '')}/#/track/${receipt.number}?key=${key}` : null;
        return reply.status(filed.duplicate ? 200 : 201).send({ ...receipt, access_key: key, private_link: link });
      },
    );

    app.get(
      '/appeals/:number',
      {
        config: publicLimit,
        schema: {
          summary: 'Status of an appeal by its number (public, no personal data); with its access key, the resident’s own view',
          tags: ['appeals'],
          params: AppealNumber,
          querystring: z.object({ lang: Language.optional() }),
          headers: z.object({ [KEY_HEADER]: AccessKey.optional() }).passthrough(),
        },
      },
      async (req) => {
        const key = req.headers[KEY_HEADER] as string | undefined;
        if (key) return residentView(ctx, req.params.number, key, req.query.lang);
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
      /** The city's fixed offset from UTC: the web app shows every time in the city's time with it. */
      utc_offset_minutes: ctx.city.city.utc_offset_minutes,
      geojson: ctx.city.geojson,
    }));
  };
