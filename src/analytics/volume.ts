// Volume and sentiment of what residents write, read only from the rollups (never from messages): over time in
// hour, day or week buckets, broken down by one dimension (district for the map, category, channel, language,
// kind, sentiment), with filters on every dimension; and the export cells with distinct residents for suppression.
// A period of whole local days reads the daily table; any other period the hourly one.
import { type RawBuilder, sql } from 'kysely';
import type { WorkingCalendar } from '../sla/calendar.js';
import { formatLocal, localDate } from '../sla/calendar.js';
import type { Database } from '../store/db.js';
import { type Suppressed, suppressSmallCells } from './privacy.js';
import { DIMENSIONS, type Dimension } from './rollup.js';

export type Bucket = 'hour' | 'day' | 'week';
type Cal = Pick<WorkingCalendar, 'utcOffsetMinutes'>;

export interface VolumeFilter {
  from: Date;
  /** Exclusive. */
  to: Date;
  /** Per dimension, the values kept; null in the list means "none" (no category, no district). */
  only?: Partial<Record<Dimension, (string | null)[]>>;
}

export interface Counts {
  messages: number;
  negative: number;
  neutral: number;
  positive: number;
  /** Negative among messages with a sentiment; null with no messages. */
  negative_share: number | null;
}

const DAY_MS = 86_400_000;
const isLocalMidnight = (cal: Cal, d: Date) => (d.getTime() + cal.utcOffsetMinutes * 60_000) % DAY_MS === 0;

/** The local midnight at or before `d`, and the one at or after it (whole days for exports). */
export function wholeDays(cal: Cal, from: Date, to: Date): { from: Date; to: Date } {
  const off = cal.utcOffsetMinutes * 60_000;
  const floor = (t: number) => Math.floor((t + off) / DAY_MS) * DAY_MS - off;
  const f = floor(from.getTime());
  const t = floor(to.getTime());
  return { from: new Date(f), to: new Date(t === to.getTime() ? t : t + DAY_MS) };
}

interface Source {
  table: RawBuilder<unknown>;
  range: RawBuilder<unknown>;
  daily: boolean;
}

const NARROW = new Set<Dimension>(['category', 'district', 'sentiment']);

/** The smallest table that answers: the narrow daily one when only category, district and sentiment are asked. */
function source(cal: Cal, f: VolumeFilter, bucket: Bucket | null, table: 'rollup' | 'residents' = 'rollup', by?: Dimension): Source {
  const daily = table === 'residents' || (bucket !== 'hour' && isLocalMidnight(cal, f.from) && isLocalMidnight(cal, f.to));
  if (daily) {
    const narrow = (!by || NARROW.has(by)) && DIMENSIONS.every((d) => NARROW.has(d) || !f.only?.[d]?.length);
    const name = table === 'residents' ? 'analytics_residents' : narrow ? 'analytics_daily_cds' : 'analytics_daily';
    return { daily, table: sql.raw(name), range: sql`day >= ${localDate(cal, f.from)}::date AND day < ${localDate(cal, f.to)}::date` };
  }
  return { daily, table: sql.raw('analytics_hourly'), range: sql`hour >= ${f.from} AND hour < ${f.to}` };
}

function filters(f: VolumeFilter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  for (const d of DIMENSIONS) {
    const values = f.only?.[d];
    if (!values?.length) continue;
    parts.push(sql`${sql.ref(d)} IN (${sql.join(values.map((v) => sql`${v ?? ''}::text`))})`);
  }
  return parts.length ? sql` AND ${sql.join(parts, sql` AND `)}` : sql``;
}

function bucketOf(cal: Cal, s: Source, bucket: Bucket): RawBuilder<string> {
  if (bucket === 'hour') return sql<string>`to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:00:00"Z"')`;
  const day = s.daily ? sql`day` : sql`((hour AT TIME ZONE 'UTC') + make_interval(mins => ${cal.utcOffsetMinutes}::int))::date`;
  return bucket === 'day' ? sql<string>`${day}::text` : sql<string>`date_trunc('week', ${day}::timestamp)::date::text`;
}

const SUMS = sql`sum(messages)::bigint AS messages,
  coalesce(sum(messages) FILTER (WHERE sentiment = 'negative'), 0)::bigint AS negative,
  coalesce(sum(messages) FILTER (WHERE sentiment = 'neutral'), 0)::bigint AS neutral,
  coalesce(sum(messages) FILTER (WHERE sentiment = 'positive'), 0)::bigint AS positive`;

