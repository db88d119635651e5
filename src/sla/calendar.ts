// Working calendar arithmetic: pure functions over a fixed UTC offset, weekends and yearly day lists.
// The host's time-zone database is never consulted (Kazakhstan moved to UTC+5 in 2024; old tz data disagrees).
import type { Duration } from '../config/schema.js';

export interface WorkingCalendar {
  utcOffsetMinutes: number;
  /** Minutes after local midnight. */
  dayStart: number;
  dayEnd: number;
  /** YYYY-MM-DD of weekdays that are off (holidays, transferred days off). */
  daysOff: Set<string>;
  /** YYYY-MM-DD of weekend days that are worked. */
  workingWeekends: Set<string>;
  /** Years the calendar has data for; a deadline beyond them is computed on weekends only and flagged. */
  years: Set<number>;
}

export interface DeadlineResult {
  due: Date;
  skipped: string[];
  /** True when part of the span fell in a year without calendar data. */
  uncertain: boolean;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(cal: Pick<WorkingCalendar, 'utcOffsetMinutes'>, at: Date): string {
  return new Date(at.getTime() + cal.utcOffsetMinutes * MINUTE).toISOString().slice(0, 10);
}

/** Local midnight of the day containing `at`, as an instant. */
function localMidnight(cal: WorkingCalendar, at: Date): number {
  const shifted = at.getTime() + cal.utcOffsetMinutes * MINUTE;
  return shifted - (((shifted % DAY) + DAY) % DAY) - cal.utcOffsetMinutes * MINUTE;
}

export function isWorkingDay(cal: WorkingCalendar, date: string): boolean {
  if (cal.workingWeekends.has(date)) return true;
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (dow === 0 || dow === 6) return false;
  return !cal.daysOff.has(date);
}

/** Adds working hours, counting only minutes inside working hours of working days. */
export function addWorkingMinutes(cal: WorkingCalendar, from: Date, minutes: number): DeadlineResult {
  const skipped: string[] = [];
  let uncertain = false;
  let remaining = minutes;
  let dayStartMs = localMidnight(cal, from);
  let cursor = from.getTime();
  for (let guard = 0; guard < 3660; guard++) {
    const date = localDate(cal, new Date(dayStartMs));
    if (!cal.years.has(Number(date.slice(0, 4)))) uncertain = true;
    if (isWorkingDay(cal, date)) {
      const open = dayStartMs + cal.dayStart * MINUTE;
      const close = dayStartMs + cal.dayEnd * MINUTE;
      const start = Math.max(cursor, open);
      if (start < close) {
        const available = (close - start) / MINUTE;
        if (remaining <= available) return { due: new Date(start + remaining * MINUTE), skipped, uncertain };
        remaining -= available;
      }
    } else {
      skipped.push(date);
    }
    dayStartMs += DAY;
    cursor = dayStartMs;
  }
  throw new Error('deadline is more than ten years away');
}

/**
 * Working minutes between two instants: the minutes of [from, to) that fall inside working hours of working days.
 * The inverse of addWorkingMinutes, used to measure how long a paused clock stood still.
 */
export function workingMinutesBetween(cal: WorkingCalendar, from: Date, to: Date): number {
  const end = to.getTime();
  if (end <= from.getTime()) return 0;
  let total = 0;
  for (let dayStartMs = localMidnight(cal, from); dayStartMs < end; dayStartMs += DAY) {
    if (!isWorkingDay(cal, localDate(cal, new Date(dayStartMs)))) continue;
    const open = Math.max(dayStartMs + cal.dayStart * MINUTE, from.getTime());
    const close = Math.min(dayStartMs + cal.dayEnd * MINUTE, end);
    if (close > open) total += close - open;
  }
  // Whole minutes, rounded down: a pause of seconds does not move a deadline.
  return Math.floor(total / MINUTE);
}

/**
 * Adds whole working days: the deadline is the end of the working day N working days after the day of `from`
 * (the day of receipt is not counted, as in APPK's "within N working days").
 */
export function addWorkingDays(cal: WorkingCalendar, from: Date, days: number): DeadlineResult {
  const skipped: string[] = [];
  let uncertain = false;
  let dayStartMs = localMidnight(cal, from);
  let counted = 0;
  for (let guard = 0; guard < 3660; guard++) {
    dayStartMs += DAY;
    const date = localDate(cal, new Date(dayStartMs));
    if (!cal.years.has(Number(date.slice(0, 4)))) uncertain = true;
    if (isWorkingDay(cal, date)) {
      counted++;
      if (counted === days) return { due: new Date(dayStartMs + cal.dayEnd * MINUTE), skipped, uncertain };
    } else {
      skipped.push(date);
    }
  }
  throw new Error('deadline is more than ten years away');
}

export function addDuration(cal: WorkingCalendar, from: Date, d: Duration): DeadlineResult {
  if ('hours' in d) return { due: new Date(from.getTime() + d.hours * 3_600_000), skipped: [], uncertain: false };
  if ('working_hours' in d) return addWorkingMinutes(cal, from, d.working_hours * 60);
  return addWorkingDays(cal, from, d.working_days);
}

/** ISO 8601 with the calendar's offset, e.g. 2026-03-26T18:00:00+05:00. */
export function formatLocal(cal: Pick<WorkingCalendar, 'utcOffsetMinutes'>, at: Date): string {
  const off = cal.utcOffsetMinutes;
  const local = new Date(at.getTime() + off * MINUTE).toISOString().slice(0, 19);
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
