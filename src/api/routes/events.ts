// Live updates for staff screens: GET /api/v1/events streams Server-Sent Events of ticket and incident changes, and
// of spike alerts to those who may see the city's analytics or situation centre.
// The source is the audit log (every state change writes one row in the same transaction, see outbox/change.ts),
// read after the last id about once a second: it works across processes and on PGlite alike, and the audit id is
// the SSE `id:`, so a reconnecting client resumes with Last-Event-ID and loses nothing.
// Authentication is the ordinary bearer header: the web client reads the stream with fetch (web/live.js) instead of
// EventSource, which cannot send headers, so no token ever goes into a URL.
// Each event carries only what the lists show (number, status, organisation, category, district; for a spike its
// counts and window): no personal data.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { can, canCentre, incidentListScope, listScope, type StaffUser } from '../../auth/policies.js';
import { userForToken } from '../../auth/sessions.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { bearer, requireUser, staff } from '../auth.js';

const POLL_MS = 1000;
const HEARTBEAT_MS = 15_000;
/** A stream re-checks its session this often, so a logout or a disabled account ends it. */
const RECHECK_MS = 60_000;
const BATCH = 200;

export interface LiveEvent {
  type: 'ticket' | 'incident' | 'spike';
  /** The ticket's or incident's number; a spike alert's id. */
  number: string;
  action: string;
  status: string | null;
  organisation: string | null;
  category: string | null;
  district: string | null;
  at: string;
  /** Spike alerts only: the alert's counts and window (GET /api/v1/analytics/spikes explains them). */
  spike?: { id: number; observed: number; expected: number; window_from: string; window_to: string };
}

interface Row extends LiveEvent {
  id: number;
  addressed_to: string[] | null;
}

/** Audit rows about tickets, incidents and spike alerts after `after`, with the entity's current state. */
async function rowsAfter(ctx: Context, after: number): Promise<Row[]> {
  const rows = await ctx.db
    .selectFrom('audit_log as a')
    .leftJoin('tickets as t', (j) => j.on('a.entity_type', '=', 'ticket').onRef('t.number', '=', 'a.entity_id'))
    .leftJoin('incidents as i', (j) => j.on('a.entity_type', '=', 'incident').onRef('i.id', '=', 'a.entity_id'))
    .leftJoin('messages as m', 'm.id', 't.source_message_id')
    .leftJoin('spike_alerts as s', (j) => j.on(sql<boolean>`a.entity_type = 'spike' AND s.id::text = a.entity_id`))
    .select([
      'a.id',
      'a.entity_type',
      'a.entity_id',
      'a.action',
      'a.at',
      'm.addressed_to',
      sql<string | null>`coalesce(t.status, i.status)`.as('status'),
      sql<string | null>`coalesce(t.organisation_id, i.organisation_id)`.as('organisation'),
      sql<string | null>`coalesce(t.category, i.category, s.category)`.as('category'),
      sql<string | null>`coalesce(t.district, i.district, s.district)`.as('district'),
      's.id as spike_id',
      's.observed',
      's.expected',
      's.window_start',
      's.window_end',
    ])
    .where('a.id', '>', after)
    .where((eb) =>
      eb.or([eb('a.entity_type', 'in', ['ticket', 'incident']), eb.and([eb('a.entity_type', '=', 'spike'), eb('a.action', '=', 'spike.detected')])]),
    )
    .orderBy('a.id')
    .limit(BATCH)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    type: r.entity_type as LiveEvent['type'],
    number: r.entity_id,
    action: r.action,
    status: r.status,
    organisation: r.organisation,
    category: r.category,
    district: r.district,
    at: new Date(r.at).toISOString(),
    addressed_to: r.addressed_to,
    ...(r.entity_type === 'spike' && r.spike_id !== null
      ? {
          spike: {
            id: Number(r.spike_id),
            observed: Number(r.observed),
            expected: Math.round(Number(r.expected) * 100) / 100,
            window_from: new Date(r.window_start as Date).toISOString(),
            window_to: new Date(r.window_end as Date).toISOString(),
          },
        }
      : {}),
  }));
}

