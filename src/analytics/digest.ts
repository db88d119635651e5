// The daily digest's content: for one local day of the city, the KPIs of the city, the league table of
// organisations, the overdue tickets by organisation, the incidents and spikes of the day and the week's opinion
// changes on the analysts' questions (opinion-change.ts), gathered with the situation
// centre's queries (so the digest and the screen never disagree) and named in one language. Figures and ticket
// facts only: no resident's name, phone, e-mail, flat or words (the address is not shown either; the district is).
import type { Language } from '../config/schema.js';
import type { Context } from '../context.js';
import { listIncidents } from '../incidents/repository.js';
import { incidentTitle } from '../incidents/texts.js';
import { categoryName, orgName } from '../outbox/templates.js';
import { redactPersonalData } from '../privacy.js';
import { formatLocal, localDate } from '../sla/calendar.js';
import { OPEN_STATUSES } from '../tickets/lifecycle.js';
import { listTickets } from '../tickets/repository.js';
import { type DigestOpinion, gatherOpinionChanges, opinionWeeks } from './opinion-change.js';
import { DIGEST_KPIS } from './report-texts.js';
import { type Kpis, league, type Period, situationKpis, today } from './situation.js';

const DAY = 86_400_000;
/** The PDF lists this many overdue tickets; the XLSX has them all (up to the cap). */
export const OVERDUE_CAP = 5000;

export interface DigestOrganisation {
  rank: number;
  id: string;
  name: string;
  received: number;
  resolved: number;
  open: number;
  overdue: number;
  at_risk: number;
  on_time_share: number | null;
  average_rating: number | null;
}

export interface DigestOverdue {
  number: string;
  organisation: string;
  category: string;
  district: string;
  urgency: string;
  created_at: string;
  deadline: string;
  /** Whole hours past the deadline at the time of building. */
  hours_overdue: number;
}

export interface DigestIncident {
  number: string;
  status: string;
  title: string;
  category: string;
  district: string;
  organisation: string;
  tickets: number;
  opened_at: string;
}

export interface DigestSpike {
  category: string;
  district: string;
  /** From – to, city time. */
  window: string;
  observed: number;
  expected: number;
}

export interface Digest {
  city: string;
  /** YYYY-MM-DD, the city's time: the day the digest is about. */
  date: string;
  language: Language;
  /** When the standing figures (open, overdue, at risk) were taken, city time. */
  built_at: string;
  kpis: Pick<Kpis, (typeof DIGEST_KPIS)[number]>;
  organisations: DigestOrganisation[];
  overdue: DigestOverdue[];
  overdue_total: number;
  incidents: DigestIncident[];
  /** Spikes detected in the day (analytics/spikes.ts): counts only, never the messages. */
  spikes: DigestSpike[];
  /** The two weeks the opinion changes compare, as the city's dates ("from – to", both days included). */
  opinion_weeks: { previous: string; current: string };
  /** Each active opinion question: weighted shares per stance, this week against the week before. */
  opinion: DigestOpinion[];
}

/** The local day `date` (YYYY-MM-DD) of the city as a period of instants. */
export function dayPeriod(ctx: Context, date: string): Period {
  return today(ctx.city, new Date(Date.parse(`${date}T12:00:00Z`) - ctx.city.calendar.utcOffsetMinutes * 60_000));
}

/** The local day before the one containing `now`: what a morning digest is about. */
export function yesterday(ctx: Context, now: Date): string {
  return localDate(ctx.city.calendar, new Date(now.getTime() - DAY));
}

const local = (ctx: Context, d: Date | null) => (d ? formatLocal(ctx.city.calendar, d).slice(0, 16).replace('T', ' ') : '');

/**
 * Gathers the digest of `date` in `language`. The day's flows (received, resolved, medians, ratings) are of that
 * day; open, overdue and at-risk are as of `now` (or the day's end, for a day long past): the database keeps the
 * tickets' present, not their every past state.
 */
