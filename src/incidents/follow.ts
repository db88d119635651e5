// An incident follows its tickets to the end: once every one of them is finished (closed by its resident or by the
// confirmation window, rejected, or a duplicate), the incident closes by itself, audited as the system's doing.
// It runs in a change of its own right after the ticket's change has committed, taking the incident's lock first
// and then its tickets' (the order every incident change uses, so it never deadlocks with an operator's merge or
// action), and it re-reads everything under those locks: two residents confirming the last two tickets at once
// both look, and the later look sees both closed. A process that stops between the two changes leaves an incident
// whose tickets are all finished; the sweep below finds it at the next tick, so nothing is missed.
import type { Context } from '../context.js';
import { type Change, commitChange } from '../outbox/change.js';
import type { Sweep } from '../sla/ticker.js';
import { finishedIncidents, lockChildren, lockIncident } from './repository.js';

/** Ticket statuses that need nothing more from anyone. */
export const FINISHED: ReadonlySet<string> = new Set(['closed', 'rejected', 'duplicate']);

const ACTOR = { type: 'system', id: 'incidents' } as const;
/** At most this many incidents per tick; a backlog is worked off over a few ticks. */
const BATCH = 100;

/** Closes the incident if every ticket of it is finished; true when it did. Safe to call any number of times. */
export async function followIncident(ctx: Context, number: string | null, now: Date = ctx.now()): Promise<boolean> {
  if (!number) return false;
  return commitChange(ctx.db, ACTOR, (change) => closeIfFinished(change, number, now));
}

/**
 * The same, after a ticket's change: a failure here must not undo or fail what the resident or the operator did
 * (it is committed already), so it is logged and left to the sweep.
 */
export async function followAfter(ctx: Context, number: string | null, now: Date = ctx.now()): Promise<void> {
  if (!number) return;
  await followIncident(ctx, number, now).catch((err) => ctx.log.error({ err, incident: number }, 'incident not followed now; the sweep will'));
}

async function closeIfFinished(change: Change, number: string, now: Date): Promise<boolean> {
  const { tx } = change;
  const incident = await lockIncident(tx, number);
  if (!incident || incident.dissolved_at || incident.status === 'closed') return false;
  const children = await lockChildren(tx, number);
  if (children.length === 0 || !children.every((t) => FINISHED.has(t.status))) return false;
  await tx
    .updateTable('incidents')
    .set((eb) => ({ status: 'closed', closed_at: now, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', number)
    .execute();
  change.audit({
    action: 'incident.close',
    entityType: 'incident',
    entityId: number,
    data: {
      from: incident.status,
      to: 'closed',
      by: 'system',
      auto: true,
      reason: 'every ticket of the incident is finished',
      tickets: children.map((t) => ({ ticket: t.number, status: t.status })),
    },
  });
  return true;
}

/** Incidents left open with every ticket finished (the follow-up after a ticket's change did not run), each closed. */
export const incidentFollowSweep: Sweep = {
  name: 'incidents.follow',
  async run(ctx, now) {
    let closed = 0;
    for (const id of await finishedIncidents(ctx.db, [...FINISHED], BATCH)) if (await followIncident(ctx, id, now)) closed++;
    return closed;
  },
};
