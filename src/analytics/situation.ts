// The situation centre's figures: KPIs of a period (received, open, overdue, at risk, medians to first response
// and to resolution, share resolved on time, residents' rating, reopens) for the whole city, per organisation and
// per district; the league table; the trend of appeals per category and day. Each figure is one SQL aggregate
// with GROUPING SETS (city, organisation, district in one pass) over indexed time columns (0016_situation.sql), so
// it stays fast on a city's years of tickets. "At risk" needs the deadline forecast, so it is counted in
// situation-risk.ts over the few open tickets near their deadline.
import { sql } from 'kysely';
import type { City } from '../config/load.js';
import type { Localized } from '../config/schema.js';
import type { Context } from '../context.js';
import { localDate } from '../sla/calendar.js';
import type { Database } from '../store/db.js';
import { OPEN_STATUSES, PAUSED_STATUSES } from '../tickets/lifecycle.js';
import { riskOf } from './situation-risk.js';

const DAY = 86_400_000;

export interface Period {
  from: Date;
  to: Date;
}

export interface Kpis {
  /** Tickets received in the period. */
  received: number;
  /** Open now, overdue now (running clock, past the deadline), at risk now. */
  open: number;
  overdue: number;
  at_risk: number;
  /** Resolved in the period, and how many of those by their deadline. */
  resolved: number;
  resolved_on_time: number;
  /** resolved_on_time / resolved (tickets with a deadline); null when nothing was resolved. */
  on_time_share: number | null;
  /** Median calendar minutes from receipt to acceptance (first response), over tickets accepted in the period. */
  median_first_response_minutes: number | null;
  /** Median calendar minutes from receipt to resolution, over tickets resolved in the period. */
  median_resolution_minutes: number | null;
  /** Residents' ratings given in the period, and their average (1–5). */
  ratings: number;
  average_rating: number | null;
  /** Reopenings by residents of the tickets received, accepted or resolved in the period. */
  reopens: number;
}

export interface KpiRow extends Kpis {
  id: string | null;
  name: Localized | null;
}

export interface SituationKpis {
  overall: Kpis;
  organisations: KpiRow[];
  districts: KpiRow[];
}

export const KPI_KEYS = [
  'received',
  'open',
  'overdue',
  'at_risk',
  'resolved',
  'on_time_share',
  'median_first_response_minutes',
  'median_resolution_minutes',
  'average_rating',
  'ratings',
  'reopens',
] as const satisfies readonly (keyof Kpis)[];
export type KpiKey = (typeof KPI_KEYS)[number];

/** Today in the city's time: from local midnight to the next. */
export function today(city: City, now: Date): Period {
  const from = new Date(Date.parse(`${localDate(city.calendar, now)}T00:00:00Z`) - city.calendar.utcOffsetMinutes * 60_000);
  return { from, to: new Date(from.getTime() + DAY) };
}

type Grouped<T> = T & { organisation_id: string | null; district: string | null; g_org: number; g_district: number };

/** Splits GROUPING SETS ((organisation_id), (district), ()) rows into the city's, per organisation, per district. */
function split<T>(rows: Grouped<T>[]) {
  const out = { overall: undefined as T | undefined, organisations: new Map<string | null, T>(), districts: new Map<string | null, T>() };
  for (const r of rows) {
    if (Number(r.g_org) === 0) out.organisations.set(r.organisation_id, r);
    else if (Number(r.g_district) === 0) out.districts.set(r.district, r);
    else out.overall = r;
  }
  return out;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const minutes = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) / 60));

interface FlowRow {
  received: string;
  resolved: string;
  resolved_due: string;
  resolved_on_time: string;
  first_response_s: number | null;
  resolution_s: number | null;
  reopens: string;
}
interface NowRow {
  open: string;
  overdue: string;
}
interface RatingRow {
  ratings: string;
  average: number | string | null;
}

const GROUPS = sql`GROUP BY GROUPING SETS ((t.organisation_id), (t.district), ())`;
const KEYS = sql`t.organisation_id, t.district, GROUPING(t.organisation_id) AS g_org, GROUPING(t.district) AS g_district`;

/** What moved in the period: received, accepted, resolved. Each part of the OR has its own index. */
async function flows(db: Database, p: Period) {
  const inP = (col: string) => sql`(${sql.ref(col)} >= ${p.from} AND ${sql.ref(col)} < ${p.to})`;
  const { rows } = await sql<Grouped<FlowRow>>`
    SELECT ${KEYS},
      count(*) FILTER (WHERE ${inP('t.created_at')}) AS received,
      count(*) FILTER (WHERE ${inP('t.resolved_at')}) AS resolved,
      count(*) FILTER (WHERE ${inP('t.resolved_at')} AND t.resolution_due IS NOT NULL) AS resolved_due,
      count(*) FILTER (WHERE ${inP('t.resolved_at')} AND t.resolved_at <= t.resolution_due) AS resolved_on_time,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.accepted_at - t.created_at))
        FILTER (WHERE ${inP('t.accepted_at')}) AS first_response_s,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.resolved_at - t.created_at))
        FILTER (WHERE ${inP('t.resolved_at')}) AS resolution_s,
      coalesce(sum(t.reopen_count), 0) AS reopens
    FROM tickets t
    WHERE ${inP('t.created_at')} OR ${inP('t.accepted_at')} OR ${inP('t.resolved_at')}
    ${GROUPS}`.execute(db);
  return split(rows);
}

