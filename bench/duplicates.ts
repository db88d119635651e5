// `npx tsx bench/duplicates.ts`: how fast and how accurate near-duplicate detection is, on generated complaints
// (seeded, so every run sees the same data). Prints medians of several runs; the machine is shared and noisy.
// Accuracy here is on synthetic paraphrases and incidents: it ranks settings, it does not promise real-world
// figures.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DEFAULT_FINDER, DuplicateFinder, type DuplicateItem } from '../src/triage/duplicates/cluster.js';
import { addressText, type Complaint, complaint, paraphrase, pick, type Rng, rng, STREETS } from '../src/triage/duplicates/generate.js';
import { LshIndex } from '../src/triage/duplicates/lsh.js';
import { estimateJaccard, MinHasher } from '../src/triage/duplicates/minhash.js';

const RUNS = Number(process.env.RUNS ?? 5);
const N = Number(process.env.N ?? 50_000);
const QUERIES = 10_000;
const THRESHOLD = DEFAULT_FINDER.textThreshold.near; // the bar words must reach for a match 60–300 m away

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function timed<T>(f: () => T): { value: T; seconds: number } {
  const t0 = performance.now();
  const value = f();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

function textBench(): void {
  const r = rng(42);
  const hasher = new MinHasher();
  const bases: Complaint[] = Array.from({ length: N }, () => complaint(r));
  const queries = Array.from({ length: QUERIES }, () => {
    const i = Math.floor(r() * N);
    return { i, text: paraphrase(r, bases[i] as Complaint).text };
  });
  const meanChars = bases.reduce((s, c) => s + c.text.length, 0) / N;
  console.log(
    `text: ${fmt(N)} generated complaints (ru/kk/mixed, mean ${meanChars.toFixed(0)} chars), ${fmt(QUERIES)} paraphrase queries, ${RUNS} runs`,
  );

  const sigRates: number[] = [];
  const addRates: number[] = [];
  const queryRates: number[] = [];
  let sigs: Uint32Array[] = [];
  let index = new LshIndex(128);
  let qsigs: Uint32Array[] = [];
  let outcome = { found: 0, flagged: 0, candidates: 0 };
  for (let run = 0; run < RUNS; run++) {
    const s = timed(() => bases.map((c) => hasher.signature(c.text)));
    sigs = s.value;
    sigRates.push(N / s.seconds);
    const a = timed(() => {
      const idx = new LshIndex(128);
      sigs.forEach((sig, i) => {
        idx.add(String(i), sig);
      });
      return idx;
    });
    index = a.value;
    addRates.push(N / a.seconds);
    // A query = hash the new text, ask the index, re-check candidates by the signature estimate.
    const q = timed(() => {
      let found = 0;
      let flagged = 0;
      let candidates = 0;
      qsigs = [];
      for (const { i, text } of queries) {
        const sig = hasher.signature(text);
        qsigs.push(sig);
        for (const id of index.query(sig)) {
          candidates++;
          if (estimateJaccard(sig, index.signatureOf(id) as Uint32Array) < THRESHOLD) continue;
          flagged++;
          if (id === String(i)) found++;
        }
      }
      return { found, flagged, candidates };
    });
    outcome = q.value;
    queryRates.push(QUERIES / q.seconds);
  }
  console.log(`  signatures/s          median ${fmt(median(sigRates))}   (runs: ${sigRates.map(fmt).join(', ')})`);
  console.log(`  LSH inserts/s         median ${fmt(median(addRates))}   (${index.params.bands} bands × ${index.params.rows} rows)`);
  console.log(`  queries/s (hash+LSH+verify, ${fmt(N)} indexed)  median ${fmt(median(queryRates))}   (runs: ${queryRates.map(fmt).join(', ')})`);
  console.log(
    `  per query: ${(outcome.candidates / QUERIES).toFixed(1)} LSH candidates, ${(outcome.flagged / QUERIES).toFixed(1)} with Jaccard ≥ ${THRESHOLD}`,
  );
  console.log(`  recall (source found, Jaccard ≥ ${THRESHOLD}): ${pct(outcome.found / QUERIES)}`);

  // Pair-level precision: each paraphrase against its source (positive) and against a random other complaint
  // of another category (negative; same-category pairs are for place and time to tell apart).
  let tp = 0;
  let fp = 0;
  let negatives = 0;
  queries.forEach(({ i }, k) => {
    const q = qsigs[k] as Uint32Array;
    const hit = (j: number) => index.query(q).includes(String(j)) && estimateJaccard(q, sigs[j] as Uint32Array) >= THRESHOLD;
    if (hit(i)) tp++;
    let j = Math.floor(r() * N);
    while ((bases[j] as Complaint).category === (bases[i] as Complaint).category) j = Math.floor(r() * N);
    negatives++;
    if (hit(j)) fp++;
  });
  console.log(
    `  pairs: recall ${pct(tp / QUERIES)}, precision ${pct(tp / (tp + fp))}, false-positive rate ${pct(fp / negatives)} (${fmt(QUERIES)} + ${fmt(negatives)} pairs)`,
  );
}

// ---- incidents: DuplicateFinder on a stream of posts about generated incidents ----

interface Incident {
  id: number;
  category: string;
  street: string;
  house: number;
  lat: number;
  lon: number;
  district: string;
  start: number;
}

// 26 streets × 400 houses ≈ 10,000 buildings, about Astana's count of apartment blocks; with 2,000 incidents
// in 54 hours some still share a building or a neighbour, as real ones do.
const HOUSES = Number(process.env.HOUSES ?? 400);
const DISTRICTS = ['almaty', 'baikonur', 'esil', 'saryarka', 'nura'];
const T0 = Date.parse('2025-01-15T00:00:00Z');

export function incidentStream(seed: number, incidents: number): { items: DuplicateItem[]; truth: Map<string, number> } {
  const r = rng(seed);
  const items: DuplicateItem[] = [];
  const truth = new Map<string, number>();
  for (let n = 0; n < incidents; n++) {
    const street = pick(r, STREETS);
    const s = STREETS.indexOf(street);
    const house = 1 + Math.floor(r() * HOUSES);
    // Streets 700 m apart north–south, houses 40 m apart along them: neighbours fall inside the radius.
    const inc: Incident = {
      id: n,
      category: complaint(r).category,
      street,
      house,
      lat: 51.1 + s * 0.0063,
      lon: 71.35 + house * 0.00058,
      district: DISTRICTS[s % DISTRICTS.length] as string,
      start: T0 + r() * 48 * 3_600_000,
    };
    const posts = Math.min(50, 1 + Math.floor(-Math.log(1 - r()) * 4));
    const mine: DuplicateItem[] = [];
    for (let k = 0; k < posts; k++) mine.push(post(r, inc, mine, `i${n}p${k}`));
    for (const it of mine) truth.set(it.id, n);
    items.push(...mine);
  }
  items.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1));
  return { items, truth };
}

