// Escalation chains as plain functions: which chain a ticket follows, which of its steps are due at a moment and
// since when, and the "cycle" a step fires in. The sweep (escalation.ts) stores and acts; this file only decides.
import type { EscalationConfig, EscalationStep, EscalationTrigger, Urgency } from '../config/schema.js';
import { addDuration, type WorkingCalendar } from './calendar.js';
import type { SlaTarget } from './deadlines.js';
import { type ClockTicket, type Forecast, forecast, type History } from './forecast.js';

/** Statuses in which the organisation owes work and the clock runs ('waiting' stops it). */
export const RUNNING = ['new', 'assigned', 'in_progress', 'reopened'] as const;

export interface EscalationTicket extends ClockTicket {
  status: string;
  organisation_id: string | null;
  first_response_due: Date | null;
  assigned_at: Date | null;
  accepted_at: Date | null;
  reopen_count: number;
}

export interface Chain {
  name: string;
  steps: EscalationStep[];
}

/** The chain of the most specific override (category over urgency, like the SLA targets), else `default`. */
export function pickChain(cfg: EscalationConfig, category: string | null, urgency: Urgency | string): Chain {
  const score = (o: EscalationConfig['overrides'][number]) =>
    (o.category === undefined || o.category === '*' ? 0 : o.category === category ? 2 : -Infinity) +
    (o.urgency === undefined ? 0 : o.urgency === urgency ? 1 : -Infinity);
  let best: { name: string; s: number } | null = null;
  for (const o of cfg.overrides) {
    const s = score(o);
    if (s >= 0 && (!best || s > best.s)) best = { name: o.chain, s };
  }
  const name = best?.name ?? 'default';
  return { name, steps: cfg.chains[name]?.steps ?? [] };
}

/**
 * One assignment of a ticket to one organisation, within one reopening: a step fires once per cycle. A pause that
 * moves the deadline is the same cycle (the notice was about this ticket's time, which the pause did not give back).
 * The first response is the city's to the resident, once per reopening: a reassignment does not owe it again.
 */
export function cycleOf(t: Pick<EscalationTicket, 'reopen_count' | 'organisation_id' | 'assigned_at'>, kind?: EscalationTrigger): string {
  if (kind === 'first_response_breach') return `r${t.reopen_count}`;
  return `r${t.reopen_count}:${t.organisation_id ?? '-'}:${t.assigned_at ? t.assigned_at.getTime() : '-'}`;
}

export interface DueStep {
  step: EscalationStep;
  /** chain/step, the key it is recorded under. */
  key: string;
  kind: EscalationTrigger;
  /** The cycle it fires in (cycleOf). */
  cycle: string;
  /** When it fell due (for at_risk: the moment it was seen, since the forecast has no single instant). */
  dueAt: Date;
  forecast: Forecast | null;
}

export interface ChainContext {
  calendar: WorkingCalendar;
  targets: readonly SlaTarget[];
  escalation: EscalationConfig;
}

const after = (cal: WorkingCalendar, from: Date, step: EscalationStep) => (step.after ? addDuration(cal, from, step.after).due : from);

/** The steps of the ticket's chain that are due at `now`, in chain order; fired ones are the caller's to skip. */
export function dueSteps(c: ChainContext, t: EscalationTicket, now: Date, history: History | null = null): DueStep[] {
  if (!(RUNNING as readonly string[]).includes(t.status) || t.paused_at) return [];
  const chain = pickChain(c.escalation, t.category, t.urgency);
  let risk: Forecast | null | undefined;
  const out: DueStep[] = [];
  for (const step of chain.steps) {
    const key = `${chain.name}/${step.id}`;
    const due = (dueAt: Date | null, f: Forecast | null = null) => {
      if (dueAt && dueAt.getTime() <= now.getTime()) out.push({ step, key, kind: step.on, cycle: cycleOf(t, step.on), dueAt, forecast: f });
    };
    switch (step.on) {
      case 'first_response_breach':
        // Owed until the organisation accepts; a ticket already in progress has had its first response.
        if (!t.accepted_at && (t.status === 'new' || t.status === 'assigned') && t.first_response_due)
          due(after(c.calendar, t.first_response_due, step));
        break;
      case 'breach':
        if (t.resolution_due) due(after(c.calendar, t.resolution_due, step));
        break;
      case 'at_risk':
        risk ??= forecast(c.calendar, c.targets, c.escalation.at_risk, t, now, history);
        if (risk?.atRisk) due(now, risk);
        break;
      case 'no_reaction':
        // Counted from a recorded assignment only: without one there is no timer to run.
        if (t.status === 'assigned' && !t.accepted_at && t.assigned_at) due(after(c.calendar, t.assigned_at, step));
        break;
    }
  }
  return out;
}

/** Calendar minutes a step's `after` is at least, so a query can leave out what cannot be due yet. */
export function minimalDelayMinutes(step: EscalationStep, cal: WorkingCalendar): number {
  const d = step.after;
  if (!d) return 0;
  if ('hours' in d) return d.hours * 60;
  if ('working_hours' in d) return d.working_hours * 60;
  return (d.working_days - 1) * (cal.dayEnd - cal.dayStart);
}