/** The state now: open tickets, and those whose running clock is past the deadline (the open-tickets index). */
async function standing(db: Database, now: Date) {
  const open = [...OPEN_STATUSES];
  const paused = [...PAUSED_STATUSES];
  const { rows } = await sql<Grouped<NowRow>>`
    SELECT ${KEYS},
      count(*) AS open,
      count(*) FILTER (WHERE t.resolution_due < ${now} AND t.paused_at IS NULL AND t.status NOT IN (${sql.join(paused)})) AS overdue
    FROM tickets t
    WHERE t.status IN (${sql.join(open)})
    ${GROUPS}`.execute(db);
  return split(rows);
}

async function ratings(db: Database, p: Period) {
  const { rows } = await sql<Grouped<RatingRow>>`
    SELECT ${KEYS}, count(*) AS ratings, avg(r.score) AS average
    FROM ratings r JOIN tickets t ON t.id = r.ticket_id
    WHERE r.created_at >= ${p.from} AND r.created_at < ${p.to}
    ${GROUPS}`.execute(db);
  return split(rows);
}

function kpis(f?: FlowRow, s?: NowRow, r?: RatingRow, atRisk = 0): Kpis {
  const due = num(f?.resolved_due);
  const onTime = num(f?.resolved_on_time);
  return {
    received: num(f?.received),
    open: num(s?.open),
    overdue: num(s?.overdue),
    at_risk: atRisk,
    resolved: num(f?.resolved),
    resolved_on_time: onTime,
    on_time_share: due ? Math.round((onTime / due) * 1000) / 1000 : null,
    median_first_response_minutes: minutes(f?.first_response_s),
    median_resolution_minutes: minutes(f?.resolution_s),
    ratings: num(r?.ratings),
    average_rating: r?.average == null ? null : Math.round(Number(r.average) * 100) / 100,
    reopens: num(f?.reopens),
  };
}

export async function situationKpis(ctx: Context, period: Period, now: Date): Promise<SituationKpis> {
  const { city, db } = ctx;
  const [f, s, r, risk] = await Promise.all([flows(db, period), standing(db, now), ratings(db, period), riskOf(ctx, now)]);
  const count = (pick: (x: { organisation: string | null; district: string | null }) => string | null, id: string | null) =>
    risk.atRisk.filter((x) => pick(x) === id).length;
  const row = (kind: 'organisations' | 'districts', id: string | null, name: Localized | null): KpiRow => ({
    id,
    name,
    ...kpis(
      f[kind].get(id),
      s[kind].get(id),
      r[kind].get(id),
      count((x) => (kind === 'organisations' ? x.organisation : x.district), id),
    ),
  });
  // Every configured organisation and district, quiet ones too; tickets with no district (no place given) last.
  const districts = city.city.districts.map((d) => row('districts', d.id, d.name));
  if (f.districts.has(null) || s.districts.has(null)) districts.push(row('districts', null, null));
  return {
    overall: kpis(f.overall, s.overall, r.overall, risk.atRisk.length),
    organisations: city.organisations.map((o) => row('organisations', o.id, o.name)),
    districts,
  };
}

/** Per district: open, overdue and at-risk tickets now, for the map's shading. */
export async function districtCounts(ctx: Context, now: Date) {
  const [s, risk] = await Promise.all([standing(ctx.db, now), riskOf(ctx, now)]);
  return ctx.city.city.districts.map((d) => {
    const r = s.districts.get(d.id);
    return { id: d.id, open: num(r?.open), overdue: num(r?.overdue), at_risk: risk.atRisk.filter((x) => x.district === d.id).length };
  });
}

/** Rows sorted by one KPI (missing figures last), best-to-worst direction chosen by the caller; ranks from 1. */
export function league(rows: KpiRow[], by: KpiKey, dir: 'asc' | 'desc'): (KpiRow & { rank: number })[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const x = a[by];
      const y = b[by];
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      return (x - y) * sign || String(a.id).localeCompare(String(b.id));
    })
    .map((r, i) => ({ ...r, rank: i + 1 }));
}

export interface Trend {
  /** YYYY-MM-DD, oldest first, in the city's time. */
  days: string[];
  categories: { code: string | null; counts: number[]; total: number }[];
}

/** Appeals received per category per local day over the last `days` days (today included). */
export async function trends(db: Database, city: City, now: Date, days: number): Promise<Trend> {
  const start = new Date(today(city, now).from.getTime() - (days - 1) * DAY);
  const offsetS = city.calendar.utcOffsetMinutes * 60;
  const { rows } = await sql<{ category: string | null; day: number | string; n: string }>`
    SELECT t.category, floor((extract(epoch FROM t.created_at) + ${offsetS}) / 86400) AS day, count(*) AS n
    FROM tickets t
    WHERE t.created_at >= ${start} AND t.created_at < ${new Date(start.getTime() + days * DAY)}
    GROUP BY 1, 2`.execute(db);
  const first = Math.floor((start.getTime() / 1000 + offsetS) / 86400);
  const dayList = Array.from({ length: days }, (_, i) => new Date((first + i) * DAY).toISOString().slice(0, 10));
  const byCat = new Map<string | null, number[]>();
  for (const r of rows) {
    const counts = byCat.get(r.category) ?? new Array(days).fill(0);
    const i = Number(r.day) - first;
    if (i >= 0 && i < days) counts[i] += Number(r.n);
    byCat.set(r.category, counts);
  }
  const categories = [...byCat]
    .map(([code, counts]) => ({ code, counts, total: counts.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || String(a.code).localeCompare(String(b.code)));
  return { days: dayList, categories };
}
