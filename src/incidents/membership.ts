// Which tickets an incident holds, inside a change: grouping a ticket as it opens, creating an incident, adding
// tickets (a ticket of another incident moves), taking one out, and dissolving an incident left with fewer than
// two tickets (a group of one is just a ticket; the row stays, with dissolved_at, for its history). Every step
// writes its audit rows, for the incident and for each ticket, in the caller's commitChange.
import type { Context } from '../context.js';
import type { Change } from '../outbox/change.js';
import { localDate } from '../sla/calendar.js';
import { OPEN_STATUSES, type TicketStatus } from '../tickets/lifecycle.js';
import { notifyAssignment } from '../tickets/notify-staff.js';
import type { TicketRow } from '../tickets/repository.js';
import { moveChild } from './children.js';
import { decideGrouping, type Grouping, initialStatus, shapeOf } from './grouping.js';
import { catchUp, joinsWork } from './plan.js';
import { groupingCandidates, type IncidentRow, lockChildren, lockGrouping, lockIncident, lockTicketsById, nextIncidentNumber } from './repository.js';
import { tellJoined, tellsJoined } from './residents.js';

/**
 * The hook openTicket calls in its own change: a new ticket joins the incident of the same problem, or forms one
 * with the open tickets it repeats once they are `min_tickets`. Replays never get here twice (openTicket claims its
 * message first), and decisions of one category are taken one at a time, so no group gets two incidents.
 */
export async function groupOnOpen(change: Change, ctx: Context, ticketId: number): Promise<Grouping> {
  const { tx } = change;
  const cfg = ctx.city.city.incidents;
  const first = await tx.selectFrom('tickets').select('category').where('id', '=', ticketId).executeTakeFirstOrThrow();
  await lockGrouping(tx, first.category);
  // Read under the lock: a grouping that ran meanwhile (a replay) may already have placed the ticket.
  const t = await tx.selectFrom('tickets').selectAll().where('id', '=', ticketId).forUpdate().executeTakeFirstOrThrow();
  if (t.incident_id) return { kind: 'join', incident: t.incident_id, related: [], why: 'already in an incident' };
  const decision = decideGrouping(t, await groupingCandidates(tx, t, cfg), cfg);
  const now = ctx.now();
  if (decision.kind === 'join') {
    const incident = await lockIncident(tx, decision.incident);
    // Finished or dissolved while this ticket was deciding: a new outage is a new incident, next time round.
    if (!incident || incident.dissolved_at || !OPEN_STATUSES.has(incident.status as TicketStatus))
      return { kind: 'none', why: `incident ${decision.incident} is no longer open` };
    await addTickets(change, ctx, incident, [t], { cause: 'grouping', why: decision.why }, now);
  } else if (decision.kind === 'create') {
    // Locked now and checked again: an operator may have merged one of them meanwhile.
    const others = (await lockTicketsById(tx, decision.with)).filter((o) => o.incident_id === null);
    if (others.length + 1 < cfg.min_tickets) return { kind: 'none', why: 'the group changed meanwhile' };
    const members = [...others, t].sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id - b.id);
    await createIncident(change, ctx, members, { openedBy: 'grouping', why: decision.why }, now);
  }
  return decision;
}

export interface Opening {
  openedBy: 'grouping' | 'operator';
  why?: string;
  title?: string | undefined;
}

