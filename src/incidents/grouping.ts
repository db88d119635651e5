// Which tickets are one problem, and what an incident of them looks like: plain functions over plain rows.
// The database work (finding candidates, locking, writing) is in membership.ts; this file only decides, so every
// grouping decision is tested in milliseconds (grouping.test.ts).
import { OPEN_STATUSES, type TicketStatus } from '../tickets/lifecycle.js';
import { addressKey, haversineMeters, validPoint } from '../triage/duplicates/place.js';

export interface GroupingConfig {
  radius_m: number;
  window_hours: number;
  min_tickets: number;
}

/** What grouping needs to know of a ticket. */
export interface PlacedTicket {
  id: number;
  category: string | null;
  district: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  organisation_id: string | null;
  status: string;
  created_at: Date;
  /** The incident the ticket already belongs to (its number), if any. */
  incident_id: string | null;
}

export interface Candidate extends PlacedTicket {
  /** The triage found the new ticket's message to repeat a message of this ticket (MinHash text + place + time). */
  repeated: boolean;
  /** Its incident is live (not dissolved) and still open; a ticket of a finished incident does not attract others. */
  incident_open: boolean;
}

export type Grouping =
  | { kind: 'none'; why: string }
  | { kind: 'join'; incident: string; related: number[]; why: string }
  | { kind: 'create'; with: number[]; why: string };

const HOUR = 3_600_000;

/** Why two tickets are one problem, or null: one category, opened within the window, at one place. */
export function sameProblem(a: PlacedTicket, b: PlacedTicket, cfg: GroupingConfig): string | null {
  if (!a.category || a.category !== b.category) return null;
  if (Math.abs(a.created_at.getTime() - b.created_at.getTime()) > cfg.window_hours * HOUR) return null;
  if (validPoint(a.lat, a.lon) && validPoint(b.lat, b.lon)) {
    const d = haversineMeters(a.lat as number, a.lon as number, b.lat as number, b.lon as number);
    if (d <= cfg.radius_m) return `same category within ${Math.round(d)} m`;
  }
  const ka = addressKey(a.address);
  if (ka && ka === addressKey(b.address)) return 'same category at the same building';
  return null;
}

/**
 * The decision for a ticket that has just opened, given open tickets that may be the same problem:
 * join the incident its related tickets already form (the one a repeated message points into first, then the one
 * most of them share), or form a new incident once the related free tickets and this one reach `min_tickets`.
 */
export function decideGrouping(ticket: PlacedTicket, candidates: readonly Candidate[], cfg: GroupingConfig): Grouping {
  const related: { c: Candidate; why: string }[] = [];
  for (const c of candidates) {
    if (c.id === ticket.id || !isOpen(c.status)) continue;
    const why = c.repeated ? 'the triage found the message to repeat this one' : sameProblem(ticket, c, cfg);
    if (why) related.push({ c, why });
  }
  if (related.length === 0) return { kind: 'none', why: 'no open ticket of the same problem' };
  const grouped = related.filter((r) => r.c.incident_id !== null && r.c.incident_open);
  if (grouped.length > 0) {
    const counts = new Map<string, number>();
    for (const r of grouped) counts.set(r.c.incident_id as string, (counts.get(r.c.incident_id as string) ?? 0) + 1);
    const byRepeat = grouped.find((r) => r.c.repeated)?.c.incident_id;
    const [incident] = byRepeat ? [byRepeat] : [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
    const members = grouped.filter((r) => r.c.incident_id === incident);
    return {
      kind: 'join',
      incident: incident as string,
      related: members.map((r) => r.c.id),
      why: `${members[0]?.why} (ticket ${members[0]?.c.id} of incident ${incident})`,
    };
  }
  // A ticket of a finished incident is left where it is: it is not free to form a new group.
  const free = related.filter((r) => r.c.incident_id === null);
  if (free.length + 1 < cfg.min_tickets) {
    return { kind: 'none', why: `${free.length + 1} of ${cfg.min_tickets} reports needed for an incident` };
  }
  return { kind: 'create', with: free.map((r) => r.c.id), why: free.map((r) => `ticket ${r.c.id}: ${r.why}`).join('; ') };
}

const isOpen = (s: string) => OPEN_STATUSES.has(s as TicketStatus);

// The least advanced open status first: an incident shows what is still to be done for any of its tickets.
const STATUS_ORDER: readonly TicketStatus[] = ['new', 'reopened', 'assigned', 'in_progress'];

/** The status a new incident starts in: the least advanced of its open tickets' (a paused ticket counts as in work). */
export function initialStatus(statuses: readonly string[]): TicketStatus {
  const open = statuses.map((s) => (s === 'waiting' ? 'in_progress' : s));
  return STATUS_ORDER.find((s) => open.includes(s)) ?? 'new';
}

function mostCommon<T>(values: readonly T[]): T | null {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | null = null;
  let n = 0;
  // Ties go to the value seen first: callers pass tickets oldest first.
  for (const [v, c] of counts) if (c > n) [best, n] = [v, c];
  return best;
}

export interface IncidentShape {
  category: string | null;
  organisation_id: string | null;
  district: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
}

/** What an incident of these tickets (oldest first) is about: the common category, organisation and district, the
 * centroid of their points and the address most of them give. */
export function shapeOf(tickets: readonly PlacedTicket[]): IncidentShape {
  const points = tickets.filter((t) => validPoint(t.lat, t.lon));
  const keyed = tickets.filter((t) => addressKey(t.address) !== null);
  const key = mostCommon(keyed.map((t) => addressKey(t.address)));
  const avg = (f: (t: PlacedTicket) => number) => Math.round((points.reduce((s, t) => s + f(t), 0) / points.length) * 1e6) / 1e6;
  return {
    category: mostCommon(tickets.map((t) => t.category).filter((c) => c !== null)),
    organisation_id: mostCommon(tickets.map((t) => t.organisation_id).filter((o) => o !== null)),
    district: mostCommon(tickets.map((t) => t.district).filter((d) => d !== null)),
    address: keyed.find((t) => addressKey(t.address) === key)?.address ?? tickets.find((t) => t.address)?.address ?? null,
    lat: points.length ? avg((t) => t.lat as number) : null,
    lon: points.length ? avg((t) => t.lon as number) : null,
  };
}
