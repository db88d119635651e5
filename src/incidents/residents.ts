// What the residents behind an incident hear beyond their own ticket's status messages (children.ts): a report that
// joins work already going on is told so once (`incident.joined`: others reported it, who is on it, by when), and
// a report an operator marked as a duplicate — the city promised to say when the problem is fixed — is told when
// its incident is resolved (`incident.duplicate_resolved`). Both in the resident's channel and language, with the
// city's templates, through the caller's change; a city without the template says nothing extra. Only the number,
// organisation, deadline and the executor's note go in: nothing about the other reporters.
import type { Language } from '../config/schema.js';
import type { Context } from '../context.js';
import type { Change } from '../outbox/change.js';
import { categoryName, hasTemplate, humanDeadline, orgName, render, templateKey } from '../outbox/templates.js';
import type { TicketRow } from '../tickets/repository.js';

export const JOINED = 'incident.joined';
export const DUPLICATE_RESOLVED = 'incident.duplicate_resolved';

type Told = Pick<TicketRow, 'id' | 'number' | 'channel' | 'resident_id' | 'language' | 'category' | 'organisation_id' | 'resolution_due'>;

function tell(change: Change, ctx: Context, t: Told, template: string, key: string, note: string) {
  const { city } = ctx;
  const lang = (t.language as Language) ?? city.city.default_language;
  const text = render(
    city,
    template,
    lang,
    {
      number: t.number,
      organisation: orgName(city, t.organisation_id, lang),
      category: categoryName(city, t.category, lang),
      deadline: t.resolution_due ? humanDeadline(city, t.resolution_due) : '',
      note,
    },
    t.category,
  );
  change.send({
    idempotencyKey: key,
    channel: t.channel,
    ticketId: t.id,
    target: { thread: t.number, resident_id: t.resident_id },
    payload: { text, language: lang, template, variant: templateKey(city, template, t.category) },
  });
}

/** Whether the city has words for a report joining work in progress (else the ticket's own status message goes). */
export const tellsJoined = (ctx: Context) => hasTemplate(ctx.city, JOINED);

/**
 * The report joined an incident in work. Once per ticket, whichever incident: a ticket an operator later moves
 * into another incident already knows the problem is being worked.
 */
export function tellJoined(change: Change, ctx: Context, t: Told, incident: string) {
  if (!tellsJoined(ctx)) return;
  tell(change, ctx, t, JOINED, `ticket:${t.number}:${JOINED}`, '');
  change.audit({ action: 'ticket.resident_told', entityType: 'ticket', entityId: t.number, data: { template: JOINED, incident } });
}

/**
 * The incident's resolution reaches the tickets marked as duplicates of it: each reporter hears the problem is
 * fixed, with the executor's note. Once per resolution (the incident's version): a reopened and fixed-again
 * problem is news again. Returns the numbers told.
 */
export function tellDuplicates(
  change: Change,
  ctx: Context,
  children: readonly TicketRow[],
  incident: { id: string; version: number; organisation_id: string | null },
  note: string,
): string[] {
  if (!hasTemplate(ctx.city, DUPLICATE_RESOLVED)) return [];
  const told = children.filter((t) => t.status === 'duplicate');
  for (const t of told) {
    // The organisation that fixed it is the incident's, whoever the duplicate was first routed to.
    const who = { ...t, organisation_id: incident.organisation_id ?? t.organisation_id };
    tell(change, ctx, who, DUPLICATE_RESOLVED, `incident:${incident.id}:v${incident.version}:${DUPLICATE_RESOLVED}:${t.number}`, note);
  }
  return told.map((t) => t.number);
}
