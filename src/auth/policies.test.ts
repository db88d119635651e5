import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../tickets/lifecycle.js';
import { can, listScope, type Role, type StaffUser, type TicketPermission } from './policies.js';

const user = (role: Role, organisations: string[] = []): StaffUser => ({
  id: 1,
  email: 'x@y.z',
  name: 'x',
  locale: 'ru',
  roles: [role],
  organisations,
});
const own = { organisation_id: 'water' };
const other = { organisation_id: 'heat' };
const ALL: TicketPermission[] = ['list', 'read', 'file_phone_call', ...ACTIONS];

// The whole matrix, written out: a change to the policy must change this table.
const EXPECTED: Record<Role, TicketPermission[]> = {
  admin: ALL,
  supervisor: ['list', 'read', 'assign', 'reopen', 'close'],
  operator: ['list', 'read', 'file_phone_call', 'assign', 'resolve', 'close', 'reopen', 'reject', 'mark_duplicate'],
  executor: ['list', 'read', 'start', 'resolve'],
};

describe('ticket policy matrix', () => {
  for (const role of Object.keys(EXPECTED) as Role[]) {
    it(`${role} may do exactly ${EXPECTED[role].join(', ')}`, () => {
      const u = user(role, ['water']);
      for (const p of ALL) expect(can(u, p, own), `${role} ${p}`).toBe(EXPECTED[role].includes(p));
    });
  }

  it("refuses an executor everything on another organisation's ticket", () => {
    const u = user('executor', ['water']);
    for (const p of ['read', 'start', 'resolve'] as const) expect(can(u, p, other)).toBe(false);
    expect(can(u, 'read', { organisation_id: null })).toBe(false);
  });

  it('scopes an executor list to their organisations and everyone else to all', () => {
    expect(listScope(user('executor', ['water']))).toEqual({ organisations: ['water'] });
    expect(listScope(user('operator'))).toBe('all');
    expect(listScope(user('supervisor'))).toBe('all');
  });
});
