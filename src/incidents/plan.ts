// How work on an incident carries to its tickets, decided on the ticket lifecycle's own `transition` (never a copy
// of its table): which actions an incident takes, which steps move each ticket, and how a ticket that joins an
// incident already in work catches up with it. Pure; actions.ts and membership.ts carry the steps out.
import { ACTION_ALIASES, ACTIONS, OPEN_STATUSES, PAUSED_STATUSES, type TicketAction, type TicketStatus, transition } from '../tickets/lifecycle.js';

// The work an incident is given as a whole. Asking a resident, handing back, rejecting or merging a ticket as a
// duplicate concern one report and stay on the ticket.
const WHOLE: ReadonlySet<string> = new Set(['assign', 'accept', 'start', 'resolve', 'close', 'reopen']);
export const INCIDENT_ACTIONS: readonly TicketAction[] = ACTIONS.filter((a) => WHOLE.has(a));
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

/** The action that starts work ("accept" in the lifecycle; "start" was its former name). */
export const START: TicketAction = INCIDENT_ACTIONS.find((a) => a === 'accept' || (a as string) === 'start') as TicketAction;

/** An action by name, former names included; undefined for one an incident does not take. */
export function incidentAction(name: string): TicketAction | undefined {
  const a = (ACTION_ALIASES as Record<string, TicketAction>)[name] ?? name;
  return INCIDENT_ACTIONS.find((x) => x === a);
}

export function allowedIncidentActions(status: string): TicketAction[] {
  return INCIDENT_ACTIONS.filter((a) => transition(status as TicketStatus, a).ok);
}

// Tickets taken off the incident's work one by one: a rejected or duplicate report is not brought back by it.
const LEFT: ReadonlySet<string> = new Set(['rejected', 'duplicate']);

/**
 * The steps that move one ticket of an incident by the incident's action: the action itself when the lifecycle
 * allows it; for a ticket waiting for its resident, first `resume` (the clock runs again) and then the action, so
 * a fix reaches every reporter; nothing (null) when the ticket cannot follow (it is already there, or left).
 */
export function stepsFor(status: string, action: TicketAction): TicketAction[] | null {
  if (LEFT.has(status)) return null;
  const from = status as TicketStatus;
  if (transition(from, action).ok) return [action];
  const resume = ACTIONS.find((a) => a === 'resume');
  if (resume && PAUSED_STATUSES.has(from)) {
    const resumed = transition(from, resume);
    if (resumed.ok && transition(resumed.to, action).ok) return [resume, action];
  }
  return null;
}

/** The status after a sequence of steps, or null if one of them is not allowed. */
export function after(status: string, steps: readonly TicketAction[]): TicketStatus | null {
  let s = status as TicketStatus;
  for (const a of steps) {
    const r = transition(s, a);
    if (!r.ok) return null;
    s = r.to;
  }
  return s;
}

/**
 * A ticket joining this incident joins work already going on (the incident was assigned or accepted as a whole and
 * has an organisation), and the ticket can take part in it (open, not waiting for its resident): it catches up, and
 * its resident is told it joined (`incident.joined`).
 */
export function joinsWork(incident: IncidentState, child: { status: string }): boolean {
  if (!incident.worked || !incident.organisation_id) return false;
  if (incident.status !== 'assigned' && incident.status !== 'in_progress') return false;
  return OPEN_STATUSES.has(child.status as TicketStatus) && !PAUSED_STATUSES.has(child.status as TicketStatus);
}

export interface IncidentState {
  status: string;
  organisation_id: string | null;
  /** Incident actions taken so far (its version less one): an incident only grouped is not yet in work. */
  worked: boolean;
}

/**
 * A ticket joining an incident the centre has already worked (assigned or started as a whole) catches up with it:
 * it goes to the incident's organisation and, if work has started, is accepted too. A ticket of an incident not
 * yet worked keeps its own routing; the incident's first action moves every ticket anyway.
 */
export function catchUp(incident: IncidentState, child: { status: string; organisation_id: string | null }): TicketAction[] {
  if (!joinsWork(incident, child)) return [];
  const steps: TicketAction[] = [];
  let status = child.status as TicketStatus;
  if (child.organisation_id !== incident.organisation_id || status === 'new') {
    const r = transition(status, 'assign');
    if (!r.ok) return [];
    steps.push('assign');
    status = r.to;
  }
  if (incident.status === 'in_progress' && status !== 'in_progress' && transition(status, START).ok) steps.push(START);
  return steps;
}
