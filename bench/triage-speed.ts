// `npx tsx bench/triage-speed.ts`: how many texts a second KeywordTriage.triage() handles in one process, on
// (a) the 33 demo appeals, (b) 5,000 KazSAnDRA texts (reviews and comments in Kazakh and Russian, mostly short),
// (c) a mix of plain appeals, HTML e-mail bodies and a few long letters. Median of 5 runs after a warm-up; the
// inputs are fixed, so runs differ only by the machine; the rate per CPU-second of this process is steadier when
// the machine is shared. KAZSANDRA=path overrides the data file.
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadCity } from '../src/config/load.js';
import { createTriageEngine } from '../src/triage/create.js';
import { csvParser } from '../src/triage/model/dataset.js';
import type { TriageEngine, TriageInput } from '../src/triage/types.js';

const RUNS = 5;
const KAZSANDRA = process.env.KAZSANDRA ?? '/work/shared/data/kazsandra/05_pc_test.csv';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

function kazsandraTexts(limit: number): string[] {
  if (!existsSync(KAZSANDRA)) return [];
  const rows: string[][] = [];
  const parser = csvParser((_line, fields) => {
    if (fields) rows.push(fields);
  });
  parser.write(readFileSync(KAZSANDRA, 'utf8'));
  parser.close();
  const col = rows[0]?.indexOf('text') ?? -1;
  return rows
    .slice(1)
    .map((r) => r[col] ?? '')
    .slice(0, limit);
}

/** An appeal as a portal or a mail client sends it: markup, entities, a signature with a link. */
function asHtml(text: string, i: number): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return (
    `<html><head><style>p{margin:0}</style></head><body><div dir="ltr"><p>Здравствуйте!</p><p>${escaped}</p>` +
    `<p>С&nbsp;уважением,<br>житель дома №${i % 90}</p><p><a href="https://eotinish.kz/ru/appeal/${i}">ссылка</a></p>` +
    '</div></body></html>'
  );
}

function mixed(demo: string[], kaz: string[]): TriageInput[] {
  const out: TriageInput[] = [];
  for (let i = 0; i < 2000; i++) {
    const d = demo[i % demo.length] as string;
    const k = kaz.length ? (kaz[(i * 7) % kaz.length] as string) : d;
    if (i % 100 === 0)
      out.push({ text: Array.from({ length: 40 }, (_, j) => (j % 2 ? d : k)).join('\n\n') }); // a long letter
    else if (i % 3 === 0) out.push({ text: asHtml(i % 2 ? d : k, i) });
    else if (i % 3 === 1) out.push({ text: d, address: 'ул. Кенесары, 40', lat: 51.1962, lon: 71.3671 });
    else out.push({ text: k });
  }
  return out;
}

/** Texts per second of wall time and per second of this process's CPU time (steadier when the machine is shared). */
function rate(engine: TriageEngine, inputs: TriageInput[], n: number): { wall: number; cpu: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) engine.triage(inputs[i % inputs.length] as TriageInput);
  const c = process.cpuUsage(c0);
  return { wall: n / ((performance.now() - t0) / 1000), cpu: n / ((c.user + c.system) / 1e6) };
}

async function main() {
  const city = await loadCity('config/cities/astana');
  const engine = createTriageEngine(city);
  const demo = city.demo.appeals.map((a) => a.text);
  const kaz = kazsandraTexts(5000);
  const sets: [string, TriageInput[], number][] = [
    [`(a) ${demo.length} demo appeals`, demo.map((text) => ({ text })), 50_000],
    [`(b) ${kaz.length} KazSAnDRA texts`, kaz.map((text) => ({ text })), 50_000],
    ['(c) mix: plain, HTML, address and point, long letters', mixed(demo, kaz), 20_000],
  ];
  console.log(`KeywordTriage.triage(), one process, node ${process.version}: median of ${RUNS} runs`);
  for (const [label, inputs, n] of sets) {
    if (!inputs.length) {
      console.log(`${label}: skipped (no data at ${KAZSANDRA})`);
      continue;
    }
    const chars = inputs.reduce((s, x) => s + x.text.length, 0) / inputs.length;
    rate(engine, inputs, Math.min(n, 5000)); // warm-up: JIT and the per-word caches
    const runs = Array.from({ length: RUNS }, () => rate(engine, inputs, n));
    const wall = runs.map((r) => r.wall);
    const cpu = median(runs.map((r) => r.cpu));
    console.log(`${label} (mean ${fmt(chars)} chars): median ${fmt(median(wall))} texts/s (${wall.map(fmt).join(', ')}); ${fmt(cpu)} per CPU-second`);
  }
}

await main();
