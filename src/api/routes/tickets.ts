// Staff routes: the ticket list and card (with its internal notes for those who may read them), lifecycle actions
// (the executor's accept, ask, resume, hand back and resolve with proof among them), and filing a 109 call on a
// caller's behalf. The notes' own routes are in ticket-notes.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can, listScope } from '../../auth/policies.js';
import { APPEAL_BODY_LIMIT, AppealBody, appealToInbound, Photo } from '../../channels/web.js';
import type { Language } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { fileAppeal } from '../../pipeline.js';
import { actOnTicket } from '../../tickets/commands.js';
import { ACTION_ALIASES, ACTIONS, STATUSES, type TicketAction } from '../../tickets/lifecycle.js';
import { MAX_NOTE_PHOTOS, notesOf } from '../../tickets/notes.js';
import { TICKET_NUMBER } from '../../tickets/numbers.js';
import {
  addressedTo,
  attachmentsOf,
  conversation,
  deliveriesOf,
  findTicket,
  history,
  listTickets,
  residentOf,
  triageOf,
} from '../../tickets/repository.js';
import { requireUser, staff } from '../auth.js';
import { presentStaffTicket, presentTicketListItem } from '../presenters.js';
import { IdempotencyKey, receiptFor } from './appeals.js';
import { photoInputs, ticketNoteRoutes } from './ticket-notes.js';

const Number_ = z.object({ number: z.string().regex(TICKET_NUMBER, 'a ticket number like AST-2026-000123') });
const secured = { security: [{ bearer: [] }], tags: ['tickets'] };
/** An action by its name or a former name (`start` is now `accept`). */
const Action = z
  .enum([...ACTIONS, ...(Object.keys(ACTION_ALIASES) as [string, ...string[]])])
  .transform((a): TicketAction => ACTION_ALIASES[a] ?? (a as TicketAction));

export const ticketRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));
    await app.register(ticketNoteRoutes(ctx));

    app.get(
      '/tickets',
      {
        schema: {
          ...secured,
          summary: 'List tickets (executors see only their organisation’s)',
          querystring: z.object({
            status: z
              .string()
              .optional()
              .transform((s) => s?.split(','))
              .pipe(z.array(z.enum(STATUSES)).optional()),
            category: z.string().max(10).optional(),
            organisation: z.string().max(100).optional(),
            district: z.string().max(100).optional(),
            channel: z.string().max(30).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(50),
            offset: z.coerce.number().int().min(0).default(0),
          }),
        },
      },
      async (req) => {
        const user = staff(req);
        if (!can(user, 'list')) throw AppError.forbidden('list tickets');
        const scope = listScope(user);
        const rows = await listTickets(ctx.db, {
          ...req.query,
          ...(scope === 'all' ? {} : { organisations: scope.organisations, addressedTo: scope.addressedTo }),
        });
        return {
          tickets: rows.map((t) => presentTicketListItem(ctx.city, t, user.locale as Language)),
          limit: req.query.limit,
          offset: req.query.offset,
        };
      },
    );

    app.get(
      '/tickets/:number',
      { schema: { ...secured, summary: 'One ticket with its conversation, triage, routing and history', params: Number_ } },
      async (req) => {
        const user = staff(req);
        const t = await findTicket(ctx.db, req.params.number);
        if (!t) throw AppError.notFound('ticket', req.params.number);
        if (!can(user, 'read', { ...t, addressed_to: await addressedTo(ctx.db, t.source_message_id) }))
          throw AppError.forbidden(`read ticket ${t.number}`);
        const [messages, triage, hist, resident, attachments, deliveries, notes] = await Promise.all([
          conversation(ctx.db, t.id),
          triageOf(ctx.db, t.source_message_id),
          history(ctx.db, t.number),
          residentOf(ctx.db, t.resident_id),
          attachmentsOf(ctx.db, t.source_message_id),
          deliveriesOf(ctx.db, t.id),
          can(user, 'read_notes', t) ? notesOf(ctx.db, t.id) : null,
        ]);
        return presentStaffTicket(ctx.city, user, t, { messages, triage, history: hist, resident, attachments, deliveries, notes }, ctx.now());
      },
    );

    app.post(
      '/tickets/:number/actions',
      {
        // A resolution may carry proof photos in base64.
        bodyLimit: APPEAL_BODY_LIMIT,
        schema: {
          ...secured,
          summary: 'Move a ticket through its lifecycle',
          params: Number_,
          body: z.object({
            action: Action,
            reason: z.string().trim().max(2000).optional(),
            organisation: z.string().max(100).optional(),
            category: z.string().max(10).optional(),
            question: z.string().trim().max(2000).optional(),
            note: z.string().trim().max(2000).optional(),
            proof: z.array(Photo).max(MAX_NOTE_PHOTOS, `at most ${MAX_NOTE_PHOTOS} photos`).optional(),
            version: z.number().int().positive().optional(),
          }),
        },
      },
      async (req) => {
        const { proof, ...rest } = req.body;
        const updated = await actOnTicket(ctx, staff(req), req.params.number, { ...rest, proof: photoInputs(proof) });
        return presentTicketListItem(ctx.city, updated, staff(req).locale as Language);
      },
    );

    app.post(
      '/phone-appeals',
      {
        bodyLimit: APPEAL_BODY_LIMIT,
        schema: {
          ...secured,
          summary: 'File a 109 call on the caller’s behalf (channel "phone")',
          body: AppealBody,
          headers: z.object({ 'idempotency-key': IdempotencyKey }).passthrough(),
        },
      },
      async (req, reply) => {
        const user = staff(req);
        if (!can(user, 'file_phone_call')) throw AppError.forbidden('file a phone appeal');
        const msg = appealToInbound('phone', req.body, { idempotencyKey: req.headers['idempotency-key'] as string | undefined, enteredBy: user.id });
        const filed = await fileAppeal(ctx, msg);
        return reply.status(filed.duplicate ? 200 : 201).send(await receiptFor(ctx, filed));
      },
    );
  };