interface SumRow {
  messages: string | number;
  negative: string | number;
  neutral: string | number;
  positive: string | number;
}
function counts(r: SumRow | undefined): Counts {
  const n = Number(r?.messages ?? 0);
  const neg = Number(r?.negative ?? 0);
  return {
    messages: n,
    negative: neg,
    neutral: Number(r?.neutral ?? 0),
    positive: Number(r?.positive ?? 0),
    negative_share: n ? Math.round((neg / n) * 1000) / 1000 : null,
  };
}

/** Volume and sentiment per bucket over the period, filtered, and per value of `by` when given (a trend per
 * category); buckets with nothing are left out. */
export async function volumeSeries(db: Database, cal: Cal, f: VolumeFilter, bucket: Bucket, by?: Dimension) {
  const s = source(cal, f, bucket, 'rollup', by);
  const b = bucketOf(cal, s, bucket);
  const value = by ? sql`${sql.ref(by)}` : sql`NULL::text`;
  const rows = await sql<SumRow & { bucket: string; value: string | null }>`
    SELECT ${b} AS bucket, ${value} AS value, ${SUMS} FROM ${s.table} WHERE ${s.range}${filters(f)} GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return rows.rows.map((r) => ({
    bucket: presentBucket(cal, bucket, r.bucket),
    ...(by ? { value: r.value === '' ? null : r.value } : {}),
    ...counts(r),
  }));
}

/** Volume and sentiment per value of one dimension over the period (district: the map), largest first. */
export async function volumeBy(db: Database, cal: Cal, f: VolumeFilter, by: Dimension) {
  const s = source(cal, f, null, 'rollup', by);
  const rows = await sql<SumRow & { value: string }>`
    SELECT ${sql.ref(by)} AS value, ${SUMS} FROM ${s.table} WHERE ${s.range}${filters(f)} GROUP BY 1 ORDER BY 2 DESC, 1`.execute(db);
  return rows.rows.map((r) => ({ value: r.value === '' ? null : r.value, ...counts(r) }));
}

/** The period's totals under the filter. */
export async function volumeTotals(db: Database, cal: Cal, f: VolumeFilter): Promise<Counts> {
  const s = source(cal, f, null);
  const rows = await sql<SumRow>`SELECT ${SUMS} FROM ${s.table} WHERE ${s.range}${filters(f)}`.execute(db);
  return counts(rows.rows[0]);
}

export interface ExportCell {
  bucket: string;
  value: string | null;
  messages: number;
  negative: number;
  residents: number;
}

/**
 * The export: per day or week bucket × value of one dimension, messages, negative and distinct residents, with
 * cells of fewer than five residents suppressed. Reads whole local days (the period is widened to them), since
 * distinct residents are kept per day.
 */
export async function exportCells(
  db: Database,
  cal: Cal,
  f: VolumeFilter,
  bucket: 'day' | 'week',
  by: Dimension,
): Promise<Suppressed<ExportCell, 'messages' | 'negative'>[]> {
  const days = { ...f, ...wholeDays(cal, f.from, f.to) };
  const s = source(cal, days, bucket, 'rollup', by);
  const b = bucketOf(cal, s, bucket);
  const r = source(cal, days, bucket, 'residents');
  const col = sql.ref(by);
  const rows = await sql<{ bucket: string; value: string; messages: string; negative: string; residents: string }>`
    WITH v AS (SELECT ${b} AS bucket, ${col} AS value, sum(messages)::bigint AS messages,
                 coalesce(sum(messages) FILTER (WHERE sentiment = 'negative'), 0)::bigint AS negative
               FROM ${s.table} WHERE ${s.range}${filters(days)} GROUP BY 1, 2),
         p AS (SELECT ${bucketOf(cal, r, bucket)} AS bucket, ${col} AS value, count(DISTINCT resident_id) AS residents
               FROM ${r.table} WHERE ${r.range}${filters(days)} GROUP BY 1, 2)
    SELECT v.bucket, v.value, v.messages, v.negative, coalesce(p.residents, 0) AS residents
    FROM v LEFT JOIN p ON p.bucket = v.bucket AND p.value = v.value ORDER BY 1, 2`.execute(db);
  const cells = rows.rows.map((x) => ({
    bucket: x.bucket,
    value: x.value === '' ? null : x.value,
    messages: Number(x.messages),
    negative: Number(x.negative),
    residents: Number(x.residents),
  }));
  return suppressSmallCells(cells, ['messages', 'negative']);
}

function presentBucket(cal: Cal, bucket: Bucket, raw: string): string {
  return bucket === 'hour' ? formatLocal(cal, new Date(raw)) : raw;
}
