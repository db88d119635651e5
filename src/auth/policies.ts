// Who may do what, declared in one table per resource and checked through `can`. Tested as a matrix.
import { ACTIONS, type TicketAction } from '../tickets/lifecycle.js';

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

/** Beyond lifecycle actions: the internal notes of a ticket (comments, photos, proof) are staff-only. */
export type NotePermission = 'read_notes' | 'comment' | 'attach';
export type TicketPermission = 'list' | 'read' | 'file_phone_call' | NotePermission | TicketAction;

type Rule = (user: StaffUser, ticket?: TicketRef) => boolean;
const always: Rule = () => true;
const ownOrganisation: Rule = (u, t) => !t || (t.organisation_id !== null && u.organisations.includes(t.organisation_id));
const addressedToThem: Rule = (u, t) => !t || (t.addressed_to ?? []).some((a) => u.watchAccounts.includes(a));
const grant = (perms: readonly TicketPermission[], rule: Rule) => Object.fromEntries(perms.map((p) => [p, rule]));

/** What the organisation holding a ticket does with it: the executor's work. */
const EXECUTOR_WORK = ['read', 'read_notes', 'accept', 'ask', 'resume', 'hand_back', 'comment', 'attach', 'resolve'] as const;

const TICKET_POLICY: Record<Role, Partial<Record<TicketPermission, Rule>>> = {
  admin: grant(['list', 'read', 'read_notes', 'file_phone_call', 'comment', 'attach', ...ACTIONS], always),
  // Supervisors oversee: they reassign, close and reopen, comment, and may stop a wait that has gone on too long.
  supervisor: grant(['list', 'read', 'read_notes', 'assign', 'reopen', 'close', 'comment', 'resume'], always),
  // The centre's operators can do an organisation's work on its behalf (e.g. on the phone with the resident).
  operator: grant(['list', 'read', 'read_notes', 'file_phone_call', 'comment', 'attach', ...ACTIONS], always),
  executor: { list: always, ...grant(EXECUTOR_WORK, ownOrganisation) },
  // The head of an organisation: everything its executors may do; escalations reach them.
  head: { list: always, ...grant(EXECUTOR_WORK, ownOrganisation) },
  // Officials read what residents addressed to them; the internal notes are the services' working papers.
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
 * the replies that could not be delivered, and the situation centre (city-wide figures, map, at-risk list; the akim
 * reads it too), analytics (what residents write: volumes, topics, spikes, opinion, polls, reports; polls are made, opened and closed by the centre's analysts, `polls_manage`; opinion questions and stance corrections, `opinion_manage`), and administration (staff accounts, the city's configuration: admins only). */
export type CentrePermission =
  | 'triage_read'
  | 'triage_retrain'
  | 'triage_manage'
  | 'watchlist_read'
  | 'watchlist_edit'
  | 'deliveries'
  | 'situation'
  | 'analytics'
  | 'polls_manage'
  | 'opinion_manage'
  | 'admin_users'
  | 'admin_config';
const CENTRE_POLICY: Record<Role, CentrePermission[]> = {
  admin: [
    'triage_read',
    'triage_retrain',
    'triage_manage',
    'watchlist_read',
    'watchlist_edit',
    'deliveries',
    'situation',
    'analytics',
    'polls_manage',
    'opinion_manage',
    'admin_users',
    'admin_config',
  ],
  supervisor: ['triage_read', 'triage_retrain', 'watchlist_read', 'deliveries', 'situation', 'analytics', 'polls_manage', 'opinion_manage'],
  operator: ['triage_read', 'watchlist_read', 'deliveries', 'situation', 'analytics', 'polls_manage', 'opinion_manage'],
  executor: [],
  head: [],
  official: ['situation', 'analytics'],
};

export function canCentre(user: StaffUser, permission: CentrePermission): boolean {
  return user.roles.some((role) => CENTRE_POLICY[role].includes(permission));
}

/** Incidents (many tickets about one problem): grouping by hand (create, merge, split) is the centre's; work on an
 * incident (`act`) is also checked ticket by ticket against TICKET_POLICY, so it never lets anyone do to a ticket
 * what they could not do to it alone. Executors and heads see and work their organisations' incidents. */
export type IncidentPermission = 'list' | 'read' | 'create' | 'merge' | 'split' | 'act';
export interface IncidentRef {
  organisation_id: string | null;
}
const CENTRE_GROUPING: Partial<Record<IncidentPermission, Rule>> = {
  list: always,
  read: always,
  create: always,
  merge: always,
  split: always,
  act: always,
};
const INCIDENT_POLICY: Record<Role, Partial<Record<IncidentPermission, Rule>>> = {
  admin: CENTRE_GROUPING,
  supervisor: CENTRE_GROUPING,
  operator: CENTRE_GROUPING,
  executor: { list: always, read: ownOrganisation, act: ownOrganisation },
  head: { list: always, read: ownOrganisation, act: ownOrganisation },
  official: {},
};

export function canIncident(user: StaffUser, permission: IncidentPermission, incident?: IncidentRef): boolean {
  return user.roles.some((role) => INCIDENT_POLICY[role][permission]?.(user, incident) ?? false);
}

/** Executors and heads list their organisations' incidents only; the centre's roles list all. */
export function incidentListScope(user: StaffUser): { organisations: string[] } | 'all' {
  const wide = user.roles.some((r) => !ORGANISATION_SCOPED.has(r) && INCIDENT_POLICY[r].list);
  return wide ? 'all' : { organisations: user.organisations };
}
