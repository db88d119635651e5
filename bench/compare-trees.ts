// `npx tsx bench/compare-trees.ts OLD_DIR [names…]`: this tree's full triage against another copy of the sources
// (`mkdir /tmp/old && git archive HEAD~3 src models | tar -x -C /tmp/old && ln -s "$PWD/node_modules" /tmp/old/`),
// in one process: first that both give the same output, JSON for JSON, on every test text of the benchmark's data
// sets (and their HTML forms); then their speed, in rounds that alternate between the two over the test texts, as
// processor time per text. A shared machine slows both alike within a round, so the median of the per-round
// ratios says more than either figure alone.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadCity } from '../src/config/load.js';
import { readLabelled } from '../src/triage/model/dataset.js';
import { encodeModel } from '../src/triage/model/io.js';
import { stratifiedSplit } from '../src/triage/model/random.js';
import { trainModel } from '../src/triage/model/train.js';

const DATA = process.env.QALA_SHARED_DATA ?? '/work/shared/data';
const SETS: Record<string, { file: string; text: string; label: string }> = {
  pc: { file: `${DATA}/kazsandra/05_pc_test.csv`, text: 'text', label: 'label' },
  sc: { file: `${DATA}/kazsandra/10_sc_test.csv`, text: 'text', label: 'label' },
  ru: { file: `${DATA}/kzgovdata/data.csv`, text: 'text_ru', label: 'category' },
  kk: { file: `${DATA}/kzgovdata/data.csv`, text: 'text_kz', label: 'category' },
};
const [oldDir, ...asked] = process.argv.slice(2);
if (!oldDir || !existsSync(`${oldDir}/src/triage/create.ts`)) {
  console.error('usage: npx tsx bench/compare-trees.ts OLD_DIR [pc|sc|ru|kk …]   (OLD_DIR holds src/ and models/ of the other version)');
  process.exit(2);
}
const SECONDS = Number(process.env.SECONDS_PER_SET ?? 10);

interface Tree {
  create: { createTriageEngine: (city: unknown) => unknown };
  learned: { LearnedTriage: new (base: unknown, active: unknown, o: unknown) => { triage: (i: { text: string }) => unknown } };
  cluster: { DuplicateFinder: new () => { signature: (text: string) => string } };
  io: { decodeModel: (bytes: Buffer, name: string) => { labels: string[] } };
}

async function tree(dir: string): Promise<Tree> {
  const at = (path: string) => import(pathToFileURL(`${dir}/src/triage/${path}`).href);
  return {
    create: await at('create.ts'),
    learned: await at('learned.ts'),
    cluster: await at('duplicates/cluster.ts'),
    io: await at('model/io.ts'),
  };
}

const city = await loadCity('config/cities/astana');
const trees = [await tree(oldDir), await tree(process.cwd())];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

for (const name of asked.length ? asked : Object.keys(SETS)) {
  const d = SETS[name];
  if (!d) throw new Error(`no data set ${name}`);
  const rows = await readLabelled(d.file, { textField: d.text, labelField: d.label, onBad: () => {} });
  const split = stratifiedSplit(
    rows.map((r) => r.label),
    0.2,
    42,
  );
  const train = split.train.map((i) => rows[i]?.text as string);
  const test = split.test.map((i) => rows[i]?.text as string);
  const bytes = encodeModel(trainModel(split.train.map((i) => ({ text: rows[i]?.text as string, label: rows[i]?.label as string }))));
  const runs = trees.map((t) => {
    const model = t.io.decodeModel(bytes, name);
    const engine = new t.learned.LearnedTriage(
      t.create.createTriageEngine(city),
      { id: 0, model },
      { minConfidence: 0.5, categories: new Set(model.labels) },
    );
    const repeats = new t.cluster.DuplicateFinder();
    return (text: string) => [engine.triage({ text }), repeats.signature(text)];
  });
  const [before, after] = runs as [(t: string) => unknown, (t: string) => unknown];
  const html = test.slice(0, 500).map((t, i) => `<p>${t.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p><p>С&nbsp;уважением, дом №${i}</p>`);
  let differ = 0;
  for (const text of [...test, ...html]) if (JSON.stringify(before(text)) !== JSON.stringify(after(text))) differ++;
  for (const text of train.slice(0, 1000)) for (const run of runs) run(text);
  const cpu: [number[], number[]] = [[], []];
  const end = performance.now() + SECONDS * 1000;
  while (performance.now() < end)
    runs.forEach((run, k) => {
      const c0 = process.cpuUsage();
      for (const text of test) run(text);
      const c = process.cpuUsage(c0);
      cpu[k]?.push((c.user + c.system) / test.length);
    });
  const ratio = median(cpu[0].map((x, i) => x / (cpu[1][i] as number)));
  console.log(
    `${name}: ${test.length + html.length} texts, ${differ === 0 ? 'identical output' : `${differ} DIFFERENT outputs`}; ` +
      `µs of processor time per text, median of ${cpu[0].length} rounds: other ${median(cpu[0]).toFixed(1)}, this ${median(cpu[1]).toFixed(1)}; this tree ${ratio.toFixed(2)}× as fast`,
  );
}
