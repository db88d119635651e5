// Open data: what residents reported and what the city did, with no personal data. One record per ticket built
// only from the city's own classification (category, district, organisation, status, dates, deadline) and a
// location snapped to a grid cell; never the resident's words, contacts, address or exact point. Also the counts
// by district × category × status behind the public map.
import type { City } from '../config/load.js';
import type { Language } from '../config/schema.js';
import { formatLocal } from '../sla/calendar.js';
import type { Database } from '../store/db.js';
import { OPEN_STATUSES, type TicketStatus } from '../tickets/lifecycle.js';
import { suppressSmallCells } from './privacy.js';

export interface PublicFilter {
  from?: Date | undefined;
  /** Exclusive. */
  to?: Date | undefined;
  districts?: string[] | undefined;
  categories?: string[] | undefined;
  statuses?: string[] | undefined;
}

/** The grid a reported point is snapped to: cells of about this many metres a side; the record gives the cell's centre. */
export const GRID_METRES = 150;
const METRES_PER_DEGREE = 111_320;

/**
 * The centre of the ~150 m cell a point falls in. Latitude rows are a fixed step; each row's longitude step is
 * widened by 1/cos(latitude) so cells stay square at any city's latitude. A cell holds dozens of buildings in a
 * city, so the point no longer says which house the resident lives in or stood at.
 */
