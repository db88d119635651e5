// A ticket's resolution deadline as people read it, at a moment: its state (on track, at risk, overdue, paused,
// met, missed), the time left in working minutes, the resident's phrase and the operator's, in ru, kk and en.
// Pure: the presenters and the notices call it with the stored row and the time now.
import type { City } from '../config/load.js';
import { LANGUAGES, type Language } from '../config/schema.js';
import { formatLocal } from './calendar.js';
import { clockMinutes, type Forecast, forecast, type History } from './forecast.js';
import { citizenText, type DeadlineState, justPassedText, operatorText, riskReason, span } from './texts.js';

export interface ViewTicket {
  status: string;
  category: string | null;
  urgency: string;
  created_at: Date;
  resolution_due: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  updated_at: Date;
  paused_at: Date | null;
  paused_minutes: number;
}

export interface DeadlineView {
  /** ISO 8601 with the city's offset, e.g. 2026-12-17T18:00:00+05:00. */
  due: string;
  state: DeadlineState;
  /** Working minutes from now (or from the pause) to the deadline; negative when it is behind. */
  remaining_working_minutes: number;
  /** The clock the deadline runs on: working time, or round the clock (hour targets such as emergencies). */
  clock: Forecast['clock'];
  /** Why it is at risk, when it is. */
  risk: { rules: Forecast['rules']; reason: Record<Language, string> } | null;
  citizen: Record<Language, string>;
  operator: Record<Language, string>;
}

const OPEN = new Set(['new', 'assigned', 'in_progress', 'waiting', 'reopened']);

/** `10.12.2026 18:00`: the local date and time, as residents write it. */
export function localText(city: City, at: Date): string {
  const iso = formatLocal(city.calendar, at);
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)} ${iso.slice(11, 16)}`;
}

export function deadlineView(city: City, t: ViewTicket, now: Date, history: History | null = null): DeadlineView | null {
  const due = t.resolution_due;
  if (!due) return null;
  const cal = city.calendar;
  const workday = cal.dayEnd - cal.dayStart;
  const open = OPEN.has(t.status);
  const paused = open && (t.status === 'waiting' || t.paused_at !== null);
  // A closed ticket is measured at its end: resolution, closing, or (rejected, duplicate) its last change.
  const at = open ? (paused && t.paused_at ? t.paused_at : now) : (t.resolved_at ?? t.closed_at ?? t.updated_at);
  const f = forecast(cal, city.sla.targets, city.escalation.at_risk, { ...t, paused_at: paused ? t.paused_at : null }, at, history) as Forecast;
  const remaining = clockMinutes(cal, f.clock, at, due);
  let state: DeadlineState;
  if (!open) state = remaining >= 0 ? 'met' : 'missed';
  else if (paused) state = 'paused';
  else if (remaining <= 0 && now.getTime() >= due.getTime()) state = 'overdue';
  else state = f.atRisk ? 'at_risk' : 'on_track';
  const local = localText(city, due);
  const per = (fn: (l: Language) => string) => Object.fromEntries(LANGUAGES.map((l) => [l, fn(l)])) as Record<Language, string>;
  return {
    due: formatLocal(cal, due),
    state,
    remaining_working_minutes: clockMinutes(cal, 'working', at, due),
    clock: f.clock,
    risk: state === 'at_risk' ? { rules: f.rules, reason: per((l) => riskReason(f, workday, l)) } : null,
    citizen: per((l) => citizenText(state, local, l)),
    operator: per((l) =>
      state === 'overdue' && remaining === 0 ? justPassedText(local, l) : operatorText(state, span(remaining, f.clock, workday, l), l),
    ),
  };
}
