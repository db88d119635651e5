// Who may do what, declared in one table per resource and checked through `can`. Tested as a matrix.
import type { TicketAction } from '../tickets/lifecycle.js';

export const ROLES = ['admin', 'supervisor', 'operator', 'executor'] as const;
export type Role = (typeof ROLES)[number];

export interface StaffUser {
  id: number;
  email: string;
  name: string;
  locale: string;
  roles: Role[];
  /** Organisations whose tickets an executor works (their own and, later, its children). */
  organisations: string[];
}

export interface TicketRef {
  organisation_id: string | null;
}

export type TicketPermission = 'list' | 'read' | 'file_phone_call' | TicketAction;

type Rule = (user: StaffUser, ticket?: TicketRef) => boolean;
const always: Rule = () => true;
const ownOrganisation: Rule = (u, t) => !t || (t.organisation_id !== null && u.organisations.includes(t.organisation_id));

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
};

export function can(user: StaffUser, permission: TicketPermission, ticket?: TicketRef): boolean {
  return user.roles.some((role) => TICKET_POLICY[role][permission]?.(user, ticket) ?? false);
}

/** Executors see only their organisations' tickets; everyone else with `list` sees all. */
export function listScope(user: StaffUser): { organisations: string[] } | 'all' {
  const wide = user.roles.some((r) => r !== 'executor' && TICKET_POLICY[r].list);
  return wide ? 'all' : { organisations: user.organisations };
}

/** The triage engine's learning: reading its figures, asking for a retrain, importing history, choosing the model. */
export type TriagePermission = 'triage_read' | 'triage_retrain' | 'triage_manage';
const TRIAGE_POLICY: Record<Role, TriagePermission[]> = {
  admin: ['triage_read', 'triage_retrain', 'triage_manage'],
  supervisor: ['triage_read', 'triage_retrain'],
  operator: ['triage_read'],
  executor: [],
};

export function canTriage(user: StaffUser, permission: TriagePermission): boolean {
  return user.roles.some((role) => TRIAGE_POLICY[role].includes(permission));
}
