// What the resident who holds a ticket's access key may see of it, read from the store: the whole conversation
// (their own words and the city's answers, with how many photos each carried) and their rating. What they may do
// next (confirm, reopen, rate, add details) is decided here too, from the status and the confirmation window.
import { sql } from 'kysely';
import type { City } from '../config/load.js';
import type { Database } from '../store/db.js';
import { windowEnd, windowOpen } from './confirm-window.js';
import { isTicketStatus, OPEN_STATUSES } from './lifecycle.js';
import type { TicketRow } from './repository.js';
import { RATEABLE } from './resident.js';

export interface ResidentMessage {
  direction: 'in' | 'out';
  text: string;
  /** When the resident wrote it, or when the city said it. */
  at: Date;
  attachments: number;
}

export interface ResidentData {
  conversation: ResidentMessage[];
  rating: { score: number; comment: string | null } | null;
}

export async function loadResidentData(db: Database, ticket: { id: number; resident_id: number | null }): Promise<ResidentData> {
  // The city's messages are placed by when the city said them (their outbox row), not by when the relay delivered
  // them: an acknowledgement delivered after a quick status change still comes first.
  const said = sql<Date>`coalesce(o.created_at, m.received_at)`;
  const messages = await db
    .selectFrom('ticket_messages as tm')
    .innerJoin('messages as m', 'm.id', 'tm.message_id')
    .leftJoin('outbox as o', (j) =>
      j.on(sql`o.id`, '=', sql`case when m.direction = 'out' and m.raw->>'outbox_id' ~ '^[0-9]+$' then (m.raw->>'outbox_id')::bigint end`),
    )
    .leftJoin('attachments as a', 'a.message_id', 'm.id')
    .select(['m.id', 'm.direction', 'm.text'])
    .select(said.as('at'))
    .select((eb) => eb.fn.count<string>('a.id').as('attachments'))
    .where('tm.ticket_id', '=', ticket.id)
    // Only the key holder's own words: should another resident's message ever join the ticket, it stays theirs.
    .where((eb) => eb.or([eb('m.direction', '=', 'out'), sql<boolean>`m.resident_id is not distinct from ${ticket.resident_id}`]))
    .groupBy(['m.id', 'm.direction', 'm.text', 'o.created_at', 'm.received_at'])
    .orderBy(said)
    .orderBy('m.id')
    .execute();
  const rating = await db.selectFrom('ratings').select(['score', 'comment']).where('ticket_id', '=', ticket.id).executeTakeFirst();
  return {
    conversation: messages.map((m) => ({ direction: m.direction, text: m.text, at: new Date(m.at), attachments: Number(m.attachments) })),
    rating: rating ?? null,
  };
}

export interface ResidentChoices {
  confirm: boolean;
  reopen: boolean;
  rate: boolean;
  add_details: boolean;
  /** While resolved: until when the resident may confirm or reopen. */
  window: { days: number; ends_at: Date; open: boolean } | null;
}

/** What the resident may do with the ticket at `now` (the same rules tickets/resident.ts enforces). */
export function residentChoices(city: City, t: Pick<TicketRow, 'status' | 'resolved_at'>, now: Date): ResidentChoices {
  const days = city.city.resident_loop.confirm_window_days;
  const resolved = t.status === 'resolved';
  const open = resolved && (!t.resolved_at || windowOpen(city.calendar, t.resolved_at, days, now));
  return {
    confirm: resolved,
    reopen: open,
    rate: RATEABLE.has(t.status),
    add_details: resolved || (isTicketStatus(t.status) && OPEN_STATUSES.has(t.status)),
    window: resolved && t.resolved_at ? { days, ends_at: windowEnd(city.calendar, t.resolved_at, days), open } : null,
  };
}
