// Staff routes: the ticket list and card (with its internal notes for those who may read them), lifecycle actions
// (the executor's accept, ask, resume, hand back and resolve with proof among them), and filing a 109 call on a
// caller's behalf. The notes' own routes are in ticket-notes.ts.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can, listScope } from '../../auth/policies.js';
import { APPEAL_BODY_LIMIT, AppealBody, appealToInbound, Photo } from '../../channels/web.js';
import { type Language, Urgency } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { fileAppeal } from '../../pipeline.js';
import { actOnTicket } from '../../tickets/commands.js';
import { correctTicket } from '../../tickets/corrections.js';
import { ACTION_ALIASES, ACTIONS, STATUSES, type TicketAction } from '../../tickets/lifecycle.js';
import { MAX_NOTE_PHOTOS, notesOf } from '../../tickets/notes.js';
import { TICKET_NUMBER } from '../../tickets/numbers.js';
import { MAX_REPLY, renderedTemplates, replyToResident } from '../../tickets/reply.js';
import {
  addressedTo,
  attachmentsOf,
  conversation,
  countTickets,
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

/** A comma-separated list of values from `values` in a query string (`?urgency=high,critical`). */
export const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .optional()
    .transform((s) => s?.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)).optional());

/** `?status=new,assigned`: the ticket statuses, shared by the ticket and incident lists. */
export const StatusList = csv(STATUSES);
/** An action by its name or a former name (`start` is now `accept`). */
const Action = z
  .enum([...ACTIONS, ...(Object.keys(ACTION_ALIASES) as [string, ...string[]])])
  .transform((a): TicketAction => ACTION_ALIASES[a] ?? (a as TicketAction));

/** The ticket list's filters, shared by the list and its exports. */
export const TicketFilters = z.object({
  status: StatusList,
  category: z.string().max(10).optional(),
  organisation: z.string().max(100).optional(),
  district: z.string().max(100).optional(),
  channel: z.string().max(30).optional(),
  urgency: csv(Urgency.options as [Urgency, ...Urgency[]]),
  language: z.enum(['ru', 'kk', 'en']).optional(),
  attention: z.enum(['at_risk', 'overdue']).optional(),
  q: z.string().trim().max(200).optional(),
  sort: z.enum(['created', 'created_asc', 'deadline']).default('created'),
});

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
          querystring: TicketFilters.extend({
            limit: z.coerce.number().int().min(1).max(500).default(50),
            offset: z.coerce.number().int().min(0).default(0),
          }),
        },
      },
      async (req) => {
        const user = staff(req);
        if (!can(user, 'list')) throw AppError.forbidden('list tickets');
        const scope = listScope(user);
        const { sort, ...query } = req.query;
        const filter = {
          ...query,
          now: ctx.now(),
          ...(scope === 'all' ? {} : { organisations: scope.organisations, addressedTo: scope.addressedTo }),
        };
        const order = sort === 'created' ? 'created_desc' : sort;
        const [rows, counts] = await Promise.all([listTickets(ctx.db, { ...filter, order }), countTickets(ctx.db, filter)]);
        return {
          tickets: rows.map((t) => presentTicketListItem(ctx.city, t, user.locale as Language, ctx.now())),
          limit: req.query.limit,
          offset: req.query.offset,
          // How many match the filter (for paging) and how many of those need attention now.
          ...counts,
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

    app.get(
      '/tickets/:number/reply-templates',
      { schema: { ...secured, summary: 'The city’s templates filled for this ticket, in the resident’s language', params: Number_ } },
      async (req) => {
        const user = staff(req);
        const t = await findTicket(ctx.db, req.params.number);
        if (!t) throw AppError.notFound('ticket', req.params.number);
        if (!can(user, 'read', t)) throw AppError.forbidden(`read ticket ${t.number}`);
        return { language: t.language, channel: t.channel, templates: renderedTemplates(ctx, t) };
      },
    );

    app.post(
      '/tickets/:number/reply',
      {
        schema: {
          ...secured,
          summary: 'Reply to the resident in their channel and language: a template, or the operator’s (edited) text',
          params: Number_,
          body: z
            .object({ text: z.string().max(MAX_REPLY).optional(), template: z.string().max(80).optional() })
            .refine((b) => !!b.text?.trim() || !!b.template, 'a text or a template'),
          headers: z.object({ 'idempotency-key': IdempotencyKey }).passthrough(),
        },
      },
      async (req, reply) => {
        const key = (req.headers['idempotency-key'] as string | undefined) ?? randomUUID();
        return reply.status(201).send(await replyToResident(ctx, staff(req), req.params.number, { ...req.body, key }));
      },
    );

    app.post(
      '/tickets/:number/corrections',
      {
        schema: {
          ...secured,
          summary: 'Correct the category, organisation or place (district, address, point); each feeds learning',
          params: Number_,
          body: z
            .object({
              category: z.string().max(10).optional(),
              organisation: z.string().max(100).optional(),
              district: z.string().max(100).optional(),
              address: z.string().max(300).optional(),
              point: z
                .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
                .nullable()
                .optional(),
              version: z.number().int().positive().optional(),
            })
            .strict(),
        },
      },
      async (req) => {
        const updated = await correctTicket(ctx, staff(req), req.params.number, req.body);
        return presentTicketListItem(ctx.city, updated, staff(req).locale as Language, ctx.now());
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
