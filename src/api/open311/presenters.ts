// Open311 views of the city's categories and tickets. No personal data: no names, contacts or flat numbers.
import type { City } from '../../config/load.js';
import type { Language } from '../../config/schema.js';
import { orgName } from '../../outbox/templates.js';
import { redactPersonalData } from '../../privacy.js';
import { formatLocal } from '../../sla/calendar.js';
import { isTicketStatus, OPEN_STATUSES } from '../../tickets/lifecycle.js';
import type { PublicTexts, TicketRow } from '../../tickets/repository.js';

type Category = City['categories'][number];

export function presentService(c: Category, lang: Language) {
  return {
    service_code: c.code,
    service_name: c.name[lang],
    description: c.description[lang],
    metadata: true,
    type: 'realtime',
    keywords: [...c.keywords[lang].slice(0, 5)].join(','),
    group: c.group,
  };
}

/** Every service takes one optional attribute: whether there is a danger to life or health (sets urgency). */
export function serviceDefinition(code: string, _lang: Language) {
  return {
    service_code: code,
    attributes: [
      {
        variable: true,
        code: 'danger',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: 'yes or no',
        order: 1,
        description: 'Is there a danger to life or health (gas smell, live wire, people trapped, open manhole)?',
        values: [
          { key: 'yes', name: 'Yes' },
          { key: 'no', name: 'No' },
        ],
      },
    ],
  };
}

/** `texts` holds the resident's words and the city's latest reply, both masked here before they leave. */
export function presentRequest(city: City, t: TicketRow, texts: PublicTexts | undefined, lang: Language) {
  const iso = (d: Date | null) => (d ? formatLocal(city.calendar, d) : null);
  return {
    service_request_id: t.number,
    status: isTicketStatus(t.status) && OPEN_STATUSES.has(t.status) ? 'open' : 'closed',
    status_notes: texts?.lastReply ? redactPersonalData(texts.lastReply) : null,
    service_name: city.categories.find((c) => c.code === t.category)?.name[lang] ?? null,
    service_code: t.category,
    description: texts ? redactPersonalData(texts.description) : null,
    agency_responsible: t.organisation_id ? orgName(city, t.organisation_id, lang) : null,
    service_notice: null,
    requested_datetime: iso(t.created_at),
    updated_datetime: iso(t.updated_at),
    expected_datetime: iso(t.resolution_due),
    address: t.address ? redactPersonalData(t.address) : null,
    address_id: null,
    zipcode: null,
    lat: t.lat,
    long: t.lon,
    media_url: null,
  };
}
