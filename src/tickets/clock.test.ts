import { describe, expect, it } from 'vitest';
import type { WorkingCalendar } from '../sla/calendar.js';
import { afterPauses, pauseClock, resumeClock } from './clock.js';

const cal: WorkingCalendar = {
  utcOffsetMinutes: 300,
  dayStart: 9 * 60,
  dayEnd: 18 * 60,
  daysOff: new Set(['2026-12-16']),
  workingWeekends: new Set(),
  years: new Set([2026]),
};
const at = (local: string) => new Date(`${local}+05:00`);
const ticket = (over: Partial<Parameters<typeof resumeClock>[1]> = {}) => ({
  paused_at: at('2026-12-04T17:00:00'),
  paused_minutes: 30,
  accepted_at: null,
  first_response_due: at('2026-12-07T12:00:00'),
  resolution_due: at('2026-12-08T18:00:00'),
  ...over,
});

describe('the deadline clock across a wait for the resident', () => {
  it('stops at the first question and keeps that stop if asked again', () => {
    expect(pauseClock({ paused_at: null }, at('2026-12-02T10:00:00'))).toEqual({ paused_at: at('2026-12-02T10:00:00') });
    expect(pauseClock({ paused_at: at('2026-12-01T10:00:00') }, at('2026-12-02T10:00:00'))).toEqual({ paused_at: at('2026-12-01T10:00:00') });
  });

  it('moves both deadlines by the working minutes of a wait over a weekend while no one has accepted', () => {
    const r = resumeClock(cal, ticket(), at('2026-12-07T10:00:00'));
    expect(r.minutes).toBe(120);
    expect(r.change).toEqual({
      paused_at: null,
      paused_minutes: 150,
      first_response_due: at('2026-12-07T14:00:00'),
      resolution_due: at('2026-12-09T11:00:00'),
    });
  });

  it('leaves the first-response deadline alone once the ticket was accepted', () => {
    const r = resumeClock(cal, ticket({ accepted_at: at('2026-12-04T10:00:00') }), at('2026-12-07T10:00:00'));
    expect(r.change.first_response_due).toEqual(at('2026-12-07T12:00:00'));
    expect(r.change.resolution_due).toEqual(at('2026-12-09T11:00:00'));
  });

  it('moves nothing for a wait outside working hours, across the Independence Day holiday too', () => {
    const r = resumeClock(cal, ticket({ paused_at: at('2026-12-15T18:30:00') }), at('2026-12-17T08:45:00'));
    expect(r.minutes).toBe(0);
    expect(r.change.resolution_due).toEqual(at('2026-12-08T18:00:00'));
    expect(r.change.paused_minutes).toBe(30);
  });

  it('keeps owing earlier pauses when deadlines are computed afresh for a corrected category', () => {
    expect(afterPauses(cal, at('2026-12-08T18:00:00'), 150)).toEqual(at('2026-12-09T11:30:00'));
    expect(afterPauses(cal, at('2026-12-08T18:00:00'), 0)).toEqual(at('2026-12-08T18:00:00'));
  });
});
