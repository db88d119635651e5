import { describe, expect, it } from 'vitest';
import type { EscalationConfig } from '../config/schema.js';
import type { WorkingCalendar } from './calendar.js';
import type { SlaTarget } from './deadlines.js';
import { atRiskHorizon, clockMinutes, forecast, longestTarget } from './forecast.js';

// UTC+5, 09:00–18:00, Nauryz 2026 (23–25 March) off.
const cal: WorkingCalendar = {
  utcOffsetMinutes: 300,
  dayStart: 9 * 60,
  dayEnd: 18 * 60,
  daysOff: new Set(['2026-03-23', '2026-03-24', '2026-03-25']),
  workingWeekends: new Set(),
  years: new Set([2026]),
};
const targets: SlaTarget[] = [
  { category: '*', first_response: { working_hours: 8 }, resolution: { working_days: 3 } },
  { category: '*', urgency: 'critical', first_response: { hours: 1 }, resolution: { hours: 24 } },
];
const rules: EscalationConfig['at_risk'] = { share: 0.25, floor_hours: 2, history: { min_closed: 20, window_days: 90 } };
const local = (s: string) => new Date(`${s}+05:00`);

// Received Monday 16 March 09:00; three working days: due Thursday 19 March 18:00 (36 working hours in all).
const normal = {
  category: 'WATR',
  urgency: 'normal',
  created_at: local('2026-03-16T09:00:00'),
  resolution_due: local('2026-03-19T18:00:00'),
  paused_at: null,
  paused_minutes: 0,
};

describe('at-risk forecast', () => {
  it('is on track while more than a quarter of the working time is left', () => {
    const f = forecast(cal, targets, rules, normal, local('2026-03-19T08:59:00'));
    expect(f).toMatchObject({ clock: 'working', total: 2160, remaining: 540, atRisk: false, rules: [] });
  });

  it('is at risk by the share rule once less than a quarter is left, and by the floor too near the end', () => {
    expect(forecast(cal, targets, rules, normal, local('2026-03-19T09:30:00'))).toMatchObject({ remaining: 510, atRisk: true, rules: ['share'] });
    expect(forecast(cal, targets, rules, normal, local('2026-03-19T16:30:00'))?.rules).toEqual(['share', 'floor']);
  });

  it('is overdue, not at risk, once the deadline has passed', () => {
    const f = forecast(cal, targets, rules, normal, local('2026-03-20T10:00:00'));
    expect(f).toMatchObject({ atRisk: false, remaining: -60 });
  });

  it('counts round the clock for hour targets (emergencies): nights and weekends count', () => {
    const critical = { ...normal, urgency: 'critical', created_at: local('2026-03-20T20:00:00'), resolution_due: local('2026-03-21T20:00:00') };
    expect(forecast(cal, targets, rules, critical, local('2026-03-21T13:59:00'))).toMatchObject({ clock: 'calendar', total: 1440, atRisk: false });
    expect(forecast(cal, targets, rules, critical, local('2026-03-21T14:01:00'))).toMatchObject({ remaining: 359, atRisk: true, rules: ['share'] });
  });

  it('uses the organisation’s median time to resolve only with enough closed tickets', () => {
    const at = local('2026-03-18T12:00:00'); // 15 working hours (and 30 calendar hours) left of 36: on track by share
    const slow = { medianMinutes: 2 * 24 * 60, closed: 30 };
    expect(forecast(cal, targets, rules, normal, at, slow)).toMatchObject({ atRisk: true, rules: ['history'], history: slow });
    expect(forecast(cal, targets, rules, normal, at, { ...slow, closed: 5 })).toMatchObject({ atRisk: false, history: null });
    expect(forecast(cal, targets, rules, normal, at, { medianMinutes: 600, closed: 30 })?.atRisk).toBe(false);
  });

  it('measures a paused ticket at the moment it was paused, and leaves the paused time out of its total', () => {
    const paused = { ...normal, paused_at: local('2026-03-17T12:00:00'), paused_minutes: 120, resolution_due: local('2026-03-20T11:00:00') };
    const f = forecast(cal, targets, rules, paused, local('2026-04-10T12:00:00'));
    expect(f).toMatchObject({ remaining: workingFrom('2026-03-17T12:00:00', '2026-03-20T11:00:00'), total: 2160, atRisk: false });
  });

  it('counts only working time across a weekend and the Nauryz holidays', () => {
    // Friday evening; due the Thursday after the three days of Nauryz: one working day left of six.
    const f = forecast(cal, targets, rules, { ...normal, resolution_due: local('2026-03-26T18:00:00') }, local('2026-03-20T18:30:00'));
    expect(f).toMatchObject({ total: 6 * 540, remaining: 540, atRisk: true, rules: ['share'] });
    const monday = forecast(cal, targets, rules, { ...normal, resolution_due: local('2026-03-30T18:00:00') }, local('2026-03-20T18:30:00'));
    expect(monday).toMatchObject({ remaining: 3 * 540, atRisk: false }); // Thursday, Friday, Monday
  });
});

describe('what the sweep asks the database for', () => {
  it('looks far enough ahead for the longest target and the slowest median, stepping over holidays', () => {
    const longest = longestTarget(cal, targets);
    expect(longest).toBe(4 * 540);
    // A quarter of four working days is nine working hours: from Friday noon, over the weekend and Nauryz.
    const h = atRiskHorizon(cal, rules, longest, 0, local('2026-03-20T12:00:00'));
    expect(h.getTime()).toBeGreaterThanOrEqual(local('2026-03-26T12:00:00').getTime());
    expect(atRiskHorizon(cal, rules, longest, 30 * 24 * 60, local('2026-03-20T12:00:00')).getTime()).toBe(local('2026-04-19T12:00:00').getTime());
  });
});

function workingFrom(a: string, b: string) {
  return clockMinutes(cal, 'working', local(a), local(b));
}
