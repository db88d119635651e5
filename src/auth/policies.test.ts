import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../tickets/lifecycle.js';
import { type CentrePermission, can, canCentre, listScope, type Role, type StaffUser, type TicketPermission } from './policies.js';

const user = (role: Role, organisations: string[] = [], watchAccounts: string[] = []): StaffUser => ({
  id: 1,
  email: 'x@y.z',
  name: 'x',
  locale: 'ru',
  roles: [role],
  organisations,
  watchAccounts,
});
const own = { organisation_id: 'water', addressed_to: ['akim'] };
const other = { organisation_id: 'heat' };
const ALL: TicketPermission[] = ['list', 'read', 'read_notes', 'file_phone_call', 'comment', 'attach', ...ACTIONS];
const WORK: TicketPermission[] = ['read', 'read_notes', 'accept', 'ask', 'resume', 'hand_back', 'comment', 'attach', 'resolve'];

// The whole matrix, written out: a change to the policy must change this table.
const EXPECTED: Record<Role, TicketPermission[]> = {
  admin: ALL,
  supervisor: ['list', 'read', 'read_notes', 'assign', 'reopen', 'close', 'comment', 'resume'],
  operator: ALL,
  executor: ['list', ...WORK],
  head: ['list', ...WORK],
  official: ['list', 'read'],
};

describe('ticket policy matrix', () => {
  for (const role of Object.keys(EXPECTED) as Role[]) {
    it(`${role} may do exactly ${EXPECTED[role].join(', ')}`, () => {
      const u = user(role, ['water'], ['akim']);
      for (const p of ALL) expect(can(u, p, own), `${role} ${p}`).toBe(EXPECTED[role].includes(p));
    });
  }

  it("refuses an executor and a head everything on another organisation's ticket", () => {
    for (const role of ['executor', 'head'] as const) {
      const u = user(role, ['water']);
      for (const p of WORK) expect(can(u, p, other), `${role} ${p}`).toBe(false);
      expect(can(u, 'read', { organisation_id: null })).toBe(false);
    }
  });

  it('never shows the internal notes to an official, even on a ticket addressed to them', () => {
    const u = user('official', [], ['akim']);
    expect(can(u, 'read', own)).toBe(true);
    expect(can(u, 'read_notes', own)).toBe(false);
  });

  it('lets an official read only the tickets residents opened by tagging them', () => {
    const u = user('official', [], ['akim']);
    expect(can(u, 'read', { organisation_id: 'water', addressed_to: ['deputy'] })).toBe(false);
    expect(can(u, 'read', { organisation_id: 'water' })).toBe(false);
    expect(can(u, 'read', { organisation_id: null, addressed_to: ['deputy', 'akim'] })).toBe(true);
  });

  it('scopes an executor list to their organisations, an official to what was addressed to them, everyone else to all', () => {
    expect(listScope(user('executor', ['water']))).toEqual({ organisations: ['water'] });
    expect(listScope(user('official', [], ['akim']))).toEqual({ addressedTo: ['akim'] });
    expect(listScope(user('operator'))).toBe('all');
    expect(listScope(user('supervisor'))).toBe('all');
  });
});

const CENTRE: CentrePermission[] = [
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
];
const CENTRE_EXPECTED: Record<Role, CentrePermission[]> = {
  admin: CENTRE,
  // The centre's analysts make polls and opinion questions; the akim reads their results but makes neither.
  supervisor: ['triage_read', 'triage_retrain', 'watchlist_read', 'deliveries', 'situation', 'analytics', 'polls_manage', 'opinion_manage'],
  operator: ['triage_read', 'watchlist_read', 'deliveries', 'situation', 'analytics', 'polls_manage', 'opinion_manage'],
  executor: [],
  head: [],
  // The akim follows the city in the situation centre and its analytics, and nothing of the centre's machinery.
  official: ['situation', 'analytics'],
};

describe('centre policy matrix', () => {
  for (const role of Object.keys(CENTRE_EXPECTED) as Role[]) {
    it(`${role} may use exactly ${CENTRE_EXPECTED[role].join(', ') || 'nothing of the centre'}`, () => {
      const u = user(role, ['water'], ['akim']);
      for (const p of CENTRE) expect(canCentre(u, p), `${role} ${p}`).toBe(CENTRE_EXPECTED[role].includes(p));
    });
  }
});

describe('centre policy: administration', () => {
  const ADMIN: CentrePermission[] = ['admin_users', 'admin_config'];
  for (const role of Object.keys(EXPECTED) as Role[]) {
    const allowed = role === 'admin';
    it(`${role} ${allowed ? 'may' : 'may not'} administer staff accounts and the city's configuration`, () => {
      for (const p of ADMIN) expect(canCentre(user(role, ['water'], ['akim']), p), `${role} ${p}`).toBe(allowed);
    });
  }
});
