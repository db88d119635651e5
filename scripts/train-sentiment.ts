// `npx tsx scripts/train-sentiment.ts [--bits 16] [--out models/sentiment-kk.qtm] [--sweep 16,17,18,20]`
// Rebuilds the shipped Kazakh sentiment model from KazSAnDRA (ISSAI, CC BY 4.0) with the project's own trainer:
// the same data, seed and settings give the same bytes (the date and training time in the header are fixed).
// It trains on the train part only (70% by id hash, see src/triage/sentiment/kazsandra.ts), and prints the
// model-alone macro-F1 on the validation and test parts, the file's size and its sha256.
// --sweep trains one model per bucket size and prints the trade-off without writing anything.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { saveModel } from '../src/triage/model/io.js';
import { report } from '../src/triage/model/metrics.js';
import { type Model, predict } from '../src/triage/model/softmax.js';
import { trainModel } from '../src/triage/model/train.js';
import { type Part, type Review, readKazSAnDRA } from '../src/triage/sentiment/kazsandra.js';

export const SEED = 1;
export const DEFAULT_BITS = 16;
/** Written into the header instead of the clock, so a rebuild is byte-identical (the KazSAnDRA commit date). */
const FIXED_DATE = '2024-04-19T00:00:00.000Z';

const { values } = parseArgs({
  options: {
    bits: { type: 'string', default: String(DEFAULT_BITS) },
    out: { type: 'string', default: 'models/sentiment-kk.qtm' },
    sweep: { type: 'string' },
  },
});

const reviews = await readKazSAnDRA();
const polar = (part: Part) => reviews.filter((r): r is Review & { polarity: string } => r.part === part && r.polarity !== null);
const train = polar('train').map((r) => ({ text: r.text, label: r.polarity }));

function train1(bits: number): Model {
  const m = trainModel(train, { seed: SEED, features: { bits } });
  m.info.created = FIXED_DATE;
  m.info.trainSeconds = 0;
  return m;
}

function macroF1(m: Model, part: Part): number {
  const rows = polar(part);
  return report(
    rows.map((r) => r.polarity),
    rows.map((r) => predict(m, r.text, 0).label),
  ).macroF1;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

console.log(`KazSAnDRA: ${train.length} polar reviews to train on, ${polar('validation').length} validation, ${polar('test').length} test`);
if (values.sweep) {
  const dir = await mkdtemp(join(tmpdir(), 'qala-sentiment-'));
  console.log('bits  buckets  file bytes  validation macro-F1  test macro-F1 (model alone, polarity)');
  for (const bits of values.sweep.split(',').map(Number)) {
    const m = train1(bits);
    const bytes = await saveModel(m, join(dir, `b${bits}.qtm`));
    const buckets = m.names.filter(Boolean).length;
    console.log(
      `${String(bits).padEnd(5)} ${String(buckets).padStart(7)}  ${String(bytes).padStart(10)}  ${macroF1(m, 'validation').toFixed(4).padStart(19)}  ${macroF1(m, 'test').toFixed(4).padStart(13)}`,
    );
  }
  await rm(dir, { recursive: true });
} else {
  const bits = Number(values.bits);
  const m = train1(bits);
  const bytes = await saveModel(m, values.out as string);
  console.log(`bits ${bits}: ${values.out} ${bytes} bytes, sha256 ${sha256(values.out as string)}`);
  console.log(`model alone, polarity macro-F1: validation ${macroF1(m, 'validation').toFixed(4)}, test ${macroF1(m, 'test').toFixed(4)}`);
}
