// What the resident who holds a ticket's access key sees: everything the public sees, plus their own conversation
// with the city, their rating, the confirmation window and what they may do next. No staff names, no internal
// notes, no routing or triage: those are the services' working papers, not the resident's.
import type { City } from '../config/load.js';
import type { Language } from '../config/schema.js';
import { formatLocal } from '../sla/calendar.js';
import type { TicketRow } from '../tickets/repository.js';
import { type ResidentData, residentChoices } from '../tickets/resident-view.js';
import { presentPublicTicket } from './presenters.js';

const iso = (city: City, d: Date | null) => (d ? formatLocal(city.calendar, d) : null);

export function presentResidentTicket(city: City, t: TicketRow, data: ResidentData, now: Date, lang?: Language) {
  const { replies: _public, ...base } = presentPublicTicket(city, t, [], lang);
  const can = residentChoices(city, t, now);
  return {
    ...base,
    resolved_at: iso(city, t.resolved_at),
    closed_at: iso(city, t.closed_at),
    reopen_count: t.reopen_count,
    conversation: data.conversation.map((m) => ({
      from: m.direction === 'in' ? ('resident' as const) : ('city' as const),
      text: m.text,
      at: iso(city, m.at),
      attachments: m.attachments,
    })),
    rating: data.rating,
    // The last moment the resident may still act (the end of the last day), as people read a deadline.
    window: can.window ? { days: can.window.days, ends_at: iso(city, new Date(can.window.ends_at.getTime() - 1000)), open: can.window.open } : null,
    can: { confirm: can.confirm, reopen: can.reopen, rate: can.rate, add_details: can.add_details },
  };
}
