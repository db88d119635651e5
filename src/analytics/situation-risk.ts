// Which open tickets are at risk or overdue now, for the situation centre's counts, its at-risk list and the map's
// colours. "At risk" is the deadline forecast's word (sla/forecast.ts, with the organisation's history), so it is
// computed here in code over the few running tickets due before the forecast's horizon, never over the whole table.
import { type Selectable, sql } from 'kysely';
import type { Context } from '../context.js';
import { formatLocal } from '../sla/calendar.js';
import { atRiskHorizon, longestTarget } from '../sla/forecast.js';
import { resolutionMedians } from '../sla/history.js';
import { deadlineView } from '../sla/view.js';
import type { TicketsTable } from '../store/schema.js';
import { OPEN_STATUSES, PAUSED_STATUSES } from '../tickets/lifecycle.js';

const RUNNING = [...OPEN_STATUSES].filter((s) => !PAUSED_STATUSES.has(s));

const COLUMNS = [
  'id',
  'number',
  'status',
  'category',
  'urgency',
  'organisation_id',
  'district',
  'created_at',
  'updated_at',
  'resolution_due',
  'resolved_at',
  'closed_at',
  'paused_at',
  'paused_minutes',
] as const;

export interface RiskyTicket {
  id: number;
  number: string;
  status: string;
  category: string | null;
  urgency: string;
  organisation: string | null;
  district: string | null;
  due: Date;
  state: 'at_risk' | 'overdue';
  remaining_working_minutes: number;
  operator: Record<'ru' | 'kk' | 'en', string>;
}

/** Running tickets due between now and the forecast's horizon whose forecast says "at risk". */
export async function riskOf(ctx: Context, now: Date): Promise<{ atRisk: RiskyTicket[] }> {
  const { city } = ctx;
  const medians = await resolutionMedians(ctx, now);
  const horizon = atRiskHorizon(city.calendar, city.escalation.at_risk, longestTarget(city.calendar, city.sla.targets), medians.longest, now);
  const rows = await ctx.db
    .selectFrom('tickets')
    .select(COLUMNS)
    .where('status', 'in', RUNNING)
    .where('paused_at', 'is', null)
    .where('resolution_due', '>', now)
    .where('resolution_due', '<=', horizon)
    .execute();
  const atRisk: RiskyTicket[] = [];
  for (const t of rows) {
    const v = deadlineView(city, t, now, medians.get(t.organisation_id, t.category));
    if (v?.state === 'at_risk') atRisk.push(risky(t, v.remaining_working_minutes, 'at_risk', v.operator));
  }
  return { atRisk };
}

type Row = Pick<Selectable<TicketsTable>, (typeof COLUMNS)[number]>;

function risky(t: Row, remaining: number, state: RiskyTicket['state'], operator: RiskyTicket['operator']): RiskyTicket {
  return {
    id: t.id,
    number: t.number,
    status: t.status,
    category: t.category,
    urgency: t.urgency,
    organisation: t.organisation_id,
    district: t.district,
    due: t.resolution_due as Date,
    state,
    remaining_working_minutes: remaining,
    operator,
  };
}

/** The at-risk list: overdue and at-risk running tickets, the soonest (most overdue) deadline first. */
export async function atRiskList(ctx: Context, now: Date, limit: number) {
  const { city } = ctx;
  const [{ atRisk }, overdueRows] = await Promise.all([
    riskOf(ctx, now),
    ctx.db
      .selectFrom('tickets')
      .select(COLUMNS)
      .where('status', 'in', RUNNING)
      .where('paused_at', 'is', null)
      .where('resolution_due', '<=', now)
      .orderBy('resolution_due')
      .orderBy('id')
      .limit(limit)
      .execute(),
  ]);
  const overdue = overdueRows.flatMap((t) => {
    const v = deadlineView(city, t, now);
    return v ? [risky(t, v.remaining_working_minutes, 'overdue', v.operator)] : [];
  });
  const all = [...overdue, ...atRisk].sort((a, b) => a.due.getTime() - b.due.getTime() || a.id - b.id).slice(0, limit);
  const total = await ctx.db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', 'in', RUNNING)
    .where('paused_at', 'is', null)
    .where('resolution_due', '<=', now)
    .executeTakeFirst();
  return {
    total: Number(total?.n ?? 0) + atRisk.length,
    tickets: all.map(({ id: _id, due, ...t }) => ({ ...t, due: formatLocal(city.calendar, due) })),
  };
}

