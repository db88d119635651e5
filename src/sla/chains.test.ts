import { describe, expect, it } from 'vitest';
import { EscalationFile } from '../config/schema.js';
import type { WorkingCalendar } from './calendar.js';
import { type ChainContext, cycleOf, dueSteps, type EscalationTicket, pickChain } from './chains.js';

const cal: WorkingCalendar = {
  utcOffsetMinutes: 300,
  dayStart: 9 * 60,
  dayEnd: 18 * 60,
  daysOff: new Set(['2026-03-23', '2026-03-24', '2026-03-25']),
  workingWeekends: new Set(),
  years: new Set([2026]),
};
const escalation = EscalationFile.parse({
  at_risk: { share: 0.25, floor_hours: 2 },
  chains: {
    default: {
      steps: [
        { id: 'fr', on: 'first_response_breach', notify: ['heads'] },
        { id: 'risk', on: 'at_risk', notify: ['executors'] },
        { id: 'breach', on: 'breach', notify: ['heads', 'supervisors'] },
        { id: 'deputy', on: 'breach', after: { working_days: 2 }, officials: ['deputy-akim'] },
        { id: 'silent', on: 'no_reaction', after: { working_hours: 4 }, return_to_queue: true },
      ],
    },
    emergency: { steps: [{ id: 'breach', on: 'breach', notify: ['supervisors'] }] },
    water: { steps: [{ id: 'breach', on: 'breach', notify: ['heads'] }] },
  },
  overrides: [
    { urgency: 'critical', chain: 'emergency' },
    { category: 'WATR', chain: 'water' },
  ],
  daily_summary: { at: '09:00', notify: ['heads'] },
});
const c: ChainContext = {
  calendar: cal,
  targets: [{ category: '*', first_response: { working_hours: 8 }, resolution: { working_days: 3 } }],
  escalation,
};
const local = (s: string) => new Date(`${s}+05:00`);

// Received and assigned Monday 16 March 09:00: first response due Monday 17:00, resolution Thursday 19 18:00.
const ticket: EscalationTicket = {
  status: 'assigned',
  category: 'HEAT',
  urgency: 'normal',
  organisation_id: 'astana-teplotranzit',
  created_at: local('2026-03-16T09:00:00'),
  first_response_due: local('2026-03-16T17:00:00'),
  resolution_due: local('2026-03-19T18:00:00'),
  assigned_at: local('2026-03-16T09:00:00'),
  accepted_at: null,
  paused_at: null,
  paused_minutes: 0,
  reopen_count: 0,
};
const due = (t: EscalationTicket, at: string) => dueSteps(c, t, local(at)).map((d) => d.key);

describe('which chain a ticket follows', () => {
  it('takes the most specific override: a category over an urgency, else the default chain', () => {
    expect(pickChain(escalation, 'HEAT', 'critical').name).toBe('emergency');
    expect(pickChain(escalation, 'WATR', 'critical').name).toBe('water');
    expect(pickChain(escalation, 'WATR', 'normal').name).toBe('water');
    expect(pickChain(escalation, null, 'high').name).toBe('default');
  });
});

describe('which steps are due', () => {
  it('fires nothing before its time', () => {
    expect(due(ticket, '2026-03-16T12:59:00')).toEqual([]);
  });

  it('runs the return timer four working hours after the assignment, unless the organisation accepted', () => {
    expect(due(ticket, '2026-03-16T13:00:00')).toEqual(['default/silent']);
    expect(due({ ...ticket, accepted_at: local('2026-03-16T10:00:00'), status: 'in_progress' }, '2026-03-16T13:00:00')).toEqual([]);
    // No recorded assignment, no timer.
    expect(due({ ...ticket, assigned_at: null }, '2026-03-16T13:00:00')).toEqual([]);
  });

  it('owes the first response until accepted', () => {
    expect(due(ticket, '2026-03-16T17:00:00')).toEqual(['default/fr', 'default/silent']);
    expect(due({ ...ticket, status: 'in_progress', accepted_at: local('2026-03-16T16:00:00') }, '2026-03-16T17:00:00')).toEqual([]);
  });

  it('is at risk in the last quarter, breached at the deadline, and the deputy akim two working days later', () => {
    const accepted = { ...ticket, status: 'in_progress', accepted_at: local('2026-03-16T10:00:00') };
    expect(due(accepted, '2026-03-19T08:59:00')).toEqual([]);
    expect(due(accepted, '2026-03-19T09:30:00')).toEqual(['default/risk']);
    expect(due(accepted, '2026-03-19T18:00:00')).toEqual(['default/breach']);
    // Two working days after Thursday 19: Friday 20 and, past the weekend and Nauryz (23–25), Thursday 26.
    expect(due(accepted, '2026-03-26T17:59:00')).toEqual(['default/breach']);
    expect(due(accepted, '2026-03-26T18:00:00')).toEqual(['default/breach', 'default/deputy']);
  });

  it('does not escalate a ticket waiting for the resident, or one that is resolved', () => {
    expect(due({ ...ticket, status: 'waiting', paused_at: local('2026-03-17T10:00:00') }, '2026-03-30T12:00:00')).toEqual([]);
    expect(due({ ...ticket, status: 'resolved' }, '2026-03-30T12:00:00')).toEqual([]);
  });

  it('records the forecast behind an at-risk step', () => {
    const accepted = { ...ticket, status: 'in_progress', accepted_at: local('2026-03-16T10:00:00') };
    const [risk] = dueSteps(c, accepted, local('2026-03-19T17:00:00'));
    expect(risk).toMatchObject({ kind: 'at_risk', forecast: { remaining: 60, rules: ['share', 'floor'] } });
  });
});

describe('the cycle a step fires in', () => {
  it('is new after a reassignment or a reopening, and the same after a pause moved the deadline', () => {
    const base = cycleOf(ticket);
    const paused: EscalationTicket = { ...ticket, resolution_due: local('2026-03-20T12:00:00'), paused_minutes: 180 };
    expect(cycleOf(paused)).toBe(base);
    expect(cycleOf({ ...ticket, organisation_id: 'ikomek' })).not.toBe(base);
    expect(cycleOf({ ...ticket, assigned_at: local('2026-03-17T09:00:00') })).not.toBe(base);
    expect(cycleOf({ ...ticket, reopen_count: 1 })).not.toBe(base);
  });

  it('owes the first response once per reopening, whoever has the ticket', () => {
    expect(cycleOf({ ...ticket, organisation_id: 'ikomek' }, 'first_response_breach')).toBe(cycleOf(ticket, 'first_response_breach'));
    expect(cycleOf({ ...ticket, reopen_count: 1 }, 'first_response_breach')).not.toBe(cycleOf(ticket, 'first_response_breach'));
  });
});
