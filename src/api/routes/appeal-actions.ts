// The resident's loop on the web (public, rate-limited): whoever holds an appeal's access key (given once when it
// was filed) reads their own conversation with the city and confirms the fix, reopens it, rates it or adds details.
// A wrong key is answered exactly like an unknown number (404), so neither numbers nor keys can be probed.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { APPEAL_BODY_LIMIT, AppealText, IdempotencyKey, Photo } from '../../channels/web.js';
import { Language } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { ACCESS_KEY, ticketForKey } from '../../tickets/access.js';
import { TICKET_NUMBER } from '../../tickets/numbers.js';
import { addDetails, confirmResolution, rateTicket, reopenByResident } from '../../tickets/resident.js';
import { loadResidentData } from '../../tickets/resident-view.js';
import { presentResidentTicket } from '../resident-presenter.js';

export const KEY_HEADER = 'x-appeal-key';
export const AccessKey = z.string().regex(ACCESS_KEY, 'the access key given when the appeal was filed');
export const AppealNumber = z.object({ number: z.string().regex(TICKET_NUMBER, 'a ticket number like AST-2026-000123') });
const KeyHeaders = z.object({ [KEY_HEADER]: AccessKey }).passthrough();
const LangQuery = z.object({ lang: Language.optional() });

const ReopenBody = z.object({ reason: z.string().trim().min(1, 'say what is still wrong').max(2000) }).strict();
const RateBody = z
  .object({
    score: z.number().int('a whole number from 1 to 5').min(1).max(5),
    comment: z.string().trim().max(2000).optional(),
  })
  .strict();
const DetailsBody = z
  .object({ text: AppealText.optional(), photos: z.array(Photo).max(5, 'at most 5 photos').optional() })
  .strict()
  .refine((b) => Boolean(b.text?.trim()) || Boolean(b.photos?.length), { message: 'give some text or a photo', path: ['text'] });

/** The key holder's own view of the ticket, or the same 404 as an unknown number. */
export async function residentView(ctx: Context, number: string, key: string, lang?: Language) {
  const t = await ticketForKey(ctx.db, number, key);
  if (!t) throw AppError.notFound('appeal', number);
  return presentResidentTicket(ctx.city, t, await loadResidentData(ctx.db, t), ctx.now(), lang);
}

export const appealActionRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const config = { rateLimit: { max: ctx.settings.PUBLIC_RATE_LIMIT, timeWindow: '1 minute' } };
    const schema = (summary: string) => ({
      summary,
      tags: ['appeals'],
      params: AppealNumber,
      headers: KeyHeaders,
      querystring: LangQuery,
    });
    const keyOf = (headers: Record<string, unknown>) => ({ accessKey: String(headers[KEY_HEADER]) });

    app.post('/appeals/:number/confirm', { config, schema: schema('The resident confirms the fix (resolved → closed)') }, async (req) => {
      await confirmResolution(ctx, req.params.number, keyOf(req.headers));
      return residentView(ctx, req.params.number, keyOf(req.headers).accessKey, req.query.lang);
    });

    app.post(
      '/appeals/:number/reopen',
      { config, schema: { ...schema('The problem is still there: back to the same organisation, within the window'), body: ReopenBody } },
      async (req) => {
        await reopenByResident(ctx, req.params.number, keyOf(req.headers), req.body.reason);
        return residentView(ctx, req.params.number, keyOf(req.headers).accessKey, req.query.lang);
      },
    );

    app.post(
      '/appeals/:number/rate',
      { config, schema: { ...schema('Rate how it was handled, 1–5 with a comment (again replaces)'), body: RateBody } },
      async (req) => {
        await rateTicket(ctx, req.params.number, keyOf(req.headers), req.body.score, req.body.comment);
        return residentView(ctx, req.params.number, keyOf(req.headers).accessKey, req.query.lang);
      },
    );

    app.post(
      '/appeals/:number/details',
      {
        config,
        bodyLimit: APPEAL_BODY_LIMIT,
        schema: {
          ...schema('More words or photos for the appeal'),
          body: DetailsBody,
          headers: KeyHeaders.extend({ 'idempotency-key': IdempotencyKey }),
        },
      },
      async (req, reply) => {
        const { text = '', photos = [] } = req.body;
        const idem = req.headers['idempotency-key'] as string | undefined;
        const added = await addDetails(ctx, req.params.number, keyOf(req.headers), {
          channel: 'web',
          // Apart from appeals' own keys: the same Idempotency-Key on an appeal and on its details are two messages.
          externalId: `details:${idem ?? randomUUID()}`,
          text,
          attachments: photos.map((p) => ({ contentType: p.content_type, filename: p.filename, bytes: Buffer.from(p.data, 'base64') })),
          raw: { via: 'portal', text, photos: photos.map((p) => ({ content_type: p.content_type, filename: p.filename })) },
          receivedAt: ctx.now(),
        });
        const view = await residentView(ctx, req.params.number, keyOf(req.headers).accessKey, req.query.lang);
        return reply.status(added.duplicate ? 200 : 201).send(view);
      },
    );
  };