/** The map: open tickets with a place (no text, no resident), live incidents with their place and size. */
export async function mapData(ctx: Context, now: Date, limit: number) {
  const { city } = ctx;
  const [{ atRisk }, tickets, incidents] = await Promise.all([
    riskOf(ctx, now),
    ctx.db
      .selectFrom('tickets')
      .select([
        'id',
        'number',
        'lat',
        'lon',
        'category',
        'status',
        'urgency',
        'district',
        'organisation_id',
        'resolution_due',
        'paused_at',
        'incident_id',
      ])
      .where('status', 'in', [...OPEN_STATUSES])
      .where('lat', 'is not', null)
      .where('lon', 'is not', null)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute(),
    sql<{
      id: string;
      status: string;
      category: string | null;
      district: string | null;
      organisation_id: string | null;
      lat: number | null;
      lon: number | null;
      created_at: Date;
      n: string;
    }>`
      SELECT i.id, i.status, i.category, i.district, i.organisation_id, i.created_at,
        -- An incident grouped from tickets without a stored centroid stands where its located tickets are.
        coalesce(i.lat, (SELECT avg(t.lat) FROM tickets t WHERE t.incident_id = i.id)) AS lat,
        coalesce(i.lon, (SELECT avg(t.lon) FROM tickets t WHERE t.incident_id = i.id)) AS lon,
        (SELECT count(*) FROM tickets t WHERE t.incident_id = i.id) AS n
      FROM incidents i
      WHERE i.dissolved_at IS NULL AND i.status IN (${sql.join([...OPEN_STATUSES])})
      ORDER BY i.created_at DESC
      LIMIT 500`.execute(ctx.db),
  ]);
  const risky = new Set(atRisk.map((t) => t.id));
  const stateOf = (t: (typeof tickets)[number]) =>
    t.paused_at || PAUSED_STATUSES.has(t.status as never)
      ? 'paused'
      : t.resolution_due && t.resolution_due.getTime() <= now.getTime()
        ? 'overdue'
        : risky.has(t.id)
          ? 'at_risk'
          : 'on_track';
  return {
    tickets: tickets.map((t) => ({
      number: t.number,
      lat: t.lat,
      lon: t.lon,
      category: t.category,
      status: t.status,
      urgency: t.urgency,
      state: stateOf(t),
      district: t.district,
      organisation: t.organisation_id,
      incident: t.incident_id,
    })),
    incidents: incidents.rows.map((i) => ({
      number: i.id,
      status: i.status,
      category: i.category,
      district: i.district,
      organisation: i.organisation_id,
      // Grouped by address alone, with no point anywhere: shown at its district's label point, marked approximate.
      point:
        i.lat !== null && i.lon !== null ? { lat: Number(i.lat), lon: Number(i.lon), approximate: false } : districtPoint(city.geojson, i.district),
      tickets: Number(i.n),
      created_at: formatLocal(city.calendar, new Date(i.created_at)),
    })),
  };
}

/** The label point a district's polygon carries in the configuration (`properties.labelPosition`: [lat, lon]). */
function districtPoint(geojson: unknown, district: string | null) {
  if (!district) return null;
  const features = (geojson as { features?: { properties?: { id?: string; labelPosition?: [number, number] } }[] })?.features ?? [];
  const at = features.find((f) => f.properties?.id === district)?.properties?.labelPosition;
  return at ? { lat: at[0], lon: at[1], approximate: true } : null;
}
