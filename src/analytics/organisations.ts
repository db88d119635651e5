// How each organisation is doing with its tickets, for the situation centre: how many are open, how many it
// resolved, how many residents sent back (reopened) and how residents rated the work. One grouped query.
import { sql } from 'kysely';
import type { City } from '../config/load.js';
import type { Localized } from '../config/schema.js';
import type { Database } from '../store/db.js';
import { OPEN_STATUSES } from '../tickets/lifecycle.js';

export interface OrganisationStats {
  id: string;
  name: Localized;
  /** Every ticket the organisation holds now (in the period, by when the ticket was opened). */
  tickets: number;
  open: number;
  /** Resolved or closed now. */
  resolved: number;
  /** Tickets resolved at least once: those the resident could confirm or reopen. */
  ever_resolved: number;
  /** Tickets residents reopened at least once, and how many reopenings in all. */
  reopened: number;
  reopens: number;
  /** reopened / ever_resolved; null while nothing was resolved. */
  reopen_rate: number | null;
  ratings: number;
  average_rating: number | null;
}

export interface StatsPeriod {
  from?: Date | undefined;
  to?: Date | undefined;
}

export async function organisationStats(db: Database, city: City, period: StatsPeriod = {}): Promise<OrganisationStats[]> {
  const open = [...OPEN_STATUSES];
  let q = db
    .selectFrom('tickets as t')
    .leftJoin('ratings as r', 'r.ticket_id', 't.id')
    .select('t.organisation_id')
    .select((eb) => [
      eb.fn.countAll<string>().as('tickets'),
      sql<string>`count(*) filter (where t.status in (${sql.join(open)}))`.as('open'),
      sql<string>`count(*) filter (where t.status in ('resolved', 'closed') and t.resolved_at is not null)`.as('resolved'),
      sql<string>`count(*) filter (where t.resolved_at is not null or t.reopen_count > 0)`.as('ever_resolved'),
      sql<string>`count(*) filter (where t.reopen_count > 0)`.as('reopened'),
      sql<string>`coalesce(sum(t.reopen_count), 0)`.as('reopens'),
      eb.fn.count<string>('r.ticket_id').as('ratings'),
      sql<string | null>`avg(r.score)`.as('average_rating'),
    ])
    .where('t.organisation_id', 'is not', null)
    .groupBy('t.organisation_id');
  if (period.from) q = q.where('t.created_at', '>=', period.from);
  if (period.to) q = q.where('t.created_at', '<', period.to);
  const rows = new Map((await q.execute()).map((r) => [r.organisation_id, r]));
  // Every organisation of the city, those with no tickets too: a quiet organisation is a figure as well.
  return city.organisations.map((o) => {
    const r = rows.get(o.id);
    const everResolved = Number(r?.ever_resolved ?? 0);
    const reopened = Number(r?.reopened ?? 0);
    return {
      id: o.id,
      name: o.name,
      tickets: Number(r?.tickets ?? 0),
      open: Number(r?.open ?? 0),
      resolved: Number(r?.resolved ?? 0),
      ever_resolved: everResolved,
      reopened,
      reopens: Number(r?.reopens ?? 0),
      reopen_rate: everResolved ? Math.round((reopened / everResolved) * 1000) / 1000 : null,
      ratings: Number(r?.ratings ?? 0),
      average_rating: r?.average_rating == null ? null : Math.round(Number(r.average_rating) * 100) / 100,
    };
  });
}
