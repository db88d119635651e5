import { describe, expect, it } from 'vitest';
import {
  addDuration,
  addWorkingDays,
  addWorkingMinutes,
  formatLocal,
  isWorkingDay,
  localDate,
  type WorkingCalendar,
  workingMinutesBetween,
} from './calendar.js';

const cal: WorkingCalendar = {
  utcOffsetMinutes: 300,
  dayStart: 9 * 60,
  dayEnd: 18 * 60,
  // 2026: Nauryz 23 Mar (Mon) plus transfers 24–25 Mar; 2025: Fri 3 Jan off, Sun 5 Jan worked.
  daysOff: new Set(['2026-03-23', '2026-03-24', '2026-03-25', '2025-01-01', '2025-01-02', '2025-01-03']),
  workingWeekends: new Set(['2025-01-05']),
  years: new Set([2025, 2026]),
};
const at = (s: string) => new Date(s);

describe('working calendar', () => {
  it('uses UTC+5 whatever the host thinks: 20:30 UTC is already the next day in Astana', () => {
    expect(localDate(cal, at('2026-03-19T20:30:00Z'))).toBe('2026-03-20');
    expect(formatLocal(cal, at('2026-03-19T20:30:00Z'))).toBe('2026-03-20T01:30:00+05:00');
  });

  it('knows weekends, holidays and worked weekend days', () => {
    expect(isWorkingDay(cal, '2026-03-21')).toBe(false); // Saturday
    expect(isWorkingDay(cal, '2026-03-24')).toBe(false); // transferred day off
    expect(isWorkingDay(cal, '2026-03-26')).toBe(true);
    expect(isWorkingDay(cal, '2025-01-05')).toBe(true); // Sunday made a working day
  });

  it('counts working days across Nauryz and a weekend, naming the days it skipped', () => {
    // Friday 20 March 2026, 15:00 Astana. Day 1 = Thu 26 Mar (Sat–Wed are off), day 2 = Fri 27 Mar.
    const r = addWorkingDays(cal, at('2026-03-20T10:00:00Z'), 2);
    expect(formatLocal(cal, r.due)).toBe('2026-03-27T18:00:00+05:00');
    expect(r.skipped).toEqual(['2026-03-21', '2026-03-22', '2026-03-23', '2026-03-24', '2026-03-25']);
    expect(r.uncertain).toBe(false);
  });

  it('counts the worked Sunday of 5 January 2025', () => {
    // Tue 31 Dec 2024 is outside the data; 1–3 Jan off, 4 Jan Saturday, 5 Jan worked.
    const r = addWorkingDays(cal, at('2024-12-31T06:00:00Z'), 1);
    expect(formatLocal(cal, r.due)).toBe('2025-01-05T18:00:00+05:00');
    expect(r.uncertain).toBe(false);
  });

  it('adds working hours inside the working day and carries the rest to the next working day', () => {
    // Friday 17:00 + 2 working hours = Monday 10:00 (Mon 23 is Nauryz, so Thursday 26 Mar 10:00).
    const r = addWorkingMinutes(cal, at('2026-03-20T12:00:00Z'), 120);
    expect(formatLocal(cal, r.due)).toBe('2026-03-26T10:00:00+05:00');
    // Before opening time the clock starts at 09:00.
    expect(formatLocal(cal, addWorkingMinutes(cal, at('2026-03-26T01:00:00Z'), 60).due)).toBe('2026-03-26T10:00:00+05:00');
  });

  it('treats plain hours as clock hours, holidays or not', () => {
    const r = addDuration(cal, at('2026-03-22T10:00:00Z'), { hours: 24 });
    expect(r.due.toISOString()).toBe('2026-03-23T10:00:00.000Z');
  });

  it('flags a deadline that runs into a year without calendar data', () => {
    expect(addWorkingDays(cal, at('2026-12-30T06:00:00Z'), 3).uncertain).toBe(true);
  });
});

describe('working minutes between two instants', () => {
  it('counts only working hours: Friday 17:00 to Thursday 10:00 across a weekend and Nauryz is two hours', () => {
    expect(workingMinutesBetween(cal, at('2026-03-20T12:00:00Z'), at('2026-03-26T05:00:00Z'))).toBe(120);
  });

  it('counts minutes inside one working day, and nothing for a night or a reversed span', () => {
    expect(workingMinutesBetween(cal, at('2026-03-26T05:15:00Z'), at('2026-03-26T07:45:00Z'))).toBe(150);
    expect(workingMinutesBetween(cal, at('2026-03-26T14:00:00Z'), at('2026-03-27T03:59:00Z'))).toBe(0);
    expect(workingMinutesBetween(cal, at('2026-03-27T07:00:00Z'), at('2026-03-26T07:00:00Z'))).toBe(0);
  });

  it('counts a worked Sunday and skips the days off around it', () => {
    // Thu 2 Jan 2025 09:00 to Mon 6 Jan 09:00 Astana: only Sunday 5 January is worked, 9 hours.
    expect(workingMinutesBetween(cal, at('2025-01-02T04:00:00Z'), at('2025-01-06T04:00:00Z'))).toBe(9 * 60);
  });

  it('is the inverse of adding working minutes', () => {
    const from = at('2026-03-19T10:17:00Z');
    for (const m of [1, 59, 540, 541, 2000]) {
      const due = addWorkingMinutes(cal, from, m).due;
      expect(workingMinutesBetween(cal, from, due)).toBe(m);
    }
  });
});
