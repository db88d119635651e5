// Pipeline stage "route": decides the responsible organisation for a triaged message and opens its ticket.
// Confident decisions are routed at once; uncertain ones wait in the centre's queue for an operator.

import type { Language, Urgency } from '../config/schema.js';
import type { Context } from '../context.js';
import { openTicket } from '../tickets/commands.js';

export async function routeMessage(ctx: Context, messageId: number): Promise<void> {
  const row = await ctx.db
    .selectFrom('messages as m')
    .innerJoin('message_triage as t', 't.message_id', 'm.id')
    .select([
      'm.id',
      'm.channel',
      'm.stage',
      'm.resident_id',
      'm.received_at',
      'm.audience',
      'm.text',
      't.kind',
      't.category',
      't.confidence',
      't.district',
      't.urgency',
      't.address',
      't.lat',
      't.lon',
      't.explanation',
    ])
    .where('m.id', '=', messageId)
    .executeTakeFirst();
  if (!row || row.stage !== 'triaged') return; // not triaged yet, or already done

  const { city } = ctx;
  // Heard in public but not actionable (thanks, noise…): kept for analytics, no ticket.
  if (row.audience === 'public' && !city.city.public_ticket_kinds.includes(row.kind as (typeof city.city.public_ticket_kinds)[number])) {
    await ctx.db
      .updateTable('messages')
      .set({ stage: 'done', no_ticket_reason: `kind:${row.kind}` })
      .where('id', '=', row.id)
      .where('stage', '=', 'triaged')
      .execute();
    return;
  }
  const confident = row.category !== null && row.confidence >= city.city.auto_route_min_confidence;
  // The address the triage stored ("Кенесары, 40": the gazetteer's name of the street, never the flat) is read back
  // into a street and house, so a rule's street range or the building registry can be asked about it.
  const decision = confident
    ? city.router.route(
        { category: row.category, district: row.district, text: row.text, place: city.router.streets?.place(row.address) ?? null },
        city.city.fallback_organisation,
      )
    : {
        organisation: city.city.fallback_organisation,
        rule: null,
        trace: [
          {
            rule: -1,
            matched: true,
            why: `confidence ${row.confidence} below ${city.city.auto_route_min_confidence}: an operator decides`,
            says: [
              {
                key: 'unsure',
                vars: { confidence: Math.round(row.confidence * 100), threshold: Math.round(city.city.auto_route_min_confidence * 100) },
              },
            ],
          },
        ],
      };
  await openTicket(ctx, {
    messageId: row.id,
    channel: row.channel,
    residentId: row.resident_id,
    receivedAt: row.received_at,
    category: row.category,
    district: row.district,
    address: row.address,
    lat: row.lat,
    lon: row.lon,
    urgency: row.urgency as Urgency,
    language: (row.explanation.reply_language as Language | undefined) ?? city.city.default_language,
    organisation: decision.organisation,
    routed: confident,
    trace: decision.trace,
  });
}
