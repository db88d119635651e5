// Incident queries: numbers, the grouping's candidates, an incident's tickets and history, the list. Every SQL
// statement about incidents is here; the commands (membership.ts, actions.ts) and the routes talk to these.
import { type Selectable, sql, type Transaction } from 'kysely';
import type { Database } from '../store/db.js';
import type { DB, IncidentsTable } from '../store/schema.js';
import { OPEN_STATUSES } from '../tickets/lifecycle.js';
import { history } from '../tickets/repository.js';
import { addressKey } from '../triage/duplicates/place.js';
import type { Candidate, GroupingConfig } from './grouping.js';

export type IncidentRow = Selectable<IncidentsTable>;
type Tx = Transaction<DB>;

/** Incident numbers PREFIX-YYYY-Innnnn: a per-year counter of its own beside the tickets' (prefix "AST-I"). */
export async function nextIncidentNumber(tx: Tx, prefix: string, year: number): Promise<string> {
  const row = await tx
    .insertInto('ticket_counters')
    .values({ prefix: `${prefix}-I`, year, value: 1 })
    .onConflict((oc) => oc.columns(['prefix', 'year']).doUpdateSet((eb) => ({ value: eb('ticket_counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return `${prefix}-${year}-I${String(row.value).padStart(5, '0')}`;
}

export const INCIDENT_NUMBER = /^[A-Z]{2,5}-\d{4}-I\d{5,}$/;

const OPEN = [...OPEN_STATUSES] as string[];

/**
 * Grouping decisions of one category are taken one at a time (a transaction-scoped advisory lock), so two tickets
 * opening at once never both create an incident for the same group: the second sees the first's incident.
 */
export async function lockGrouping(tx: Tx, category: string | null): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`qala:incidents:${category ?? '*'}`}))`.execute(tx);
}

export interface NewTicketFacts {
  id: number;
  category: string | null;
  lat: number | null;
  lon: number | null;
  address: string | null;
  created_at: Date;
  source_message_id: number;
}

const MAX_CANDIDATES = 200;

/** Open tickets that may be the same problem as `t`: the one its message repeats (by the triage), and those of its
 * category opened within the window near its point (a bounding box; grouping.ts measures) or with its house number. */
export async function groupingCandidates(tx: Tx, t: NewTicketFacts, cfg: GroupingConfig): Promise<Candidate[]> {
  const repeatOf = await tx.selectFrom('message_triage').select('duplicate_of').where('message_id', '=', t.source_message_id).executeTakeFirst();
  const repeated = repeatOf?.duplicate_of ?? null;
  const repeatedTicket = repeated
    ? await tx.selectFrom('ticket_messages').select('ticket_id').where('message_id', '=', repeated).executeTakeFirst()
    : undefined;
  const windowMs = cfg.window_hours * 3_600_000;
  const dLat = cfg.radius_m / 111_000;
  const dLon = t.lat !== null ? cfg.radius_m / (111_000 * Math.max(0.01, Math.cos((t.lat * Math.PI) / 180))) : 0;
  const rows = await tx
    .selectFrom('tickets as t')
    .leftJoin('incidents as i', 'i.id', 't.incident_id')
    .select([
      't.id',
      't.category',
      't.district',
      't.address',
      't.lat',
      't.lon',
      't.organisation_id',
      't.status',
      't.created_at',
      't.incident_id',
      'i.status as incident_status',
      'i.dissolved_at',
    ])
    .where('t.id', '!=', t.id)
    .where('t.status', 'in', OPEN)
    .where((eb) => {
      const near = [];
      if (t.category) {
        const place = [];
        if (t.lat !== null && t.lon !== null) {
          place.push(eb.and([eb.between('t.lat', t.lat - dLat, t.lat + dLat), eb.between('t.lon', t.lon - dLon, t.lon + dLon)]));
        }
        // Only tickets whose address has the same house number can be the same building (grouping.ts compares keys).
        const house = addressKey(t.address)?.split('#')[1];
        if (house) place.push(eb('t.address', 'ilike', `%${house.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
        if (place.length) {
          near.push(
            eb.and([
              eb('t.category', '=', t.category),
              eb.between('t.created_at', new Date(t.created_at.getTime() - windowMs), new Date(t.created_at.getTime() + windowMs)),
              eb.or(place),
            ]),
          );
        }
      }
      if (repeatedTicket) near.push(eb('t.id', '=', repeatedTicket.ticket_id));
      return near.length ? eb.or(near) : eb.val(false);
    })
    .orderBy('t.created_at', 'desc')
    .limit(MAX_CANDIDATES)
    .execute();
  return rows.map(({ incident_status, dissolved_at, ...r }) => ({
    ...r,
    repeated: r.id === repeatedTicket?.ticket_id,
    incident_open: r.incident_id !== null && dissolved_at === null && OPEN_STATUSES.has(incident_status as never),
  }));
}

