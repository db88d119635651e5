// `npm run bench`: how fast the foundation is, measured here and now. Prints medians of repeated runs and
// ratios within one run (machines are shared and noisy: absolute numbers vary, ratios less so).
// Embedded database by default; with DATABASE_URL the HTTP part runs on a fresh PostgreSQL database too.
import { performance } from 'node:perf_hooks';
import { loadCity } from '../src/config/load.js';
import { createTriageEngine } from '../src/triage/create.js';
import { startTestCentre } from '../test/centre.js';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] as number;

async function triageBench() {
  const city = await loadCity('config/cities/astana');
  const engine = createTriageEngine(city);
  const texts = city.demo.appeals.map((a) => a.text);
  const rates: number[] = [];
  for (let run = 0; run < 5; run++) {
    const n = 20_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) engine.triage({ text: texts[i % texts.length] as string });
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  console.log(`triage (keyword engine, ${texts.length} demo texts): median ${Math.round(median(rates))} texts/s over 5 runs of 20000`);
}

async function httpBench(label: string, databaseUrl: string | undefined) {
  const saved = process.env.DATABASE_URL;
  if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
  else delete process.env.DATABASE_URL;
  const c = await startTestCentre({}, { demo: false });
  if (saved) process.env.DATABASE_URL = saved;
  try {
    const body = (i: number) => ({ text: `Нет горячей воды в доме, улица Кенесары ${i}`, lat: 51.16, lon: 71.43 });
    for (let i = 0; i < 20; i++) await c.api('/api/v1/appeals', { body: body(i) }); // warm-up
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      const r = await c.api('/api/v1/appeals', { body: body(i) });
      latencies.push(performance.now() - t0);
      if (r.status !== 201) throw new Error(`appeal answered ${r.status}: ${r.text}`);
    }
    const runs: number[] = [];
    for (let run = 0; run < 3; run++) {
      const n = 200;
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < n) {
            const i = next++;
            const r = await c.api('/api/v1/appeals', { body: body(i) });
            if (r.status !== 201) throw new Error(`appeal answered ${r.status}`);
          }
        }),
      );
      runs.push(n / ((performance.now() - t0) / 1000));
    }
    const lookups: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      await c.api(`/api/v1/appeals/AST-2026-${String(1 + (i % 100)).padStart(6, '0')}`);
      lookups.push(performance.now() - t0);
    }
    console.log(
      `${label}: file an appeal (store → triage → route → ticket → outbox, one HTTP request): ` +
        `median ${median(latencies).toFixed(1)} ms, p95 ${pct(latencies, 0.95).toFixed(1)} ms sequential; ` +
        `median ${Math.round(median(runs))} appeals/s with 8 concurrent clients (3 runs of 200); ` +
        `status lookup median ${median(lookups).toFixed(1)} ms`,
    );
  } finally {
    await c.close();
  }
}

await triageBench();
await httpBench('PGlite (embedded)', undefined);
if (process.env.DATABASE_URL) await httpBench('PostgreSQL', process.env.DATABASE_URL);
process.exit(0);
