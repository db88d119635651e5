// Staff routes for incidents (many tickets about one problem): list and card, make one of chosen tickets, merge
// tickets or incidents in, split a ticket out, and work the incident as a whole. Each validates, authenticates,
// authorizes and calls one command of src/incidents/; the presenters decide what is shown.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canIncident, incidentListScope, type StaffUser } from '../../auth/policies.js';
import { APPEAL_BODY_LIMIT, Photo } from '../../channels/web.js';
import type { Language } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { actOnIncident } from '../../incidents/actions.js';
import { createByOperator, mergeInto, splitTicket } from '../../incidents/commands.js';
import { presentIncident, presentIncidentListItem } from '../../incidents/presenters.js';
import { childrenOf, findIncident, INCIDENT_NUMBER, incidentHistory, listIncidents } from '../../incidents/repository.js';
import { TICKET_NUMBER } from '../../tickets/numbers.js';
import { requireUser, staff } from '../auth.js';
import { StatusList } from './tickets.js';

const IncidentNumber = z.string().regex(INCIDENT_NUMBER, 'an incident number like AST-2026-I00012');
const TicketNumber = z.string().regex(TICKET_NUMBER, 'a ticket number like AST-2026-000123');
const Params = z.object({ number: IncidentNumber });
const Members = z.object({
  tickets: z.array(TicketNumber).max(500).optional(),
  incidents: z.array(IncidentNumber).max(50).optional(),
});
const secured = { security: [{ bearer: [] }], tags: ['incidents'] };

export const incidentRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));

    /** The card of an incident as this user may see it. */
    async function card(user: StaffUser, number: string) {
      const i = await findIncident(ctx.db, number);
      if (!i) throw AppError.notFound('incident', number);
      if (!canIncident(user, 'read', i)) throw AppError.forbidden(`read incident ${number}`);
      const [children, history] = await Promise.all([childrenOf(ctx.db, number), incidentHistory(ctx.db, number)]);
      return presentIncident(ctx.city, user, i, children, history, ctx.now());
    }

    app.get(
      '/incidents',
      {
        schema: {
          ...secured,
          summary: 'List incidents (executors see only their organisation’s)',
          querystring: z.object({
            status: StatusList,
            category: z.string().max(10).optional(),
            district: z.string().max(100).optional(),
            organisation: z.string().max(100).optional(),
            dissolved: z.enum(['true', 'false']).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(50),
            offset: z.coerce.number().int().min(0).default(0),
          }),
        },
      },
      async (req) => {
        const user = staff(req);
        if (!canIncident(user, 'list')) throw AppError.forbidden('list incidents');
        const scope = incidentListScope(user);
        const { dissolved, ...filter } = req.query;
        const rows = await listIncidents(ctx.db, { ...filter, dissolved: dissolved === 'true', ...(scope === 'all' ? {} : scope) });
        return {
          incidents: rows.map((i) => presentIncidentListItem(ctx.city, i, user.locale as Language)),
          limit: req.query.limit,
          offset: req.query.offset,
        };
      },
    );

    app.get('/incidents/:number', { schema: { ...secured, summary: 'One incident with its tickets and history', params: Params } }, async (req) =>
      card(staff(req), req.params.number),
    );

    app.post(
      '/incidents',
      {
        schema: {
          ...secured,
          summary: 'Make an incident of chosen tickets (and the tickets of chosen incidents)',
          body: Members.extend({ title: z.string().trim().min(1).max(200).optional() }),
        },
      },
      async (req, reply) => {
        const user = staff(req);
        const i = await createByOperator(ctx, user, req.body);
        return reply.status(201).send(await card(user, i.id));
      },
    );

    app.post(
      '/incidents/:number/tickets',
      { schema: { ...secured, summary: 'Merge tickets or other incidents into this incident', params: Params, body: Members } },
      async (req) => {
        const user = staff(req);
        await mergeInto(ctx, user, req.params.number, req.body);
        return card(user, req.params.number);
      },
    );

    app.delete(
      '/incidents/:number/tickets/:ticket',
      {
        schema: {
          ...secured,
          summary: 'Take a ticket out of the incident (one left alone dissolves it)',
          params: Params.extend({ ticket: TicketNumber }),
        },
      },
      async (req) => {
        const user = staff(req);
        await splitTicket(ctx, user, req.params.number, req.params.ticket);
        return card(user, req.params.number);
      },
    );

    app.post(
      '/incidents/:number/actions',
      {
        // A resolution may carry proof photos in base64.
        bodyLimit: APPEAL_BODY_LIMIT,
        schema: {
          ...secured,
          summary: 'Work the incident as a whole: every ticket that can follow moves with it',
          params: Params,
          body: z.object({
            action: z.string().min(1).max(30),
            reason: z.string().trim().max(2000).optional(),
            note: z.string().trim().max(2000).optional(),
            organisation: z.string().max(100).optional(),
            category: z.string().max(10).optional(),
            proof: z.array(Photo).max(5, 'at most 5 photos').optional(),
            version: z.number().int().positive().optional(),
          }),
        },
      },
      async (req) => {
        const user = staff(req);
        const { proof, ...rest } = req.body;
        const photos = (proof ?? []).map((p) => ({ contentType: p.content_type, filename: p.filename, bytes: Buffer.from(p.data, 'base64') }));
        await actOnIncident(ctx, user, req.params.number, { ...rest, proof: photos });
        return card(user, req.params.number);
      },
    );
  };