/** Tickets by number, locked for the change, in id order (one order everywhere: no deadlock between two merges). */
export function lockTicketsByNumber(tx: Tx, numbers: readonly string[]) {
  if (numbers.length === 0) return Promise.resolve([]);
  return tx.selectFrom('tickets').selectAll().where('number', 'in', numbers).orderBy('id').forUpdate().execute();
}

export function lockTicketsById(tx: Tx, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.selectFrom('tickets').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

export function lockChildren(tx: Tx, incident: string) {
  return tx.selectFrom('tickets').selectAll().where('incident_id', '=', incident).orderBy('id').forUpdate().execute();
}

export function lockIncident(tx: Tx, number: string) {
  return tx.selectFrom('incidents').selectAll().where('id', '=', number).forUpdate().executeTakeFirst();
}

export function findIncident(db: Database, number: string) {
  return db.selectFrom('incidents').selectAll().where('id', '=', number).executeTakeFirst();
}

/** An incident's tickets, oldest first. */
export function childrenOf(db: Database, number: string) {
  return db.selectFrom('tickets').selectAll().where('incident_id', '=', number).orderBy('created_at').orderBy('id').execute();
}

export const incidentHistory = (db: Database, number: string) => history(db, number, 'incident');

export interface IncidentFilter {
  status?: string[] | undefined;
  category?: string | undefined;
  district?: string | undefined;
  organisation?: string | undefined;
  /** Authorization scope of executors and heads: incidents of these organisations. */
  organisations?: string[] | undefined;
  /** Dissolved incidents (split apart or merged into another) are history: listed only when asked for. */
  dissolved?: boolean | undefined;
  limit: number;
  offset: number;
}

export async function listIncidents(db: Database, f: IncidentFilter) {
  let q = db
    .selectFrom('incidents as i')
    .selectAll('i')
    .select((eb) => eb.selectFrom('tickets as t').select(eb.fn.countAll<string>().as('n')).whereRef('t.incident_id', '=', 'i.id').as('tickets'));
  if (f.status?.length) q = q.where('i.status', 'in', f.status);
  if (f.category) q = q.where('i.category', '=', f.category);
  if (f.district) q = q.where('i.district', '=', f.district);
  if (f.organisation) q = q.where('i.organisation_id', '=', f.organisation);
  if (f.organisations) q = f.organisations.length ? q.where('i.organisation_id', 'in', f.organisations) : q.where(({ lit }) => lit(false));
  q = f.dissolved ? q.where('i.dissolved_at', 'is not', null) : q.where('i.dissolved_at', 'is', null);
  const rows = await q.orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(f.limit).offset(f.offset).execute();
  return rows.map((r) => ({ ...r, tickets: Number(r.tickets ?? 0) }));
}

/** Live incidents not closed whose tickets are all in one of the `finished` statuses (incidents/follow.ts). */
export async function finishedIncidents(db: Database, finished: readonly string[], limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('incidents as i')
    .select('i.id')
    .where('i.dissolved_at', 'is', null)
    .where('i.status', '!=', 'closed')
    .where(({ exists, not, selectFrom }) =>
      exists(selectFrom('tickets as t').select('t.id').whereRef('t.incident_id', '=', 'i.id')).and(
        not(
          exists(
            selectFrom('tickets as t')
              .select('t.id')
              .whereRef('t.incident_id', '=', 'i.id')
              .where('t.status', 'not in', [...finished]),
          ),
        ),
      ),
    )
    .orderBy('i.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
