// The ticket's deadline clock across a wait for the resident, as plain data in and out: asking stops the clock;
// leaving the wait measures how many working minutes it stood still and moves the deadlines that many working
// minutes later. The first-response deadline moves only while no one has accepted the ticket yet.
import { addWorkingMinutes, type WorkingCalendar, workingMinutesBetween } from '../sla/calendar.js';

export interface ClockState {
  paused_at: Date | null;
  paused_minutes: number;
  accepted_at: Date | null;
  first_response_due: Date | null;
  resolution_due: Date | null;
}

export type ClockChange = Partial<Pick<ClockState, 'paused_at' | 'paused_minutes' | 'first_response_due' | 'resolution_due'>>;

/** Stops the clock now. Asking again while it already stands keeps the first stop. */
export function pauseClock(t: Pick<ClockState, 'paused_at'>, now: Date): ClockChange {
  return { paused_at: t.paused_at ?? now };
}

/** Starts the clock again: the working minutes since the stop are added to the pause and to the deadlines. */
export function resumeClock(cal: WorkingCalendar, t: ClockState, now: Date): { change: ClockChange; minutes: number } {
  const minutes = t.paused_at ? workingMinutesBetween(cal, t.paused_at, now) : 0;
  // A wait that fell outside working hours moves nothing (adding zero would still snap a deadline to opening time).
  const later = (d: Date | null) => (d && minutes > 0 ? addWorkingMinutes(cal, d, minutes).due : d);
  return {
    minutes,
    change: {
      paused_at: null,
      paused_minutes: t.paused_minutes + minutes,
      resolution_due: later(t.resolution_due),
      first_response_due: t.accepted_at ? t.first_response_due : later(t.first_response_due),
    },
  };
}

/** Deadlines computed afresh (a corrected category) still owe the time the clock already stood still. */
export function afterPauses(cal: WorkingCalendar, due: Date, pausedMinutes: number): Date {
  return pausedMinutes > 0 ? addWorkingMinutes(cal, due, pausedMinutes).due : due;
}
