// `npx tsx bench/sentiment.ts`: the sentiment judge's quality and speed.
// Quality: on KazSAnDRA's test part (20% of reviews by id hash, never trained or tuned on) the shipped model alone
// (2 classes), and the judge on 3 classes (1–2 stars negative, 3 neutral, 4–5 positive) with and without the model;
// on the hand-written city messages (src/triage/sentiment/fixture.ts) by language. Speed: texts per second for
// 100-character messages, median of 5 runs, lexicon route (ru) and model route (kk).
// `--tune` instead scores blends and neutral bands on the VALIDATION part and prints the best.
import { performance } from 'node:perf_hooks';
import { report } from '../src/triage/model/metrics.js';
import { predict } from '../src/triage/model/softmax.js';
import { CITY_MESSAGES } from '../src/triage/sentiment/fixture.js';
import { type JudgedLanguage, SentimentJudge } from '../src/triage/sentiment/index.js';
import { BLEND_NEUTRAL, MODEL_SHARE } from '../src/triage/sentiment/judge.js';
import { type Part, readKazSAnDRA } from '../src/triage/sentiment/kazsandra.js';

const judge = await SentimentJudge.load();
const lexiconOnly = SentimentJudge.fromModel(null);
const model = judge.model;
if (!model) throw new Error('no model');
const reviews = await readKazSAnDRA();
const part = (p: Part) => reviews.filter((r) => r.part === p);
const f = (x: number) => x.toFixed(4);

function threeWay(j: SentimentJudge, p: Part) {
  const rows = part(p);
  return report(
    rows.map((r) => r.sentiment),
    rows.map((r) => j.judge(r.text, 'kk').sentiment),
  );
}

if (process.argv.includes('--tune')) {
  console.log(`tuning on the VALIDATION part (${part('validation').length} reviews); the test part is not read`);
  const results: { share: number; band: number; f1: number }[] = [];
  for (const share of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1])
    for (const band of [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6])
      results.push({ share, band, f1: threeWay(judge.withBlend(share, band), 'validation').macroF1 });
  results.sort((a, b) => b.f1 - a.f1);
  for (const r of results.slice(0, 8)) console.log(`model share ${r.share}  neutral band ±${r.band}  macro-F1 ${f(r.f1)}`);
  const now = results.find((r) => r.share === MODEL_SHARE && r.band === BLEND_NEUTRAL);
  console.log(`current (share ${MODEL_SHARE}, band ${BLEND_NEUTRAL}): ${now ? f(now.f1) : 'not on the grid'}`);
  process.exit(0);
}

const test = part('test');
const polar = test.filter((r) => r.polarity !== null);
const alone = report(
  polar.map((r) => r.polarity as string),
  polar.map((r) => predict(model, r.text, 0).label),
);
console.log(`KazSAnDRA test part: ${test.length} reviews (${polar.length} with a polarity; ${test.length - polar.length} three-star)`);
console.log(`  model alone, 2 classes:            macro-F1 ${f(alone.macroF1)}  accuracy ${f(alone.accuracy)}`);
for (const [name, j] of [
  ['judge (model+lexicon), 3 classes:', judge],
  ['lexicon alone, 3 classes:        ', lexiconOnly],
] as const) {
  const r = threeWay(j, 'test');
  const per = r.classes.map((c) => `${c.label} ${c.f1.toFixed(3)}`).join(', ');
  console.log(`  ${name}  macro-F1 ${f(r.macroF1)}  accuracy ${f(r.accuracy)}  (F1: ${per})`);
}

const byLanguage = new Map<string, { truth: string[]; got: string[] }>();
for (const m of CITY_MESSAGES) {
  const got = judge.judge(m.text, m.language).sentiment;
  for (const key of ['all', m.language]) {
    const e = byLanguage.get(key) ?? { truth: [], got: [] };
    e.truth.push(m.expected);
    e.got.push(got);
    byLanguage.set(key, e);
  }
}
console.log(`city messages (hand-written, ${CITY_MESSAGES.length}):`);
for (const [lang, e] of byLanguage) {
  const r = report(e.truth, e.got);
  console.log(`  ${lang.padEnd(6)} ${String(e.truth.length).padStart(3)} texts  macro-F1 ${f(r.macroF1)}  accuracy ${f(r.accuracy)}`);
}

// Speed: 100-character texts cut from the city messages and from KazSAnDRA reviews, judged in a loop.
function hundred(texts: string[]): string[] {
  const joined = texts.join(' ');
  const out: string[] = [];
  for (let i = 0; i + 100 <= joined.length && out.length < 2000; i += 37) out.push(joined.slice(i, i + 100));
  return out;
}
const ruTexts = hundred(CITY_MESSAGES.filter((m) => m.language === 'ru').map((m) => m.text));
const kkTexts = hundred(part('validation').map((r) => r.text));
function rate(texts: string[], language: JudgedLanguage): number {
  for (const t of texts) judge.judge(t, language); // warm-up
  const runs: number[] = [];
  for (let run = 0; run < 5; run++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 400) {
      for (const t of texts) judge.judge(t, language);
      n += texts.length;
    }
    runs.push(n / ((performance.now() - t0) / 1000));
  }
  return runs.sort((a, b) => a - b)[2] as number;
}
const r = (x: number) => Math.round(x).toLocaleString('en');
console.log('speed, 100-character texts, one process, median of 5 runs:');
console.log(`  ru (lexicon):        ${r(rate(ruTexts, 'ru'))} texts/s`);
console.log(`  kk (model+lexicon):  ${r(rate(kkTexts, 'kk'))} texts/s`);
