// Replies and updates the centre could not deliver (or has not yet): listed for the operators, with the platform's
// last answer, and sent again on request once the cause is fixed (a token renewed, a platform back).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canCentre } from '../../auth/policies.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { commitChange } from '../../outbox/change.js';
import { requireUser, staff } from '../auth.js';

const secured = { security: [{ bearer: [] }], tags: ['deliveries'] };

export const deliveryRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));
    app.addHook('preHandler', async (req) => {
      if (!canCentre(staff(req), 'deliveries')) throw AppError.forbidden('see deliveries');
    });

    app.get(
      '/deliveries',
      {
        schema: {
          ...secured,
          summary: 'Outgoing messages by delivery status (failed by default), newest first',
          querystring: z.object({
            status: z.enum(['failed', 'pending', 'sent']).default('failed'),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
        },
      },
      async (req) => {
        const rows = await ctx.db
          .selectFrom('outbox as o')
          .leftJoin('tickets as t', 't.id', 'o.ticket_id')
          .select(['o.id', 'o.channel', 'o.status', 'o.attempts', 'o.last_error', 'o.created_at', 'o.next_attempt_at', 'o.sent_at', 't.number'])
          .where('o.status', '=', req.query.status)
          .orderBy('o.id', 'desc')
          .limit(req.query.limit)
          .execute();
        return { status: req.query.status, deliveries: rows.map(({ number, ...r }) => ({ ...r, ticket: number })) };
      },
    );

    app.post(
      '/deliveries/:id/retry',
      { schema: { ...secured, summary: 'Send a failed message again', params: z.object({ id: z.coerce.number().int().positive() }) } },
      async (req) => {
        const user = staff(req);
        const ok = await commitChange(ctx.db, { type: 'user', id: String(user.id) }, async (change) => {
          const r = await change.tx
            .updateTable('outbox')
            .set({ status: 'pending', attempts: 0, next_attempt_at: new Date() })
            .where('id', '=', req.params.id)
            .where('status', '=', 'failed')
            .executeTakeFirst();
          if (r.numUpdatedRows === 0n) return false;
          change.audit({ action: 'delivery.retry', entityType: 'outbox', entityId: String(req.params.id) });
          return true;
        });
        if (!ok) throw AppError.notFound('failed delivery', String(req.params.id));
        return { id: req.params.id, status: 'pending' };
      },
    );
  };
