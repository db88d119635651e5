// An operator's hand on grouping: make an incident of chosen tickets and incidents, merge more into one (a ticket of
// another incident moves; a merged incident dissolves into the one that took its tickets), take a ticket out.
// Each is one commitChange, policy-checked and audited. Locks are taken incidents first, then tickets, each in id
// order, the same order everywhere, so two operators merging at once wait for each other instead of deadlocking.
import { canIncident, type IncidentPermission, type StaffUser } from '../auth/policies.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { type Change, commitChange } from '../outbox/change.js';
import { OPEN_STATUSES, type TicketStatus } from '../tickets/lifecycle.js';
import type { TicketRow } from '../tickets/repository.js';
import { addTickets, createIncident, removeTicket } from './membership.js';
import { type IncidentRow, lockChildren, lockIncident, lockTicketsByNumber } from './repository.js';

export interface Members {
  tickets?: string[] | undefined;
  incidents?: string[] | undefined;
}

const isOpen = (s: string) => OPEN_STATUSES.has(s as TicketStatus);
const actorOf = (user: StaffUser) => ({ type: 'user' as const, id: String(user.id) });

function authorize(user: StaffUser, permission: IncidentPermission, what: string) {
  if (!canIncident(user, permission)) throw AppError.forbidden(what);
}

/** A new incident of the given tickets and the tickets of the given incidents (at least two tickets in all). */
export async function createByOperator(ctx: Context, user: StaffUser, m: Members & { title?: string | undefined }): Promise<IncidentRow> {
  authorize(user, 'create', 'create an incident');
  if (m.incidents?.length) authorize(user, 'merge', 'merge incidents');
  return commitChange(ctx.db, actorOf(user), async (change) => {
    const { tickets } = await gather(change, null, m);
    if (tickets.length < 2) throw AppError.validation('an incident needs at least two tickets');
    const oldest = [...tickets].sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id - b.id);
    return createIncident(change, ctx, oldest, { openedBy: 'operator', title: m.title }, ctx.now());
  });
}

/** Adds tickets, and the tickets of other incidents, to an incident; the incidents merged in dissolve into it. */
export async function mergeInto(ctx: Context, user: StaffUser, number: string, m: Members): Promise<IncidentRow> {
  authorize(user, 'merge', `merge into incident ${number}`);
  return commitChange(ctx.db, actorOf(user), async (change) => {
    const { target, tickets } = await gather(change, number, m);
    if (!target) throw AppError.notFound('incident', number);
    if (tickets.length === 0) throw AppError.validation('name tickets or incidents to merge');
    await addTickets(change, ctx, target, tickets, { cause: 'operator' }, ctx.now());
    return (await lockIncident(change.tx, number)) as IncidentRow;
  });
}

/** Takes a ticket out of its incident; an incident left with one ticket dissolves (docs/incidents.md). */
export async function splitTicket(ctx: Context, user: StaffUser, number: string, ticket: string): Promise<IncidentRow> {
  authorize(user, 'split', `split incident ${number}`);
  return commitChange(ctx.db, actorOf(user), async (change) => {
    const incident = await lockIncident(change.tx, number);
    if (!incident) throw AppError.notFound('incident', number);
    const [t] = await lockTicketsByNumber(change.tx, [ticket]);
    if (!t || t.incident_id !== number) throw AppError.notFound(`ticket in incident ${number}`, ticket);
    await removeTicket(change, ctx, incident, t, ctx.now());
    return (await lockIncident(change.tx, number)) as IncidentRow;
  });
}

/**
 * Locks the target incident, the incidents named and the incidents the named tickets are in now, then the tickets:
 * the named ones and every ticket of the named incidents. Refuses what is not there, not live or not open.
 */
async function gather(change: Change, targetNumber: string | null, m: Members): Promise<{ target: IncidentRow | null; tickets: TicketRow[] }> {
  const { tx } = change;
  const ticketNumbers = [...new Set(m.tickets ?? [])];
  const incidentNumbers = [...new Set(m.incidents ?? [])].filter((n) => n !== targetNumber);
  if (targetNumber && m.incidents?.includes(targetNumber)) throw AppError.validation(`incident ${targetNumber} cannot be merged into itself`);
  // Where the tickets are now, read without a lock only to know which incidents to lock first; checked again below.
  const current = ticketNumbers.length
    ? await tx.selectFrom('tickets').select(['number', 'incident_id']).where('number', 'in', ticketNumbers).execute()
    : [];
  const missing = ticketNumbers.find((n) => !current.some((c) => c.number === n));
  if (missing) throw AppError.notFound('ticket', missing);
  const toLock = new Set<string>([...(targetNumber ? [targetNumber] : []), ...incidentNumbers]);
  for (const c of current) if (c.incident_id) toLock.add(c.incident_id);
  const locked = new Map<string, IncidentRow>();
  for (const id of [...toLock].sort()) {
    const row = await lockIncident(tx, id);
    if (row) locked.set(id, row);
  }
  const target = targetNumber ? (locked.get(targetNumber) ?? null) : null;
  if (targetNumber && !target) throw AppError.notFound('incident', targetNumber);
  if (target) live(target);
  const tickets: TicketRow[] = [];
  for (const n of incidentNumbers) {
    const source = locked.get(n);
    if (!source) throw AppError.notFound('incident', n);
    live(source);
    tickets.push(...(await lockChildren(tx, n)));
  }
  for (const t of await lockTicketsByNumber(tx, ticketNumbers)) {
    if (t.incident_id && !locked.has(t.incident_id)) throw AppError.conflict(`ticket ${t.number} was moved meanwhile; try again`);
    if (!isOpen(t.status)) throw AppError.invalidTransition(`ticket ${t.number} is ${t.status}: only open tickets join an incident`);
    if (!tickets.some((x) => x.id === t.id)) tickets.push(t);
  }
  return { target, tickets };
}

function live(i: IncidentRow) {
  if (i.dissolved_at) throw AppError.invalidTransition(`incident ${i.id} was dissolved${i.merged_into ? ` into ${i.merged_into}` : ''}`);
  if (!isOpen(i.status)) throw AppError.invalidTransition(`incident ${i.id} is ${i.status}: reopen it first`);
}