/** A new incident of these (locked, oldest first) tickets; tickets of other incidents move to it. */
export async function createIncident(change: Change, ctx: Context, tickets: TicketRow[], o: Opening, now: Date): Promise<IncidentRow> {
  const { tx } = change;
  const { city } = ctx;
  const year = Number(localDate(city.calendar, now).slice(0, 4));
  const number = await nextIncidentNumber(tx, city.city.ticket_prefix, year);
  const shape = shapeOf(tickets);
  const incident = await tx
    .insertInto('incidents')
    .values({
      id: number,
      status: initialStatus(tickets.map((t) => t.status)),
      ...shape,
      title: o.title?.trim() || null,
      opened_by: o.openedBy,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  change.audit({
    action: 'incident.opened',
    entityType: 'incident',
    entityId: number,
    data: {
      by: o.openedBy,
      why: o.why ?? null,
      status: incident.status,
      category: incident.category,
      organisation: incident.organisation_id,
      tickets: tickets.map((t) => t.number),
    },
  });
  await link(change, ctx, incident, tickets, o.openedBy, now);
  return incident;
}

/** Adds (locked) tickets to a live incident. A ticket joining an incident already in work catches up with it. */
export async function addTickets(
  change: Change,
  ctx: Context,
  incident: IncidentRow,
  tickets: TicketRow[],
  o: { cause: 'grouping' | 'operator'; why?: string },
  now: Date,
): Promise<void> {
  const added = tickets.filter((t) => t.incident_id !== incident.id);
  if (added.length === 0) return;
  change.audit({
    action: 'incident.tickets_added',
    entityType: 'incident',
    entityId: incident.id,
    data: { by: o.cause, why: o.why ?? null, tickets: added.map((t) => t.number) },
  });
  await link(change, ctx, incident, added, o.cause, now);
  await reshape(change, incident.id, now);
  const state = { status: incident.status, organisation_id: incident.organisation_id, worked: incident.version > 1 };
  for (const t of added) {
    if (!joinsWork(state, t)) continue;
    const steps = catchUp(state, t);
    let row = await change.tx.selectFrom('tickets').selectAll().where('id', '=', t.id).executeTakeFirstOrThrow();
    if (steps.length > 0) {
      // One message to the resident, not two: "joined the work on this problem" says the status too.
      const m = { steps, incident: incident.id, organisation: incident.organisation_id ?? undefined, cause: 'catch_up' as const };
      row = await moveChild(change, ctx, row, { ...m, quiet: tellsJoined(ctx) }, now);
      if (row.organisation_id !== t.organisation_id) await notifyAssignment(change, ctx, row);
    }
    tellJoined(change, ctx, row, incident.id);
  }
}

/** Points the tickets at the incident, and takes them from the incidents they leave (which may dissolve). */
async function link(change: Change, ctx: Context, incident: IncidentRow, tickets: TicketRow[], by: string, now: Date) {
  const { tx } = change;
  await tx
    .updateTable('tickets')
    .set({ incident_id: incident.id })
    .where(
      'id',
      'in',
      tickets.map((t) => t.id),
    )
    .execute();
  const left = new Set<string>();
  for (const t of tickets) {
    change.audit({
      action: 'ticket.incident_joined',
      entityType: 'ticket',
      entityId: t.number,
      data: { incident: incident.id, from: t.incident_id, by },
    });
    if (t.incident_id && t.incident_id !== incident.id) {
      left.add(t.incident_id);
      change.audit({
        action: 'incident.ticket_removed',
        entityType: 'incident',
        entityId: t.incident_id,
        data: { ticket: t.number, moved_to: incident.id },
      });
    }
  }
  for (const id of [...left].sort()) await afterLoss(change, ctx, id, now, incident.id);
}

/** Takes a ticket out of its incident (a split). */
export async function removeTicket(change: Change, ctx: Context, incident: IncidentRow, t: TicketRow, now: Date): Promise<void> {
  await change.tx.updateTable('tickets').set({ incident_id: null }).where('id', '=', t.id).execute();
  change.audit({ action: 'incident.ticket_removed', entityType: 'incident', entityId: incident.id, data: { ticket: t.number } });
  change.audit({ action: 'ticket.incident_left', entityType: 'ticket', entityId: t.number, data: { incident: incident.id, why: 'split' } });
  await afterLoss(change, ctx, incident.id, now, null);
}

/**
 * After an incident lost tickets: with two or more left it only re-centres on them; with fewer it dissolves, and a
 * ticket left alone goes on as a ticket of its own, in the status the incident's work left it. `mergedInto` names
 * the incident that took its tickets, when it was merged.
 */
async function afterLoss(change: Change, _ctx: Context, id: string, now: Date, mergedInto: string | null): Promise<void> {
  const incident = await lockIncident(change.tx, id);
  if (!incident || incident.dissolved_at) return;
  const rest = await lockChildren(change.tx, id);
  if (rest.length >= 2) {
    await reshape(change, id, now);
    return;
  }
  const merged = mergedInto !== null && rest.length === 0 ? mergedInto : null;
  await change.tx.updateTable('incidents').set({ dissolved_at: now, merged_into: merged, updated_at: now }).where('id', '=', id).execute();
  for (const t of rest) {
    await change.tx.updateTable('tickets').set({ incident_id: null }).where('id', '=', t.id).execute();
    change.audit({ action: 'ticket.incident_left', entityType: 'ticket', entityId: t.number, data: { incident: id, why: 'dissolved' } });
  }
  change.audit({
    action: 'incident.dissolved',
    entityType: 'incident',
    entityId: id,
    data: { merged_into: merged, left: rest.map((t) => t.number) },
  });
}

/** The place of an incident follows its tickets: centroid, common address and district. */
async function reshape(change: Change, id: string, now: Date): Promise<void> {
  const rows = await change.tx.selectFrom('tickets').selectAll().where('incident_id', '=', id).orderBy('created_at').orderBy('id').execute();
  if (rows.length === 0) return;
  const { address, lat, lon, district } = shapeOf(rows);
  await change.tx.updateTable('incidents').set({ address, lat, lon, district, updated_at: now }).where('id', '=', id).execute();
}
