// The ticket lifecycle as a pure state machine: which action moves which status where, and who may ask for it.
// Persistence, audit and notifications happen in tickets/commands.ts; this file only decides.

export const STATUSES = ['new', 'assigned', 'in_progress', 'resolved', 'closed', 'rejected', 'duplicate', 'reopened'] as const;
export type TicketStatus = (typeof STATUSES)[number];

export const ACTIONS = ['assign', 'start', 'resolve', 'close', 'reopen', 'reject', 'mark_duplicate'] as const;
export type TicketAction = (typeof ACTIONS)[number];

const TRANSITIONS: Record<TicketAction, { from: readonly TicketStatus[]; to: TicketStatus }> = {
  assign: { from: ['new', 'assigned', 'in_progress', 'reopened'], to: 'assigned' },
  start: { from: ['assigned', 'reopened'], to: 'in_progress' },
  resolve: { from: ['assigned', 'in_progress', 'reopened'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  reopen: { from: ['resolved', 'closed', 'rejected'], to: 'reopened' },
  reject: { from: ['new', 'assigned', 'in_progress', 'reopened'], to: 'rejected' },
  mark_duplicate: { from: ['new', 'assigned', 'in_progress', 'reopened'], to: 'duplicate' },
};

/** Actions that need a written reason, kept in the audit row and shown to the resident. */
export const NEEDS_REASON: ReadonlySet<TicketAction> = new Set(['reject', 'reopen', 'mark_duplicate', 'resolve']);

export const OPEN_STATUSES: ReadonlySet<TicketStatus> = new Set(['new', 'assigned', 'in_progress', 'reopened']);

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
