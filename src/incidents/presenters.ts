// What staff see of an incident: the list row, and the card with its tickets, history and the actions the reader
// may take. Tickets appear as in the staff ticket list (no resident's name, phone or e-mail); routes return these,
// never raw rows.
import { presentTicketListItem } from '../api/presenters.js';
import { can, canIncident, type StaffUser } from '../auth/policies.js';
import type { City } from '../config/load.js';
import type { Language } from '../config/schema.js';
import { categoryName, orgName } from '../outbox/templates.js';
import { formatLocal } from '../sla/calendar.js';
import { OPEN_STATUSES, type TicketStatus } from '../tickets/lifecycle.js';
import type { TicketRow } from '../tickets/repository.js';
import { allowedIncidentActions, stepsFor } from './plan.js';
import type { IncidentRow } from './repository.js';
import { earliest, incidentTitle } from './texts.js';

const iso = (city: City, d: Date | null) => (d ? formatLocal(city.calendar, d) : null);

export function presentIncidentListItem(city: City, i: IncidentRow & { tickets: number }, lang: Language) {
  return {
    number: i.id,
    status: i.status,
    // The operator's title, or category and address in the reader's language.
    title: incidentTitle(city, i, lang),
    titled: i.title !== null,
    category: i.category ? { code: i.category, name: categoryName(city, i.category, lang) } : null,
    organisation: i.organisation_id ? { id: i.organisation_id, name: orgName(city, i.organisation_id, lang) } : null,
    district: i.district ? { id: i.district, name: city.city.districts.find((d) => d.id === i.district)?.name[lang] ?? i.district } : null,
    address: i.address,
    point: i.lat !== null && i.lon !== null ? { lat: i.lat, lon: i.lon } : null,
    tickets: i.tickets,
    opened_by: i.opened_by,
    created_at: iso(city, i.created_at),
    updated_at: iso(city, i.updated_at),
    resolved_at: iso(city, i.resolved_at),
    closed_at: iso(city, i.closed_at),
    dissolved_at: iso(city, i.dissolved_at),
    merged_into: i.merged_into,
    version: i.version,
  };
}

export function presentIncident(
  city: City,
  user: StaffUser,
  i: IncidentRow,
  children: TicketRow[],
  history: { at: Date; actor_type: string; actor_id: string | null; actor_name: string | null; action: string; data: Record<string, unknown> }[],
  /** The time now (ctx.now()): overdue by the same clock as the tickets' deadline views. */
  now: Date = new Date(),
) {
  const lang = (user.locale as Language) ?? city.city.default_language;
  const open = children.filter((t) => OPEN_STATUSES.has(t.status as TicketStatus));
  const due = earliest(open.map((t) => t.resolution_due));
  return {
    ...presentIncidentListItem(city, { ...i, tickets: children.length }, lang),
    deadline: iso(city, due),
    overdue: due !== null && due.getTime() < now.getTime(),
    children: children.map((t) => presentTicketListItem(city, t, lang, now)),
    history: history.map((h) => ({
      at: iso(city, h.at),
      actor_type: h.actor_type,
      actor_id: h.actor_id,
      actor_name: h.actor_name,
      action: h.action,
      data: h.data,
    })),
    actions: i.dissolved_at ? [] : allowedIncidentActions(i.status).filter((a) => mayAct(user, i, children, a)),
    may: {
      // Only an open incident takes more tickets; a finished one is reopened first.
      merge: !i.dissolved_at && OPEN_STATUSES.has(i.status as TicketStatus) && canIncident(user, 'merge', i),
      split: !i.dissolved_at && canIncident(user, 'split', i),
    },
  };
}

/** The reader may take the action on the incident and on every ticket it would move. */
function mayAct(user: StaffUser, i: IncidentRow, children: TicketRow[], action: Parameters<typeof stepsFor>[1]): boolean {
  if (!canIncident(user, 'act', i)) return false;
  return children.every((t) => (stepsFor(t.status, action) ?? []).every((s) => can(user, s, t)));
}
