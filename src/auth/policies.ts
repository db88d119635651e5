// Who may do what, declared in one table per resource and checked through `can`. Tested as a matrix.
import type { TicketAction } from '../tickets/lifecycle.js';

export const ROLES = ['admin', 'supervisor', 'operator', 'executor', 'head', 'official'] as const;
export type Role = (typeof ROLES)[number];

export interface StaffUser {
  id: number;
  email: string;
  name: string;
  locale: string;
  roles: Role[];
  /** Organisations whose tickets an executor or head works: their own and every organisation below it
   * (a department oversees its contractors). */
  organisations: string[];
  /** For an official: the watched accounts they are; they see the tickets residents opened by tagging them. */
  watchAccounts: string[];
}

export interface TicketRef {
  organisation_id: string | null;
  /** The watched accounts the message that opened the ticket was addressed to (needed for officials). */
  addressed_to?: string[];
}

export type TicketPermission = 'list' | 'read' | 'file_phone_call' | TicketAction;

type Rule = (user: StaffUser, ticket?: TicketRef) => boolean;
const always: Rule = () => true;
const ownOrganisation: Rule = (u, t) => !t || (t.organisation_id !== null && u.organisations.includes(t.organisation_id));
const addressedToThem: Rule = (u, t) => !t || (t.addressed_to ?? []).some((a) => u.watchAccounts.includes(a));

const TICKET_POLICY: Record<Role, Partial<Record<TicketPermission, Rule>>> = {
  admin: {
    list: always,
    read: always,
    file_phone_call: always,
    assign: always,
    start: always,
    resolve: always,
    close: always,
    reopen: always,
    reject: always,
    mark_duplicate: always,
  },
  supervisor: { list: always, read: always, assign: always, reopen: always, close: always },
  operator: {
    list: always,
    read: always,
    file_phone_call: always,
    assign: always,
    resolve: always,
    close: always,
    reopen: always,
    reject: always,
    mark_duplicate: always,
  },
  executor: { list: always, read: ownOrganisation, start: ownOrganisation, resolve: ownOrganisation },
  // The head of an organisation: everything its executors may do; escalations reach them.
  head: { list: always, read: ownOrganisation, start: ownOrganisation, resolve: ownOrganisation },
  official: { list: always, read: addressedToThem },
};

export function can(user: StaffUser, permission: TicketPermission, ticket?: TicketRef): boolean {
  return user.roles.some((role) => TICKET_POLICY[role][permission]?.(user, ticket) ?? false);
}

const ORGANISATION_SCOPED: ReadonlySet<Role> = new Set(['executor', 'head']);

/** Executors and heads see only their organisations' tickets, officials those addressed to them; everyone else with
 * `list` sees all. */
export function listScope(user: StaffUser): { organisations?: string[]; addressedTo?: string[] } | 'all' {
  const wide = user.roles.some((r) => !ORGANISATION_SCOPED.has(r) && r !== 'official' && TICKET_POLICY[r].list);
  if (wide) return 'all';
  return {
    ...(user.roles.some((r) => ORGANISATION_SCOPED.has(r)) ? { organisations: user.organisations } : {}),
    ...(user.roles.includes('official') ? { addressedTo: user.watchAccounts } : {}),
  };
}

/** The centre's own workings: the triage engine's learning (figures, retraining, history, model), the watchlist,
 * and the replies that could not be delivered. */
export type CentrePermission = 'triage_read' | 'triage_retrain' | 'triage_manage' | 'watchlist_read' | 'watchlist_edit' | 'deliveries';
const CENTRE_POLICY: Record<Role, CentrePermission[]> = {
  admin: ['triage_read', 'triage_retrain', 'triage_manage', 'watchlist_read', 'watchlist_edit', 'deliveries'],
  supervisor: ['triage_read', 'triage_retrain', 'watchlist_read', 'deliveries'],
  operator: ['triage_read', 'watchlist_read', 'deliveries'],
  executor: [],
  head: [],
  official: [],
};

export function canCentre(user: StaffUser, permission: CentrePermission): boolean {
  return user.roles.some((role) => CENTRE_POLICY[role].includes(permission));
}
