// Ticket queries. Every read of tickets outside the pipeline goes through here.
import { sql } from 'kysely';
import type { Database } from '../store/db.js';
import { matches, searchQuery } from './search.js';

export type TicketRow = Awaited<ReturnType<typeof findTicket>> & {};

export function findTicket(db: Database, number: string) {
  return db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirst();
}

export async function ticketForMessage(db: Database, messageId: number) {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('id', '=', (eb) => eb.selectFrom('ticket_messages').select('ticket_id').where('message_id', '=', messageId))
    .executeTakeFirst();
}

export interface TicketFilter {
  status?: string[] | undefined;
  category?: string | undefined;
  categories?: string[] | undefined;
  organisation?: string | undefined;
  district?: string | undefined;
  channel?: string | undefined;
  urgency?: string[] | undefined;
  language?: string | undefined;
  /** Open tickets whose deadline is past (overdue) or was found at risk by the escalation sweep (at_risk). */
  attention?: 'at_risk' | 'overdue' | undefined;
  /** Words looked for in every message of the ticket (tickets/search.ts), or a ticket number. */
  q?: string | undefined;
  /** The time `attention` is judged at (ctx.now()); the database's clock otherwise. */
  now?: Date | undefined;
  organisations?: string[] | undefined; // authorization scope
  /** Authorization scope of an official: tickets opened by a message addressed to one of these watched accounts. */
  addressedTo?: string[] | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  updatedFrom?: Date | undefined;
  numbers?: string[] | undefined;
  limit: number;
  offset: number;
  /** deadline: the nearest deadline first (none last), the console's working order. */
  order?: 'created_desc' | 'created_asc' | 'deadline';
}

/** Statuses whose deadline clock runs: a ticket waiting for the resident is neither overdue nor at risk. */
const RUNNING = ['new', 'assigned', 'in_progress', 'reopened'];

/** The tickets matching a filter, before order and paging; shared by the list and its counts. */
function filtered(db: Database, f: Omit<TicketFilter, 'limit' | 'offset' | 'order'>) {
  let q = db.selectFrom('tickets');
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.category) q = q.where('category', '=', f.category);
  if (f.categories?.length) q = q.where('category', 'in', f.categories);
  if (f.organisation) q = q.where('organisation_id', '=', f.organisation);
  if (f.district) q = q.where('district', '=', f.district);
  if (f.channel) q = q.where('channel', '=', f.channel);
  if (f.urgency?.length) q = q.where('urgency', 'in', f.urgency);
  if (f.language) q = q.where('language', '=', f.language);
  if (f.attention) {
    const now = f.now ? sql<Date>`${f.now}::timestamptz` : sql<Date>`now()`;
    q = q.where('status', 'in', RUNNING).where('resolution_due', 'is not', null);
    q = f.attention === 'overdue' ? q.where('resolution_due', '<', now) : q.where('resolution_due', '>=', now).where('at_risk_at', 'is not', null);
  }
  if (f.q) {
    const words = searchQuery(f.q);
    const number = f.q.trim().toUpperCase();
    q = q.where((eb) =>
      eb.or([
        eb('number', '=', number),
        ...(words
          ? [
              eb(
                'id',
                'in',
                eb
                  .selectFrom('ticket_messages as tm')
                  .innerJoin('messages as m', 'm.id', 'tm.message_id')
                  .select('tm.ticket_id')
                  .where(matches(words)),
              ),
            ]
          : []),
      ]),
    );
  }
  if (f.organisations) q = f.organisations.length ? q.where('organisation_id', 'in', f.organisations) : q.where(({ lit }) => lit(false));
  if (f.addressedTo) {
    const accounts = f.addressedTo;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('messages as m')
          .select('m.id')
          .whereRef('m.id', '=', 'tickets.source_message_id')
          .where(sql<boolean>`m.addressed_to && ${sql.val(accounts)}::text[]`),
      ),
    );
  }
  if (f.createdFrom) q = q.where('created_at', '>=', f.createdFrom);
  if (f.createdTo) q = q.where('created_at', '<=', f.createdTo);
  if (f.updatedFrom) q = q.where('updated_at', '>=', f.updatedFrom);
  if (f.numbers?.length) q = q.where('number', 'in', f.numbers);
  return q;
}

export async function listTickets(db: Database, f: TicketFilter) {
  const q = filtered(db, f).selectAll();
  const ordered =
    f.order === 'deadline'
      ? q.orderBy(sql`resolution_due asc nulls last`).orderBy('id', 'asc')
      : q.orderBy('created_at', f.order === 'created_asc' ? 'asc' : 'desc').orderBy('id', f.order === 'created_asc' ? 'asc' : 'desc');
  return ordered.limit(f.limit).offset(f.offset).execute();
}

