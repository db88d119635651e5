// What each audience sees of a ticket. Residents and the public never get personal data; staff get what their
// work needs. Routes return these, never raw rows.

import { can, type StaffUser } from '../auth/policies.js';
import type { City } from '../config/load.js';
import type { Language } from '../config/schema.js';
import { categoryName, humanDeadline, orgName } from '../outbox/templates.js';
import { formatLocal } from '../sla/calendar.js';
import { allowedActions, isTicketStatus, OPEN_STATUSES } from '../tickets/lifecycle.js';
import type { TicketRow } from '../tickets/repository.js';

const iso = (city: City, d: Date | null) => (d ? formatLocal(city.calendar, d) : null);

function names(city: City, t: TicketRow, lang: Language) {
  return {
    category: t.category ? { code: t.category, name: categoryName(city, t.category, lang) } : null,
    organisation: t.organisation_id ? { id: t.organisation_id, name: orgName(city, t.organisation_id, lang) } : null,
    district: t.district ? { id: t.district, name: city.city.districts.find((d) => d.id === t.district)?.name[lang] ?? t.district } : null,
  };
}

/** For the resident who filed it, and for anyone who knows the number: status and the city's answers only. */
export function presentPublicTicket(city: City, t: TicketRow, replies: { text: string; received_at: Date }[], lang?: Language) {
  const l = lang ?? (t.language as Language);
  return {
    number: t.number,
    status: t.status,
    ...names(city, t, l),
    language: t.language,
    created_at: iso(city, t.created_at),
    updated_at: iso(city, t.updated_at),
    deadline: iso(city, t.resolution_due),
    deadline_text: t.resolution_due ? humanDeadline(city, t.resolution_due) : null,
    replies: replies.map((r) => ({ text: r.text, at: iso(city, r.received_at) })),
  };
}

export function presentTicketListItem(city: City, t: TicketRow, lang: Language) {
  return {
    number: t.number,
    status: t.status,
    ...names(city, t, lang),
    urgency: t.urgency,
    channel: t.channel,
    language: t.language,
    address: t.address,
    created_at: iso(city, t.created_at),
    deadline: iso(city, t.resolution_due),
    overdue: t.resolution_due !== null && t.resolution_due.getTime() < Date.now() && isTicketStatus(t.status) && OPEN_STATUSES.has(t.status),
    version: t.version,
  };
}

export function presentStaffTicket(
  city: City,
  user: StaffUser,
  t: TicketRow,
  extra: {
    messages: { id: number; channel: string; direction: string; text: string; received_at: Date; location: unknown }[];
    triage: (Record<string, unknown> & { created_at: Date }) | undefined;
    history: { at: Date; actor_type: string; actor_id: string | null; action: string; data: Record<string, unknown> }[];
    resident: { name: string | null; phone: string | null; email: string | null } | undefined;
    attachments: { id: number; content_type: string; filename: string | null }[];
    deliveries: {
      id: number;
      channel: string;
      status: string;
      attempts: number;
      last_error: string | null;
      created_at: Date;
      sent_at: Date | null;
      template: string | null;
    }[];
  },
) {
  const lang = (user.locale as Language) ?? city.city.default_language;
  return {
    ...presentTicketListItem(city, t, lang),
    point: t.lat !== null && t.lon !== null ? { lat: t.lat, lon: t.lon } : null,
    first_response_due: iso(city, t.first_response_due),
    resolved_at: iso(city, t.resolved_at),
    closed_at: iso(city, t.closed_at),
    routing_trace: t.routing_trace,
    triage: extra.triage ? { ...extra.triage, created_at: iso(city, extra.triage.created_at) } : null,
    resident: extra.resident ? { name: extra.resident.name, phone: extra.resident.phone, email: extra.resident.email } : null,
    messages: extra.messages.map((m) => ({
      id: m.id,
      channel: m.channel,
      direction: m.direction,
      text: m.text,
      location: m.location,
      received_at: iso(city, m.received_at),
    })),
    attachments: extra.attachments,
    // What the city sent the resident and whether it arrived: a failure is visible to the operator.
    deliveries: extra.deliveries.map((d) => ({ ...d, created_at: iso(city, d.created_at), sent_at: iso(city, d.sent_at) })),
    history: extra.history.map((h) => ({ ...h, at: iso(city, h.at) })),
    actions: isTicketStatus(t.status) ? allowedActions(t.status).filter((a) => can(user, a, t)) : [],
  };
}

export function presentUser(u: StaffUser) {
  return { id: u.id, email: u.email, name: u.name, locale: u.locale, roles: u.roles, organisations: u.organisations };
}