/** Whether `user` would find this ticket or incident in their lists (the lists' own scope rules); a spike alert is
 * for those who see the city as a whole (analytics or the situation centre), never for an executor. */
export function visibleTo(user: StaffUser, e: Pick<Row, 'type' | 'organisation' | 'addressed_to'>): boolean {
  if (e.type === 'spike') return canCentre(user, 'analytics') || canCentre(user, 'situation');
  if (e.type === 'incident') {
    const scope = incidentListScope(user);
    return scope === 'all' || (e.organisation !== null && scope.organisations.includes(e.organisation));
  }
  const scope = listScope(user);
  if (scope === 'all') return true;
  if (scope.organisations && e.organisation !== null && scope.organisations.includes(e.organisation)) return true;
  return !!scope.addressedTo && (e.addressed_to ?? []).some((a) => scope.addressedTo?.includes(a));
}

async function lastAuditId(ctx: Context): Promise<number> {
  const r = await ctx.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(r?.max ?? 0);
}

export const eventRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));
    const open = new Set<() => void>();
    // A stream never ends by itself: close them all when the server stops, or closing would wait for them.
    app.addHook('preClose', async () => {
      for (const end of [...open]) end();
    });

    app.get(
      '/events',
      {
        schema: {
          security: [{ bearer: [] }],
          tags: ['events'],
          summary: 'Live ticket and incident changes and spike alerts (Server-Sent Events; resume with Last-Event-ID)',
          headers: z
            .object({
              'last-event-id': z
                .string()
                .regex(/^\d{1,18}$/)
                .optional(),
            })
            .passthrough(),
          querystring: z.object({ after: z.coerce.number().int().min(0).optional() }),
        },
      },
      async (req, reply) => {
        const user = staff(req);
        if (!can(user, 'list')) throw AppError.forbidden('follow ticket changes');
        const token = bearer(req) as string;
        const header = req.headers['last-event-id'] as string | undefined;
        // Without a point to resume from, the stream starts at "now": screens load their lists themselves.
        let last = header !== undefined ? Number(header) : (req.query.after ?? (await lastAuditId(ctx)));

        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no', // a proxy in front must pass each event on at once
        });
        res.write(`retry: 3000\n: live since ${last}\n\n`);

        let busy = false;
        let closed = false;
        let lastBeat = Date.now();
        let lastCheck = Date.now();
        const end = () => {
          if (closed) return;
          closed = true;
          clearInterval(timer);
          open.delete(end);
          res.end();
        };
        open.add(end);
        req.raw.on('close', end);

        const tick = async () => {
          if (busy || closed) return;
          busy = true;
          try {
            if (Date.now() - lastCheck > RECHECK_MS) {
              lastCheck = Date.now();
              if (!(await userForToken(ctx.db, token))) return end();
            }
            for (;;) {
              const rows = await rowsAfter(ctx, last);
              for (const r of rows) {
                last = r.id;
                if (closed || !visibleTo(user, r)) continue;
                const { id, addressed_to: _, ...event } = r;
                res.write(`id: ${id}\ndata: ${JSON.stringify(event)}\n\n`);
                lastBeat = Date.now();
              }
              if (rows.length < BATCH) break;
            }
            if (Date.now() - lastBeat > HEARTBEAT_MS) {
              // A comment keeps proxies from closing an idle stream; the bare id moves the client's resume point past
              // the changes it may not see, so a reconnect does not read them again.
              res.write(`: heartbeat\nid: ${last}\n\n`);
              lastBeat = Date.now();
            }
          } catch (err) {
            req.log.warn({ err }, 'events stream: reading the audit log failed');
          } finally {
            busy = false;
          }
        };
        const timer = setInterval(tick, POLL_MS);
        void tick();
      },
    );
  };
