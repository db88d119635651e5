// What each audience sees of a ticket. Residents and the public never get personal data; staff get what their
// work needs. Routes return these, never raw rows.

import { can, canIncident, type StaffUser } from '../auth/policies.js';
import type { City } from '../config/load.js';
import type { Language } from '../config/schema.js';
import { categoryName, humanDeadline, orgName } from '../outbox/templates.js';
import { redactPersonalData } from '../privacy.js';
import { formatLocal } from '../sla/calendar.js';
import { deadlineView } from '../sla/view.js';
import { allowedActions, isTicketStatus, OPEN_STATUSES, PAUSED_STATUSES } from '../tickets/lifecycle.js';
import { type NoteView, proofRequired } from '../tickets/notes.js';
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
    // The city's replies now carry staff-written words (a question, a resolution note): masked like Open311's notes.
    replies: replies.map((r) => ({ text: redactPersonalData(r.text), at: iso(city, r.received_at) })),
  };
}

export function presentTicketListItem(city: City, t: TicketRow, lang: Language, now: Date = new Date()) {
  const running = isTicketStatus(t.status) && OPEN_STATUSES.has(t.status) && !PAUSED_STATUSES.has(t.status);
  const overdue = running && t.resolution_due !== null && t.resolution_due.getTime() < now.getTime();
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
    overdue,
    // Found at risk by the escalation sweep and not yet past its deadline (the console's attention filter).
    at_risk: running && !overdue && t.at_risk_at !== null,
    version: t.version,
    // The incident (its number) this ticket is one report of: work on the incident moves the ticket too.
    incident: t.incident_id,
  };
}

export function presentStaffTicket(
  city: City,
  user: StaffUser,
  t: TicketRow,
  extra: {
    messages: { id: number; channel: string; direction: string; text: string; received_at: Date; location: unknown }[];
    triage: (Record<string, unknown> & { created_at: Date }) | undefined;
    history: { at: Date; actor_type: string; actor_id: string | null; actor_name: string | null; action: string; data: Record<string, unknown> }[];
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
    /** The internal notes, for those who may read them (null: not shown). */
    notes?: NoteView[] | null;
  },
  /** The time now (ctx.now()), for the deadline's state. */
  now: Date = new Date(),
) {
  const lang = (user.locale as Language) ?? city.city.default_language;
  const open = isTicketStatus(t.status) && OPEN_STATUSES.has(t.status);
  return {
    ...presentTicketListItem(city, t, lang, now),
    // The deadline in both terms: its state, working time left, the resident's phrase and the operator's (ru/kk/en).
    deadline_view: deadlineView(city, t, now),
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
    // The organisation's work: when it accepted the ticket, whether the clock stands while the resident is asked.
    accepted_at: iso(city, t.accepted_at),
    paused_at: iso(city, t.paused_at),
    paused_minutes: t.paused_minutes,
    handback_count: t.handback_count,
    notes: extra.notes ? extra.notes.map((n) => presentNote(city, t.number, n)) : null,
    actions: isTicketStatus(t.status) ? allowedActions(t.status).filter((a) => can(user, a, t)) : [],
    can_comment: can(user, 'comment', t),
    can_attach: can(user, 'attach', t),
    resolve_needs_proof: proofRequired(city, user),
    // Grouping from the ticket's card, checked as the incident routes check it; only an open ticket joins an incident.
    incident_may: {
      merge: t.incident_id === null && open && canIncident(user, 'merge'),
      create: t.incident_id === null && open && canIncident(user, 'create'),
      split: t.incident_id !== null && canIncident(user, 'split'),
    },
  };
}

/** A note for staff; its photos are links to the authenticated file route, never inline bytes. */
function presentNote(city: City, number: string, n: NoteView) {
  return {
    id: n.id,
    kind: n.kind,
    text: n.text,
    author: n.author,
    created_at: iso(city, n.created_at),
    files: n.files.map((f) => ({ ...f, url: `/api/v1/tickets/${encodeURIComponent(number)}/files/${f.id}` })),
  };
}

export function presentUser(u: StaffUser) {
  return { id: u.id, email: u.email, name: u.name, locale: u.locale, roles: u.roles, organisations: u.organisations };
}
