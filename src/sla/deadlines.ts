// Chooses the SLA target for a ticket (most specific match wins) and computes its deadlines on the calendar.
import type { Duration, Urgency } from '../config/schema.js';
import { addDuration, type WorkingCalendar } from './calendar.js';

export interface SlaTarget {
  category: string;
  urgency?: Urgency;
  first_response: Duration;
  resolution: Duration;
}

export function pickTarget(targets: readonly SlaTarget[], category: string | null, urgency: Urgency): SlaTarget {
  const score = (t: SlaTarget) =>
    (t.category === category ? 2 : t.category === '*' ? 0 : -Infinity) + (t.urgency === urgency ? 1 : t.urgency ? -Infinity : 0);
  const best = [...targets]
    .map((t) => ({ t, s: score(t) }))
    .filter((x) => x.s >= 0)
    .sort((a, b) => b.s - a.s)[0];
  if (!best) throw new Error('no SLA target applies: the configuration needs a default target');
  return best.t;
}

export function deadlines(cal: WorkingCalendar, targets: readonly SlaTarget[], category: string | null, urgency: Urgency, from: Date) {
  const target = pickTarget(targets, category, urgency);
  return {
    firstResponseDue: addDuration(cal, from, target.first_response).due,
    resolutionDue: addDuration(cal, from, target.resolution).due,
    target,
  };
}
