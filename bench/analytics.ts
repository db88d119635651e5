// `tsx bench/analytics.ts [messages]`: the situation-centre analytics queries over a year of rollups. Generates the
// rollup rows of N messages (default 10 million on PostgreSQL from DATABASE_URL, 1 million on PGlite) straight into
// a fresh database, with a realistic spread (weekly and daily rhythm, skewed categories, districts by population,
// channels, languages, kinds, sentiments), then times the queries the API runs (src/analytics/volume.ts): median
// and 95th percentile of 20 runs each. Without DATABASE_URL only PGlite runs. Figures: docs/benchmarks.md.
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { type Bucket, type VolumeFilter, volumeBy, volumeSeries, volumeTotals } from '../src/analytics/volume.js';
import { type Database, openStore } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';

const cal = { utcOffsetMinutes: 300 };
const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1) - 5 * 3_600_000; // local midnight, 1 January 2025 in Astana
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] as number;

/** Rollup rows for `n` messages spread over 365 days, generated and summed inside the database, a month at a time. */
async function generate(db: Database, n: number) {
  const months = 12;
  for (let m = 0; m < months; m++) {
    const days = m === months - 1 ? 365 - 30 * (months - 1) : 30;
    const firstDay = 30 * m;
    const count = Math.round((n * days) / 365);
    // Per message: a day (weekdays busier), a local hour (few at night, most 8–22), and skewed dimensions.
    await sql`
      INSERT INTO analytics_hourly (hour, category, district, channel, language, kind, sentiment, messages)
      SELECT hour, category, district, channel, language, kind, sentiment, count(*)
      FROM (
        SELECT
          date_trunc('hour', to_timestamp(${START / 1000}::double precision
            + (${firstDay} + floor(random() * ${days})) * 86400
            + (CASE WHEN random() < 0.1 THEN random() * 8 ELSE 8 + random() * 16 END) * 3600)) AS hour,
          'C' || lpad(floor(25 * power(random(), 2.2))::int::text, 2, '0') AS category,
          (ARRAY['saryarka','almaty','esil','baikonur','nura','saraishyk','','almaty','esil','saryarka'])[1 + floor(random() * 10)::int] AS district,
          (ARRAY['telegram','web','phone','instagram','vk','email','x','facebook'])[1 + floor(8 * power(random(), 2))::int] AS channel,
          CASE WHEN random() < 0.6 THEN 'ru' WHEN random() < 0.875 THEN 'kk' ELSE 'en' END AS language,
          (ARRAY['complaint','complaint','complaint','question','question','noise','thanks','suggestion','request','other'])[1 + floor(random() * 10)::int] AS kind,
          (ARRAY['negative','negative','negative','negative','neutral','neutral','neutral','neutral','positive','positive'])[1 + floor(random() * 10)::int] AS sentiment
        FROM generate_series(1, ${count})
      ) g
      GROUP BY 1, 2, 3, 4, 5, 6, 7`.execute(db);
    process.stdout.write('.');
  }
  await sql`
    INSERT INTO analytics_daily (day, category, district, channel, language, kind, sentiment, messages)
    SELECT ((hour AT TIME ZONE 'UTC') + interval '5 hours')::date, category, district, channel, language, kind, sentiment, sum(messages)
    FROM analytics_hourly GROUP BY 1, 2, 3, 4, 5, 6, 7`.execute(db);
  await sql`
    INSERT INTO analytics_daily_cds (day, category, district, sentiment, messages)
    SELECT day, category, district, sentiment, sum(messages) FROM analytics_daily GROUP BY 1, 2, 3, 4`.execute(db);
  await sql`ANALYZE analytics_daily_cds`.execute(db);
  await sql`ANALYZE analytics_hourly`.execute(db);
  await sql`ANALYZE analytics_daily`.execute(db);
  const rows = await sql<{ t: string; rows: string; messages: string }>`
    SELECT 'hourly' AS t, count(*) AS rows, sum(messages) AS messages FROM analytics_hourly
    UNION ALL SELECT 'daily', count(*), sum(messages) FROM analytics_daily
    UNION ALL SELECT 'daily_cds', count(*), sum(messages) FROM analytics_daily_cds`.execute(db);
  console.log('');
  for (const r of rows.rows)
    console.log(`  ${r.t}: ${Number(r.rows).toLocaleString('en')} rows, ${Number(r.messages).toLocaleString('en')} messages`);
}

const localDay = (d: number) => new Date(START + d * DAY);
const QUERIES: [string, (db: Database) => Promise<unknown>][] = [
  ["a day's volume by district (map)", (db) => volumeBy(db, cal, { from: localDay(200), to: localDay(201) }, 'district')],
  [
    'today so far by district (hourly table, 08:00–17:30)',
    (db) => volumeBy(db, cal, { from: localDay(200), to: new Date(localDay(200).getTime() + 17.5 * 3_600_000) }, 'district'),
  ],
  ['30-day trend by category (day × category)', (db) => volumeSeries(db, cal, { from: localDay(170), to: localDay(200) }, 'day', 'category')],
  ['sentiment by district for a week', (db) => volumeBy(db, cal, { from: localDay(193), to: localDay(200) }, 'district')],
  [
    'filters combined: 30 days, district × 3 categories × channel × language × sentiment',
    (db) => {
      const f: VolumeFilter = {
        from: localDay(170),
        to: localDay(200),
        only: { district: ['esil'], category: ['C00', 'C01', 'C02'], channel: ['telegram'], language: ['kk'], sentiment: ['negative'] },
      };
      return volumeSeries(db, cal, f, 'day');
    },
  ],
  [
    'last 24 hours per hour (hourly table)',
    (db) =>
      volumeSeries(
        db,
        cal,
        { from: new Date(localDay(200).getTime() - 6 * 3_600_000), to: new Date(localDay(201).getTime() - 6 * 3_600_000) },
        'hour' as Bucket,
      ),
  ],
  ['30-day totals with share negative', (db) => volumeTotals(db, cal, { from: localDay(170), to: localDay(200) })],
  ['a year per week (stress: whole table)', (db) => volumeSeries(db, cal, { from: localDay(0), to: localDay(365) }, 'week')],
];

async function timeQueries(db: Database) {
  for (const [name, q] of QUERIES) {
    await q(db); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await q(db);
      ms.push(performance.now() - t0);
    }
    console.log(`  ${name}: median ${median(ms).toFixed(1)} ms, p95 ${p95(ms).toFixed(1)} ms`);
  }
}

async function run(label: string, opts: { databaseUrl?: string; dataDir?: string }, n: number) {
  console.log(`${label}: ${n.toLocaleString('en')} messages' rollups over 365 days`);
  const store = await openStore(opts);
  try {
    await migrate(store.db);
    const t0 = performance.now();
    await generate(store.db, n);
    console.log(`  generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await timeQueries(store.db);
  } finally {
    await store.close();
  }
}

const arg = Number(process.argv[2]);
const base = process.env.DATABASE_URL;
if (base) {
  const name = `qala_bench_analytics_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  try {
    await run('PostgreSQL', { databaseUrl: u.toString() }, arg || 10_000_000);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
await run('PGlite', { dataDir: 'memory://' }, Math.min(arg || 1_000_000, 1_000_000));
