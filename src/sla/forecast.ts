// The clock of one ticket as plain arithmetic: which clock its deadline runs on (working time, or round the clock
// for hour targets such as emergencies), how much time it was given, how much is left, and whether its resolution
// deadline is "at risk" — and by which rule, so a notice can say why. No database, no clock of its own.
import type { Duration, EscalationConfig, Urgency } from '../config/schema.js';
import { type WorkingCalendar, workingMinutesBetween } from './calendar.js';
import { pickTarget, type SlaTarget } from './deadlines.js';

export type Clock = 'working' | 'calendar';
export type RiskRule = 'share' | 'floor' | 'history';

const MINUTE = 60_000;

/** `{ hours }` targets run round the clock; working hours and working days run on the working calendar. */
export function clockOf(d: Duration): Clock {
  return 'hours' in d ? 'calendar' : 'working';
}

/** Minutes of the given clock in [from, to); negative when `to` is before `from` (time past a deadline). */
export function clockMinutes(cal: WorkingCalendar, clock: Clock, from: Date, to: Date): number {
  const sign = to.getTime() >= from.getTime() ? 1 : -1;
  const [a, b] = sign > 0 ? [from, to] : [to, from];
  const m = clock === 'calendar' ? Math.floor((b.getTime() - a.getTime()) / MINUTE) : workingMinutesBetween(cal, a, b);
  return sign * m;
}

/** The facts of a ticket the forecast reads (a tickets row has them all). */
export interface ClockTicket {
  category: string | null;
  urgency: string;
  created_at: Date;
  resolution_due: Date | null;
  paused_at: Date | null;
  paused_minutes: number;
}

/** How long this organisation usually takes for this category: the median of its recently resolved tickets. */
export interface History {
  /** Calendar minutes from receipt to resolution. */
  medianMinutes: number;
  closed: number;
}

export interface Forecast {
  clock: Clock;
  /** The ticket's whole time on its clock: from receipt to the deadline, without the time it stood paused. */
  total: number;
  /** What is left on its clock at `now` (or when it was paused); negative when overdue. */
  remaining: number;
  atRisk: boolean;
  /** Every rule that holds, the first one being the reason given. */
  rules: RiskRule[];
  /** The figures behind the rules, for the explanation. */
  share: number;
  floorMinutes: number;
  history: History | null;
}

export function ticketClock(targets: readonly SlaTarget[], t: Pick<ClockTicket, 'category' | 'urgency'>): Clock {
  return clockOf(pickTarget(targets, t.category, t.urgency as Urgency).resolution);
}

/**
 * The forecast at `now`. A ticket past its deadline is overdue, not at risk; a paused one is measured at the moment
 * it was paused. The history rule compares calendar time with calendar time (a median over nights and weekends
 * against the time left until the deadline), so it is read the way a person reads it.
 */
export function forecast(
  cal: WorkingCalendar,
  targets: readonly SlaTarget[],
  rules: EscalationConfig['at_risk'],
  t: ClockTicket,
  now: Date,
  history: History | null = null,
): Forecast | null {
  if (!t.resolution_due) return null;
  const clock = ticketClock(targets, t);
  const at = t.paused_at && t.paused_at.getTime() < now.getTime() ? t.paused_at : now;
  const total = Math.max(1, clockMinutes(cal, clock, t.created_at, t.resolution_due) - t.paused_minutes);
  const remaining = clockMinutes(cal, clock, at, t.resolution_due);
  const floorMinutes = rules.floor_hours * 60;
  const usable = history && rules.history && history.closed >= rules.history.min_closed ? history : null;
  const held: RiskRule[] = [];
  // Before the deadline (even with no working minutes left in between, e.g. a weekend before a Monday-morning deadline).
  if (at.getTime() < t.resolution_due.getTime()) {
    if (remaining < rules.share * total) held.push('share');
    if (remaining < floorMinutes) held.push('floor');
    const calendarLeft = (t.resolution_due.getTime() - at.getTime()) / MINUTE;
    if (usable && usable.medianMinutes > calendarLeft) held.push('history');
  }
  return { clock, total, remaining, atRisk: held.length > 0, rules: held, share: rules.share, floorMinutes, history: usable };
}

/**
 * The latest resolution deadline that can be at risk at `now`, over every ticket: the sweep asks the database only
 * for open tickets due before it. `maxTotal` is the longest time any target gives, `maxMedian` the longest median.
 */
export function atRiskHorizon(cal: WorkingCalendar, rules: EscalationConfig['at_risk'], maxTotal: number, maxMedian: number, now: Date): Date {
  const lead = Math.max(rules.share * maxTotal, rules.floor_hours * 60);
  // Working minutes stretch over nights, weekends and holidays: step forward on the calendar for that bound.
  let working = now.getTime();
  let left = Math.ceil(lead);
  for (let day = 0; left > 0 && day < 3660; day++) {
    const next = new Date(working + 86_400_000);
    left -= workingMinutesBetween(cal, new Date(working), next);
    working = next.getTime();
  }
  return new Date(Math.max(working, now.getTime() + Math.max(lead, maxMedian) * MINUTE));
}

/** The longest time (minutes of its clock) any SLA target gives a ticket, on the generous side. */
export function longestTarget(cal: WorkingCalendar, targets: readonly SlaTarget[]): number {
  const day = cal.dayEnd - cal.dayStart;
  return Math.max(
    ...targets.map(({ resolution: d }) => ('hours' in d ? d.hours * 60 : 'working_hours' in d ? d.working_hours * 60 : (d.working_days + 1) * day)),
  );
}
