// `npx tsx bench/spikes.ts`: how the spike detector behaves on a replayed year. For cells of three sizes (a quiet one,
// a typical one, a busy one) it generates a year of hourly counts with daily, weekly and seasonal rhythm and
// day-to-day clumping (seeded, so every run sees the same data), replays it hour by hour through the detector with
// the settings of config/cities/astana/analytics.yaml, and reports false alarms per week on the unplanted series,
// then plants bursts of several sizes at random hours and reports the share found and the median delay.
// Synthetic data ranks settings; it does not promise real-world figures (docs/analytics.md, "Spikes").
import { pathToFileURL } from 'node:url';
import { HOUR, replaySeries, syntheticSeries } from '../src/analytics/spikes.js';
import { loadCity } from '../src/config/load.js';
import type { SpikesConfig } from '../src/config/schema.js';
import { rng } from '../src/triage/model/random.js';

const OFFSET = 300;
const SEEDS = [1, 2, 3];
const BASES = [0.2, 1, 3];
const SIZES = [6, 10, 20];
const PLANTED_PER_YEAR = 20;
const median = (xs: number[]) => (xs.length ? ([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number) : Number.NaN);

export interface SpikeBench {
  base: number;
  falseAlarmsPerWeek: number;
  found: Record<number, { rate: number; medianDelayHours: number }>;
}

export function runBench(cfg: SpikesConfig): SpikeBench[] {
  const warm = cfg.history_weeks * 168;
  const yearHours = 52 * 168;
  // History from the start of the year before, then the replayed year.
  const start = Date.UTC(2024, 0, 1) - OFFSET * 60_000 - warm * HOUR;
  const out: SpikeBench[] = [];
  for (const base of BASES) {
    let falseAlarms = 0;
    let weeks = 0;
    const found: SpikeBench['found'] = {};
    for (const size of SIZES) found[size] = { rate: 0, medianDelayHours: 0 };
    const hits: Record<number, number[]> = Object.fromEntries(SIZES.map((s) => [s, []]));
    const planted: Record<number, number> = Object.fromEntries(SIZES.map((s) => [s, 0]));
    for (const seed of SEEDS) {
      const counts = syntheticSeries({
        start,
        hours: warm + yearHours,
        base,
        season: 1.6,
        seed: seed * 101 + Math.round(base * 10),
        utcOffsetMinutes: OFFSET,
      });
      falseAlarms += replaySeries({ start, counts }, cfg, OFFSET, warm).length;
      weeks += 52;
      for (const size of SIZES) {
        const r = rng(seed * 7919 + size);
        const withSpikes = [...counts];
        const at: number[] = [];
        const gap = Math.floor(yearHours / PLANTED_PER_YEAR);
        for (let k = 0; k < PLANTED_PER_YEAR; k++) {
          const h = warm + k * gap + Math.floor(r() * (gap - 3 * 24));
          at.push(h);
          // The extra messages spread over three hours, as a burst pipe's residents write in.
          for (let m = 0; m < size; m++) {
            const i = h + Math.floor(r() * 3);
            withSpikes[i] = (withSpikes[i] as number) + 1;
          }
        }
        const alerts = replaySeries({ start, counts: withSpikes }, cfg, OFFSET, warm);
        for (const h of at) {
          planted[size] = (planted[size] as number) + 1;
          const hit = alerts.find((a) => a.hour >= h && a.hour < h + 3 + cfg.window_hours);
          if (hit) hits[size]?.push(hit.hour - h + 1);
        }
      }
    }
    for (const size of SIZES) found[size] = { rate: (hits[size]?.length ?? 0) / (planted[size] || 1), medianDelayHours: median(hits[size] ?? []) };
    out.push({ base, falseAlarmsPerWeek: falseAlarms / weeks, found });
  }
  return out;
}

async function main() {
  const city = await loadCity('config/cities/astana', { registry: false });
  // P_VALUE=0.0001 tries a looser threshold than the configured one.
  const cfg = { ...city.analytics.spikes, ...(process.env.P_VALUE ? { p_value: Number(process.env.P_VALUE) } : {}) };
  console.log(`spikes: window ${cfg.window_hours} h, min ${cfg.min_count} messages, p < ${cfg.p_value}, dispersion ${cfg.dispersion}`);
  console.log(`${SEEDS.length} synthetic years per cell size, ${PLANTED_PER_YEAR} bursts planted per year and size\n`);
  const t0 = Date.now();
  const rows = runBench(cfg);
  console.log(`| usual messages / hour | false alarms / week (no bursts) | ${SIZES.map((s) => `+${s} in 3 h: found, median delay`).join(' | ')} |`);
  console.log(`|---|---|${SIZES.map(() => '---').join('|')}|`);
  for (const r of rows)
    console.log(
      `| ${r.base} | ${r.falseAlarmsPerWeek.toFixed(3)} | ` +
        SIZES.map((s) => `${(100 * (r.found[s]?.rate ?? 0)).toFixed(0)}%, ${r.found[s]?.medianDelayHours ?? '–'} h`).join(' | ') +
        ' |',
    );
  console.log(`\n${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
