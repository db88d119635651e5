// The analytics rollups (0018_analytics.sql): counting each inbound, triaged message exactly once in its cell of
// (hour/day, category, district, channel, language, kind, sentiment), and moving it when its cell changes.
//
// Idempotent by construction: the ledger `analytics_counted` has one row per message; a message is added to the
// rollups only by the statement that inserted its ledger row (ON CONFLICT DO NOTHING ... RETURNING), and taken out
// only by the statement that deleted a stale ledger row (DELETE ... RETURNING). A replay, a redelivery or two
// processes at once find the row already there and add nothing. Everything runs in the caller's transaction.
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Context } from '../context.js';
import type { Sweep } from '../sla/ticker.js';
import type { DB } from '../store/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The dimensions of a cell, in key order. '' stands for none. */
export const DIMENSIONS = ['category', 'district', 'channel', 'language', 'kind', 'sentiment'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

interface CountedRow {
  message_id: number;
  hour: Date;
  day: string;
  category: string;
  district: string;
  channel: string;
  language: string;
  kind: string;
  sentiment: string;
  resident_id: number | null;
}

/**
 * The cell each message belongs in now: triage's language and sentiment, the operator's word on category, district
 * and kind where there is one (labels), else triage's. The local day follows the city's UTC offset.
 */
function cells(offsetMinutes: number, where: RawBuilder<unknown>, tail: RawBuilder<unknown> = sql``) {
  return sql`
    SELECT m.id AS message_id,
      (date_trunc('hour', m.received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS hour,
      ((m.received_at AT TIME ZONE 'UTC') + make_interval(mins => ${offsetMinutes}::int))::date AS day,
      COALESCE(lc.value, t.category, '') AS category,
      COALESCE(ld.value, t.district, '') AS district,
      m.channel AS channel,
      t.language AS language,
      COALESCE(lk.value, t.kind) AS kind,
      t.sentiment AS sentiment,
      m.resident_id AS resident_id
    FROM messages m
    JOIN message_triage t ON t.message_id = m.id
    LEFT JOIN labels lc ON lc.message_id = m.id AND lc.field = 'category'
    LEFT JOIN labels ld ON ld.message_id = m.id AND ld.field = 'district'
    LEFT JOIN labels lk ON lk.message_id = m.id AND lk.field = 'kind'
    WHERE m.direction = 'in' AND ${where} ${tail}`;
}

const RETURNED = sql.raw('message_id, hour, day::text AS day, category, district, channel, language, kind, sentiment, resident_id');
const SAME_CELL = sql.raw(
  '(c.hour, c.day, c.category, c.district, c.channel, c.language, c.kind, c.sentiment, c.resident_id) IS NOT DISTINCT FROM ' +
    '(d.hour, d.day, d.category, d.district, d.channel, d.language, d.kind, d.sentiment, d.resident_id)',
);

export interface CountResult {
  added: number;
  moved: number;
}

/**
 * Brings the given messages' counts up to date: counts the new ones, moves those whose cell changed (an operator's
 * correction), leaves the rest. Safe to call any number of times for the same message.
 */
export async function recount(tx: Db, offsetMinutes: number, messageIds: number[]): Promise<CountResult> {
  if (messageIds.length === 0) return { added: 0, moved: 0 };
  const ids = sql.join(messageIds.map((id) => sql`${id}::bigint`));
  const stale = await sql<CountedRow>`
    WITH d AS (${cells(offsetMinutes, sql`m.id IN (${ids})`)})
    DELETE FROM analytics_counted c USING d
    WHERE c.message_id = d.message_id AND NOT ${SAME_CELL}
    RETURNING c.message_id, c.hour, c.day::text AS day, c.category, c.district, c.channel, c.language, c.kind, c.sentiment, c.resident_id`.execute(
    tx,
  );
  await apply(tx, stale.rows, -1);
  const added = await sql<CountedRow>`
    INSERT INTO analytics_counted (message_id, hour, day, category, district, channel, language, kind, sentiment, resident_id)
    ${cells(offsetMinutes, sql`m.id IN (${ids})`)}
    ON CONFLICT (message_id) DO NOTHING
    RETURNING ${RETURNED}`.execute(tx);
  await apply(tx, added.rows, 1);
  return { added: added.rows.length - stale.rows.length, moved: stale.rows.length };
}

/** Counts up to `limit` triaged messages not yet in the ledger, oldest first (history, or after a crash). */
export async function countMissing(tx: Db, offsetMinutes: number, limit: number): Promise<number> {
  const added = await sql<CountedRow>`
    INSERT INTO analytics_counted (message_id, hour, day, category, district, channel, language, kind, sentiment, resident_id)
    ${cells(offsetMinutes, sql`NOT EXISTS (SELECT 1 FROM analytics_counted x WHERE x.message_id = m.id)`, sql`ORDER BY m.id LIMIT ${limit}`)}
    ON CONFLICT (message_id) DO NOTHING
    RETURNING ${RETURNED}`.execute(tx);
  await apply(tx, added.rows, 1);
  return added.rows.length;
}

/** Adds (+1) or removes (-1) counted messages from the three rollup tables, summed per cell first. */
async function apply(tx: Db, rows: CountedRow[], sign: 1 | -1): Promise<void> {
  if (rows.length === 0) return;
  const hourly = new Map<string, { key: unknown[]; n: number }>();
  const daily = new Map<string, { key: unknown[]; n: number }>();
  const narrow = new Map<string, { key: unknown[]; n: number }>();
  const residents = new Map<string, { key: unknown[]; n: number }>();
  const bump = (map: Map<string, { key: unknown[]; n: number }>, key: unknown[]) => {
    const k = JSON.stringify(key);
    const e = map.get(k);
    if (e) e.n += sign;
    else map.set(k, { key, n: sign });
  };
  for (const r of rows) {
    const dims = DIMENSIONS.map((d) => r[d]);
    bump(hourly, [new Date(r.hour).toISOString(), ...dims]);
    bump(daily, [r.day, ...dims]);
    bump(narrow, [r.day, r.category, r.district, r.sentiment]);
    if (r.resident_id !== null) bump(residents, [r.day, ...dims, Number(r.resident_id)]);
  }
  await upsert(tx, 'analytics_hourly', ['hour', ...DIMENSIONS], 'timestamptz', hourly);
  await upsert(tx, 'analytics_daily', ['day', ...DIMENSIONS], 'date', daily);
  await upsert(tx, 'analytics_daily_cds', ['day', 'category', 'district', 'sentiment'], 'date', narrow);
  await upsert(tx, 'analytics_residents', ['day', ...DIMENSIONS, 'resident_id'], 'date', residents);
}

async function upsert(tx: Db, table: string, columns: string[], timeType: string, deltas: Map<string, { key: unknown[]; n: number }>) {
  // Sorted, so two transactions touching the same cells lock them in the same order and never deadlock.
  const entries = [...deltas.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  if (entries.length === 0) return;
  const cast = (i: number) => (i === 0 ? sql.raw(`::${timeType}`) : columns[i] === 'resident_id' ? sql.raw('::bigint') : sql.raw('::text'));
  const values = sql.join(entries.map((e) => sql`(${sql.join(e.key.map((v, i) => sql`${v}${cast(i)}`))}, ${e.n}::int)`));
  const cols = sql.raw(columns.join(', '));
  await sql`
    INSERT INTO ${sql.table(table)} (${cols}, messages) VALUES ${values}
    ON CONFLICT (${cols}) DO UPDATE SET messages = ${sql.table(table)}.messages + excluded.messages`.execute(tx);
  if (entries.some((e) => e.n < 0)) {
    const times = [...new Set(entries.map((e) => String(e.key[0])))].map((t) => sql`${t}${cast(0)}`);
    await sql`DELETE FROM ${sql.table(table)} WHERE messages <= 0 AND ${sql.ref(columns[0] as string)} IN (${sql.join(times)})`.execute(tx);
  }
}

/** Brings the given messages' counts up to date in their own transaction (when the caller holds none). */
export function recountNow(ctx: Context, messageIds: number[]): Promise<CountResult> {
  return ctx.db.transaction().execute((tx) => recount(tx, ctx.city.calendar.utcOffsetMinutes, messageIds));
}

/** Per tick at most this many batches, so a large history is caught up over several ticks without hogging one. */
const BATCH = 2000;
const BATCHES_PER_TICK = 25;

/** Catch-up: counts any triaged message missing from the ledger (history loaded before, or a crash between). */
export const analyticsCatchUpSweep: Sweep = {
  name: 'analytics-catch-up',
  async run(ctx) {
    let total = 0;
    for (let i = 0; i < BATCHES_PER_TICK; i++) {
      const n = await ctx.db.transaction().execute((tx) => countMissing(tx, ctx.city.calendar.utcOffsetMinutes, BATCH));
      total += n;
      if (n < BATCH) break;
    }
    return total;
  },
};

export interface Mismatch {
  table: 'analytics_hourly' | 'analytics_residents';
  cell: string;
  rollup: number;
  recount: number;
}

/**
 * Compares the rollups with a direct recount from messages ⋈ message_triage (and labels): the check that counting
 * stayed exact. Scans every message, so it is for tests and an operator's occasional audit, never for a screen.
 */
export async function verifyRollups(db: Db, offsetMinutes: number): Promise<Mismatch[]> {
  const dims = sql.raw(DIMENSIONS.join(', '));
  const direct = await sql<{ cell: string; n: string }>`
    SELECT concat_ws('|', to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24'), ${dims}) AS cell, count(*) AS n
    FROM (${cells(offsetMinutes, sql`true`)}) d GROUP BY hour, ${dims}`.execute(db);
  const rolled = await sql<{ cell: string; n: string }>`
    SELECT concat_ws('|', to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24'), ${dims}) AS cell, messages AS n
    FROM analytics_hourly WHERE messages <> 0`.execute(db);
  const directResidents = await sql<{ cell: string; n: string }>`
    SELECT concat_ws('|', day::text, ${dims}) AS cell, count(DISTINCT resident_id) AS n
    FROM (${cells(offsetMinutes, sql`m.resident_id IS NOT NULL`)}) d GROUP BY day, ${dims}`.execute(db);
  const rolledResidents = await sql<{ cell: string; n: string }>`
    SELECT concat_ws('|', day::text, ${dims}) AS cell, count(*) AS n
    FROM analytics_residents WHERE messages > 0 GROUP BY day, ${dims}`.execute(db);
  const daily = await sql<{ n: string }>`
    SELECT (SELECT coalesce(sum(messages), 0) FROM analytics_daily) - (SELECT coalesce(sum(messages), 0) FROM analytics_hourly)
      + (SELECT coalesce(sum(messages), 0) FROM analytics_daily_cds) - (SELECT coalesce(sum(messages), 0) FROM analytics_hourly) AS n`.execute(db);
  const out = [...diff('analytics_hourly', direct.rows, rolled.rows), ...diff('analytics_residents', directResidents.rows, rolledResidents.rows)];
  if (Number(daily.rows[0]?.n ?? 0) !== 0) out.push({ table: 'analytics_hourly', cell: 'daily total', rollup: Number(daily.rows[0]?.n), recount: 0 });
  return out;
}

function diff(table: Mismatch['table'], direct: { cell: string; n: string }[], rolled: { cell: string; n: string }[]): Mismatch[] {
  const want = new Map(direct.map((r) => [r.cell, Number(r.n)]));
  const got = new Map(rolled.map((r) => [r.cell, Number(r.n)]));
  const out: Mismatch[] = [];
  for (const cell of new Set([...want.keys(), ...got.keys()]))
    if ((want.get(cell) ?? 0) !== (got.get(cell) ?? 0)) out.push({ table, cell, rollup: got.get(cell) ?? 0, recount: want.get(cell) ?? 0 });
  return out;
}
