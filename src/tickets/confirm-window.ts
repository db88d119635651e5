// The resident's confirmation window as plain date arithmetic: after a ticket is resolved the resident may confirm
// or reopen it for N calendar days, counted in the city's time from the day of resolution to the end of the last
// day (resolved on 10 March with 15 days: until 25 March 23:59:59). No database, no clock of its own.
import type { WorkingCalendar } from '../sla/calendar.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

type Offset = Pick<WorkingCalendar, 'utcOffsetMinutes'>;

/** Local midnight (as an instant) of the day that contains `at`, in the city's fixed offset. */
function localMidnight(cal: Offset, at: number): number {
  const shifted = at + cal.utcOffsetMinutes * MINUTE;
  return shifted - (((shifted % DAY) + DAY) % DAY) - cal.utcOffsetMinutes * MINUTE;
}

/** The first instant after the window: local midnight `days` days after the day of resolution, plus one day. */
export function windowEnd(cal: Offset, resolvedAt: Date, days: number): Date {
  return new Date(localMidnight(cal, resolvedAt.getTime()) + (days + 1) * DAY);
}

/** True while the resident may still confirm or reopen a ticket resolved at `resolvedAt`. */
export function windowOpen(cal: Offset, resolvedAt: Date, days: number, now: Date): boolean {
  return now.getTime() < windowEnd(cal, resolvedAt, days).getTime();
}

/**
 * Tickets resolved before this instant have their window behind them at `now` (the same rule as `windowOpen`,
 * turned into one bound a query can use): resolved_at < cutoff ⇔ windowEnd(resolved_at) ≤ now.
 */
export function windowCutoff(cal: Offset, now: Date, days: number): Date {
  return new Date(localMidnight(cal, now.getTime() - days * DAY));
}
