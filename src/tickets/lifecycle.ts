// The ticket lifecycle as a pure state machine: which action moves which status where, and who may ask for it.
// Persistence, audit and notifications happen in tickets/commands.ts; this file only decides.

export const STATUSES = ['new', 'assigned', 'in_progress', 'waiting', 'resolved', 'closed', 'rejected', 'duplicate', 'reopened'] as const;
export type TicketStatus = (typeof STATUSES)[number];

export const ACTIONS = ['assign', 'accept', 'ask', 'resume', 'hand_back', 'resolve', 'close', 'reopen', 'reject', 'mark_duplicate'] as const;
export type TicketAction = (typeof ACTIONS)[number];

/** Former names of actions, still accepted at the API's edge: `start` became `accept`. */
export const ACTION_ALIASES: Readonly<Record<string, TicketAction>> = { start: 'accept' };

/** Statuses in which the organisation holds the ticket and works it. */
const WORKED = ['assigned', 'in_progress', 'reopened'] as const;

const TRANSITIONS: Record<TicketAction, { from: readonly TicketStatus[]; to: TicketStatus }> = {
  assign: { from: ['new', 'assigned', 'in_progress', 'reopened'], to: 'assigned' },
  // The organisation takes the ticket on: its first response.
  accept: { from: ['assigned', 'reopened'], to: 'in_progress' },
  // A question to the resident: the ticket waits for the answer and its clock stops.
  ask: { from: WORKED, to: 'waiting' },
  // The resident answered (or staff decide not to wait any longer): the clock runs again.
  resume: { from: ['waiting'], to: 'in_progress' },
  // "Not ours": back to the centre's queue, never into a void; an operator assigns it again.
  hand_back: { from: WORKED, to: 'new' },
  resolve: { from: WORKED, to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  reopen: { from: ['resolved', 'closed', 'rejected'], to: 'reopened' },
  // A ticket whose resident never answers can still be rejected or merged by an operator.
  reject: { from: ['new', 'assigned', 'in_progress', 'waiting', 'reopened'], to: 'rejected' },
  mark_duplicate: { from: ['new', 'assigned', 'in_progress', 'waiting', 'reopened'], to: 'duplicate' },
};

/** Actions that need a written reason, kept in the audit row (shown to the resident where a template uses it). */
export const NEEDS_REASON: ReadonlySet<TicketAction> = new Set(['reject', 'reopen', 'mark_duplicate', 'resolve', 'hand_back']);

/** Actions that need the question put to the resident. */
export const NEEDS_QUESTION: ReadonlySet<TicketAction> = new Set(['ask']);

export const OPEN_STATUSES: ReadonlySet<TicketStatus> = new Set(['new', 'assigned', 'in_progress', 'waiting', 'reopened']);

/** Statuses in which the deadline clock stands still. */
export const PAUSED_STATUSES: ReadonlySet<TicketStatus> = new Set(['waiting']);

export type TransitionResult = { ok: true; to: TicketStatus } | { ok: false; reason: string };

export function transition(from: TicketStatus, action: TicketAction): TransitionResult {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(from)) {
    return { ok: false, reason: `cannot ${action} a ticket that is ${from}` };
  }
  return { ok: true, to: rule.to };
}

export function allowedActions(from: TicketStatus): TicketAction[] {
  return ACTIONS.filter((a) => TRANSITIONS[a].from.includes(from));
}

export function isTicketStatus(s: string): s is TicketStatus {
  return (STATUSES as readonly string[]).includes(s);
}

/** What a move does to the clock: stop it (entering a paused status), restart it (leaving one), or nothing. */
export function clockEffect(from: TicketStatus, to: TicketStatus): 'pause' | 'resume' | 'none' {
  const was = PAUSED_STATUSES.has(from);
  const is = PAUSED_STATUSES.has(to);
  if (!was && is) return 'pause';
  if (was && !is) return 'resume';
  return 'none';
}