export async function gatherDigest(ctx: Context, date: string, language: Language, now: Date): Promise<Digest> {
  const { city } = ctx;
  const period = dayPeriod(ctx, date);
  const asOf = now;
  const k = await situationKpis(ctx, period, asOf);
  const districtName = (id: string | null) => (id ? (city.city.districts.find((d) => d.id === id)?.name[language] ?? id) : '');

  // The registry brings a thousand housing companies: the table keeps those that had work.
  const busy = k.organisations.filter((o) => o.received + o.resolved + o.open + o.overdue + o.at_risk > 0);
  const organisations = league(busy, 'overdue', 'desc').map((o) => ({
    rank: o.rank,
    id: String(o.id),
    name: o.name?.[language] ?? String(o.id),
    received: o.received,
    resolved: o.resolved,
    open: o.open,
    overdue: o.overdue,
    at_risk: o.at_risk,
    on_time_share: o.on_time_share,
    average_rating: o.average_rating,
  }));

  const overdueRows = await listTickets(ctx.db, { attention: 'overdue', now: asOf, order: 'deadline', limit: OVERDUE_CAP, offset: 0 });
  const overdue = overdueRows
    .map((t) => ({
      number: t.number,
      organisation: orgName(city, t.organisation_id, language) || String(t.organisation_id ?? ''),
      category: categoryName(city, t.category, language) || String(t.category ?? ''),
      district: districtName(t.district),
      urgency: t.urgency,
      created_at: local(ctx, t.created_at),
      deadline: local(ctx, t.resolution_due),
      hours_overdue: t.resolution_due ? Math.floor((asOf.getTime() - t.resolution_due.getTime()) / 3_600_000) : 0,
    }))
    // Grouped by organisation (as the akim reads it), the longest overdue first within each.
    .sort((a, b) => a.organisation.localeCompare(b.organisation, language) || b.hours_overdue - a.hours_overdue || a.number.localeCompare(b.number));

  const recent = await listIncidents(ctx.db, { limit: 500, offset: 0 });
  const inDay = (d: Date | null) => d !== null && d >= period.from && d < period.to;
  const incidents = recent
    .filter((i) => OPEN_STATUSES.has(i.status as never) || inDay(i.created_at) || inDay(i.resolved_at))
    .map((i) => ({
      number: i.id,
      status: i.status,
      title: redactPersonalData(incidentTitle(city, i, language)),
      category: categoryName(city, i.category, language) || String(i.category ?? ''),
      district: districtName(i.district),
      organisation: orgName(city, i.organisation_id, language) || String(i.organisation_id ?? ''),
      tickets: i.tickets,
      opened_at: local(ctx, i.created_at),
    }));

  const spikeRows = await ctx.db
    .selectFrom('spike_alerts')
    .select(['category', 'district', 'window_start', 'window_end', 'observed', 'expected'])
    .where('detected_at', '>=', period.from)
    .where('detected_at', '<', period.to)
    .orderBy('detected_at')
    .limit(200)
    .execute();
  const spikes = spikeRows.map((x) => ({
    category: categoryName(city, x.category, language) || x.category,
    district: districtName(x.district) || x.district,
    window: `${local(ctx, x.window_start)} – ${local(ctx, x.window_end).slice(11)}`,
    observed: Number(x.observed),
    expected: Math.round(Number(x.expected) * 10) / 10,
  }));

  const weeks = opinionWeeks(period);
  const days = (w: { from: Date; to: Date }) => `${localDate(city.calendar, w.from)} – ${localDate(city.calendar, new Date(w.to.getTime() - 1))}`;
  const opinion = await gatherOpinionChanges(ctx, period, language);

  const kpis = Object.fromEntries(DIGEST_KPIS.map((key) => [key, k.overall[key]])) as Digest['kpis'];
  return {
    city: city.city.name[language],
    date,
    language,
    built_at: local(ctx, asOf),
    kpis,
    organisations,
    overdue,
    overdue_total: overdue.length,
    incidents,
    spikes,
    opinion_weeks: { previous: days(weeks.previous), current: days(weeks.current) },
    opinion,
  };
}

/** A KPI as people read it: a share in per cent, a missing figure as the dash. */
export function kpiText(key: (typeof DIGEST_KPIS)[number], v: number | null, none: string): string {
  if (v === null) return none;
  if (key === 'on_time_share') return `${Math.round(v * 1000) / 10}%`;
  return String(v);
}