// A post as the triage stages would hand it over: district always (from the point or the street), the
// address field when the text names the house and the address stage read it (9 times in 10).
function post(r: Rng, inc: Incident, earlier: DuplicateItem[], id: string): DuplicateItem {
  const fixed = { category: inc.category, street: inc.street, house: inc.house, mentionAddress: r() < 0.7 };
  const at = new Date(inc.start + r() * 6 * 3_600_000);
  const category = r() < 0.85 ? inc.category : null; // the classifier is unsure about some
  const text = earlier.length && r() < 0.3 ? paraphrase(r, pick(r, earlier)).text : complaint(r, fixed).text;
  const read = text.includes(inc.street) && text.includes(String(inc.house)) && r() < 0.9;
  const extracted = read ? { address: `${inc.street} ${inc.house}` } : {};
  const channel = r();
  if (channel < 0.4) return { id, text, category, at, address: addressText(inc.street, inc.house, r() < 0.5 ? 'ru' : 'kk'), district: inc.district };
  if (channel < 0.8) {
    const jitter = () => (r() - 0.5) * 0.0005; // ±28 m north–south, ±17 m east–west
    return { id, text, category, at, lat: inc.lat + jitter(), lon: inc.lon + jitter(), district: inc.district, ...extracted };
  }
  return { id, text, category, at, district: inc.district, ...extracted };
}

function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

function finderBench(): void {
  const incidents = Number(process.env.INCIDENTS ?? 2000);
  const { items, truth } = incidentStream(7, incidents);
  console.log(
    `incidents: ${fmt(incidents)} generated incidents, ${fmt(items.length)} posts over 54 h (phone address / Telegram point / Instagram district)`,
  );
  const rates: number[] = [];
  let finder = new DuplicateFinder();
  for (let run = 0; run < Math.min(RUNS, 3); run++) {
    const t = timed(() => {
      const f = new DuplicateFinder();
      for (const it of items) f.observe(it);
      return f;
    });
    finder = t.value;
    rates.push(items.length / t.seconds);
  }
  // Pair counting over the final clusters: a pair is right when both posts share an incident.
  const joint = new Map<string, number>();
  const byCluster = new Map<string, number>();
  const byIncident = new Map<number, number>();
  for (const it of items) {
    const c = finder.clusterOf(it.id) as string;
    const t = truth.get(it.id) as number;
    joint.set(`${c}|${t}`, (joint.get(`${c}|${t}`) ?? 0) + 1);
    byCluster.set(c, (byCluster.get(c) ?? 0) + 1);
    byIncident.set(t, (byIncident.get(t) ?? 0) + 1);
  }
  const together = [...joint.values()].reduce((s, n) => s + pairs(n), 0);
  const predicted = [...byCluster.values()].reduce((s, n) => s + pairs(n), 0);
  const actual = [...byIncident.values()].reduce((s, n) => s + pairs(n), 0);
  console.log(`  observe/s (match + index)  median ${fmt(median(rates))}   (runs: ${rates.map(fmt).join(', ')})`);
  console.log(
    `  clusters ${fmt(byCluster.size)} for ${fmt(byIncident.size)} incidents; pair precision ${pct(together / predicted)}, pair recall ${pct(together / actual)}`,
  );
}

// Run only when executed, so the incident generator can be imported for error analysis.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  textBench();
  finderBench();
}