/** How many tickets match the filter, and how many of them are overdue or at risk (the console's counters). */
export async function countTickets(db: Database, f: Omit<TicketFilter, 'limit' | 'offset' | 'order'>) {
  const count = async (g: typeof f) => {
    const r = await filtered(db, g)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  };
  const [total, overdue, at_risk] = await Promise.all([
    count(f),
    f.attention && f.attention !== 'overdue' ? 0 : count({ ...f, attention: 'overdue' }),
    f.attention && f.attention !== 'at_risk' ? 0 : count({ ...f, attention: 'at_risk' }),
  ]);
  return { total, overdue, at_risk };
}

/** The whole conversation of a ticket, in and out, oldest first. */
export function conversation(db: Database, ticketId: number) {
  return db
    .selectFrom('ticket_messages as tm')
    .innerJoin('messages as m', 'm.id', 'tm.message_id')
    .select(['m.id', 'm.channel', 'm.direction', 'm.text', 'm.location', 'm.received_at', 'm.author_user_id', 'm.raw'])
    .where('tm.ticket_id', '=', ticketId)
    .orderBy('m.received_at')
    .orderBy('m.id')
    .execute();
}

/** A ticket's (or an incident's) audit rows, each with the name of the staff member who acted: staff see each
 * other's names. */
export function history(db: Database, number: string, entity: 'ticket' | 'incident' = 'ticket') {
  return db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', (j) => j.on('a.actor_type', '=', 'user').on(sql`u.id::text`, '=', sql.ref('a.actor_id')))
    .selectAll('a')
    .select('u.name as actor_name')
    .where('a.entity_type', '=', entity)
    .where('a.entity_id', '=', number)
    .orderBy('a.id')
    .execute();
}

export function triageOf(db: Database, messageId: number) {
  return db.selectFrom('message_triage').selectAll().where('message_id', '=', messageId).executeTakeFirst();
}

export function residentOf(db: Database, id: number | null) {
  if (id === null) return Promise.resolve(undefined);
  return db.selectFrom('residents').selectAll().where('id', '=', id).executeTakeFirst();
}

export function attachmentsOf(db: Database, messageId: number) {
  return db.selectFrom('attachments').select(['id', 'content_type', 'filename', 'sha256']).where('message_id', '=', messageId).execute();
}

export interface PublicTexts {
  description: string;
  lastReply: string | null;
}

/** The resident's words and the city's latest reply for many tickets at once (two queries, not two per ticket). */
export async function publicTexts(db: Database, tickets: { id: number; source_message_id: number }[]): Promise<Map<number, PublicTexts>> {
  const out = new Map<number, PublicTexts>();
  if (tickets.length === 0) return out;
  const sources = await db
    .selectFrom('messages')
    .select(['id', 'text'])
    .where(
      'id',
      'in',
      tickets.map((t) => t.source_message_id),
    )
    .execute();
  const byMessage = new Map(sources.map((m) => [m.id, m.text]));
  for (const t of tickets) out.set(t.id, { description: byMessage.get(t.source_message_id) ?? '', lastReply: null });
  const replies = await db
    .selectFrom('ticket_messages as tm')
    .innerJoin('messages as m', 'm.id', 'tm.message_id')
    .select(['tm.ticket_id', 'm.text'])
    .distinctOn('tm.ticket_id')
    .where(
      'tm.ticket_id',
      'in',
      tickets.map((t) => t.id),
    )
    .where('m.direction', '=', 'out')
    .orderBy('tm.ticket_id')
    .orderBy('m.id', 'desc')
    .execute();
  for (const r of replies) {
    const entry = out.get(r.ticket_id);
    if (entry) entry.lastReply = r.text;
  }
  return out;
}

/** The ticket number a channel message led to: undefined if no such message, null while it has no ticket yet. */
export async function ticketNumberForMessage(db: Database, channel: string, externalId: string): Promise<string | null | undefined> {
  const m = await db
    .selectFrom('messages as m')
    .leftJoin('ticket_messages as tm', 'tm.message_id', 'm.id')
    .leftJoin('tickets as t', 't.id', 'tm.ticket_id')
    .select(['t.number'])
    .where('m.channel', '=', channel)
    .where('m.external_id', '=', externalId)
    .executeTakeFirst();
  return m ? m.number : undefined;
}

/** The outgoing messages of a ticket and how their delivery went. */
export function deliveriesOf(db: Database, ticketId: number) {
  return db
    .selectFrom('outbox')
    .select(['id', 'channel', 'status', 'attempts', 'last_error', 'created_at', 'sent_at'])
    .select(sql<string | null>`payload->>'template'`.as('template'))
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute();
}

/** The watched accounts the message that opened a ticket was addressed to. */
export async function addressedTo(db: Database, sourceMessageId: number): Promise<string[]> {
  const m = await db.selectFrom('messages').select('addressed_to').where('id', '=', sourceMessageId).executeTakeFirst();
  return m?.addressed_to ?? [];
}