export function coarsen(lat: number | null, lon: number | null): { lat: number; lon: number } | null {
  if (lat === null || lon === null || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  const latStep = GRID_METRES / METRES_PER_DEGREE;
  const row = Math.floor(lat / latStep);
  const rowCentre = (row + 0.5) * latStep;
  const lonStep = latStep / Math.max(0.01, Math.cos((rowCentre * Math.PI) / 180));
  const lonCentre = (Math.floor(lon / lonStep) + 0.5) * lonStep;
  const round = (x: number) => Math.round(x * 1e5) / 1e5;
  return { lat: round(rowCentre), lon: round(lonCentre) };
}

/** The organisation the public sees: a housing company serves one building, so naming it would name the house;
 * such tickets show the organisation that supervises it (the housing department) instead. */
export function publicOrganisation(city: City, id: string | null): City['organisations'][number] | null {
  const byId = (x: string | undefined) => (x ? city.organisations.find((o) => o.id === x) : undefined);
  let org = byId(id ?? undefined);
  for (let hops = 0; org && org.kind === 'housing' && hops < 10; hops++) org = byId(org.parent);
  return org && org.kind !== 'housing' ? org : null;
}

export interface PublicReport {
  number: string;
  category: string | null;
  category_name: string | null;
  district: string | null;
  district_name: string | null;
  status: string;
  organisation: string | null;
  organisation_name: string | null;
  created_at: string;
  resolved_at: string | null;
  closed_at: string | null;
  deadline: string | null;
  /** true: resolved by the deadline; false: resolved late, or still open past it; null: not decided yet or no deadline. */
  deadline_met: boolean | null;
  /** The centre of the grid cell (GRID_METRES) the reported point falls in; null when the resident gave none. */
  lat: number | null;
  lon: number | null;
}

// Only the columns the public may see are selected: nothing else can leak by a presenter's mistake.
const COLUMNS = [
  'id',
  'number',
  'category',
  'district',
  'status',
  'organisation_id',
  'lat',
  'lon',
  'created_at',
  'resolved_at',
  'closed_at',
  'resolution_due',
] as const;

function filtered(db: Database, f: PublicFilter) {
  let q = db.selectFrom('tickets');
  if (f.from) q = q.where('created_at', '>=', f.from);
  if (f.to) q = q.where('created_at', '<', f.to);
  if (f.districts?.length) q = q.where('district', 'in', f.districts);
  if (f.categories?.length) q = q.where('category', 'in', f.categories);
  if (f.statuses?.length) q = q.where('status', 'in', f.statuses);
  return q;
}

export async function countReports(db: Database, f: PublicFilter): Promise<number> {
  const r = await filtered(db, f)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function publicReports(db: Database, city: City, f: PublicFilter, page: { limit: number; offset: number }, lang: Language, now: Date) {
  const rows = await filtered(db, f)
    .select([...COLUMNS])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((t) => presentReport(city, t, lang, now));
}

export interface ReportRow {
  number: string;
  category: string | null;
  district: string | null;
  status: string;
  organisation_id: string | null;
  lat: number | null;
  lon: number | null;
  created_at: Date;
  resolved_at: Date | null;
  closed_at: Date | null;
  resolution_due: Date | null;
}

export function deadlineMet(t: Pick<ReportRow, 'status' | 'resolved_at' | 'resolution_due'>, now: Date): boolean | null {
  if (!t.resolution_due) return null;
  const due = t.resolution_due.getTime();
  if (t.resolved_at && (t.status === 'resolved' || t.status === 'closed')) return t.resolved_at.getTime() <= due;
  if (OPEN_STATUSES.has(t.status as TicketStatus)) return now.getTime() > due ? false : null;
  return null;
}

export function presentReport(city: City, t: ReportRow, lang: Language, now: Date): PublicReport {
  const iso = (d: Date | null) => (d ? formatLocal(city.calendar, d) : null);
  const category = city.categories.find((c) => c.code === t.category);
  const district = city.city.districts.find((d) => d.id === t.district);
  const org = publicOrganisation(city, t.organisation_id);
  const cell = coarsen(t.lat === null ? null : Number(t.lat), t.lon === null ? null : Number(t.lon));
  return {
    number: t.number,
    category: t.category,
    category_name: category?.name[lang] ?? null,
    district: t.district,
    district_name: district?.name[lang] ?? null,
    status: t.status,
    organisation: org?.id ?? null,
    organisation_name: org?.name[lang] ?? null,
    created_at: formatLocal(city.calendar, t.created_at),
    resolved_at: iso(t.resolved_at),
    closed_at: iso(t.closed_at),
    deadline: iso(t.resolution_due),
    deadline_met: deadlineMet(t, now),
    lat: cell?.lat ?? null,
    lon: cell?.lon ?? null,
  };
}

export interface SummaryGroup {
  district: string | null;
  category: string | null;
  status: string;
  count: number;
  /** Distinct residents behind the cell; cells of fewer than 5 are published suppressed (src/analytics/privacy.ts). */
  residents: number;
}

interface Tally {
  total: number;
  open: number;
  resolved: number;
  /** Resolved tickets that had a deadline, and those of them resolved by it. */
  timed: number;
  on_time: number;
}

const blank = (): Tally => ({ total: 0, open: 0, resolved: 0, timed: 0, on_time: 0 });
const share = (t: Tally) => (t.timed ? Math.round((t.on_time / t.timed) * 1000) / 1000 : null);

/** Counts by district × category × status, and per district, per category and for the city: open, resolved and the
 * share resolved on time. */
export async function publicSummary(db: Database, city: City, f: PublicFilter, lang: Language) {
  const rows = await filtered(db, f)
    .select(['district', 'category', 'status'])
    .select((eb) => [
      eb.fn.countAll<string>().as('n'),
      eb.fn.count<string>('resident_id').distinct().as('residents'),
      eb.fn
        .count<string>('resolved_at')
        .filterWhere('resolution_due', 'is not', null)
        .filterWhere('status', 'in', ['resolved', 'closed'])
        .as('timed'),
      eb.fn
        .count<string>('resolved_at')
        .filterWhere('status', 'in', ['resolved', 'closed'])
        .filterWhere((w) => w('resolved_at', '<=', w.ref('resolution_due')))
        .as('on_time'),
    ])
    .groupBy(['district', 'category', 'status'])
    .execute();
  const all = blank();
  const byDistrict = new Map<string | null, Tally>();
  const byCategory = new Map<string | null, Tally>();
  const groups: SummaryGroup[] = [];
  for (const r of rows) {
    const n = Number(r.n);
    groups.push({ district: r.district, category: r.category, status: r.status, count: n, residents: Number(r.residents) });
    for (const [map, key] of [
      [byDistrict, r.district],
      [byCategory, r.category],
    ] as const) {
      if (!map.has(key)) map.set(key, blank());
    }
    for (const tally of [all, byDistrict.get(r.district) as Tally, byCategory.get(r.category) as Tally]) {
      tally.total += n;
      if (OPEN_STATUSES.has(r.status as TicketStatus)) tally.open += n;
      if (r.status === 'resolved' || r.status === 'closed') tally.resolved += n;
      tally.timed += Number(r.timed);
      tally.on_time += Number(r.on_time);
    }
  }
  const out = (t: Tally) => ({ ...t, on_time_share: share(t) });
  groups.sort((a, b) => b.count - a.count || String(a.district).localeCompare(String(b.district)));
  return {
    totals: out(all),
    // Every district of the city, quiet ones too; tickets without a district last.
    districts: [
      ...city.city.districts.map((d) => ({ id: d.id, name: d.name[lang], ...out(byDistrict.get(d.id) ?? blank()) })),
      ...(byDistrict.has(null) ? [{ id: null, name: null, ...out(byDistrict.get(null) as Tally) }] : []),
    ],
    categories: [...byCategory.entries()]
      .map(([code, t]) => ({ code, name: city.categories.find((c) => c.code === code)?.name[lang] ?? null, ...out(t) }))
      .sort((a, b) => b.total - a.total),
    // A district × category × status cell of fewer than 5 residents could point at someone: its count is withheld.
    // Withheld cells go last in a fixed order, so their place in the list does not hint at their size either.
    groups: suppressSmallCells(groups, ['count']).sort(
      (a, b) =>
        Number(a.suppressed) - Number(b.suppressed) ||
        (b.count ?? 0) - (a.count ?? 0) ||
        `${a.district}|${a.category}|${a.status}`.localeCompare(`${b.district}|${b.category}|${b.status}`),
    ),
  };
}
