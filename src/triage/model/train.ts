// Training a triage model from a labelled history: features, a stratified held-out slice for calibration and
// honest metrics, then (by default) a refit on every example with the calibrated temperature kept.
import {
  type Counts,
  countFeatures,
  DEFAULT_FEATURES,
  DEFAULT_NORMALISER_ID,
  defaultNormalise,
  type FeatureConfig,
  type FeatureNames,
  fitIdf,
  type Normalise,
  type SparseVector,
  weigh,
} from './features.js';
import { calibrationError, report } from './metrics.js';
import { stratifiedSplit } from './random.js';
import { fitSoftmax, fitTemperature, logitsInto, type Model, pack, type SoftmaxOptions, softmaxInPlace } from './softmax.js';

export interface Example {
  text: string;
  label: string;
}

export interface TrainOptions extends SoftmaxOptions {
  /** Share of examples kept aside to fit the temperature and measure the model; 0 to skip. */
  holdout: number;
  /** Train again on all examples once calibrated: the held-out slice is too useful to leave unlearnt. */
  refit: boolean;
  features: FeatureConfig;
}

// Chosen by `npx tsx bench/triage-model.ts --tune`: the best mean macro-F1 on validation slices carved from the TRAIN
// parts of KazSAnDRA (polarity, score) and KZgovData (ru, kk), never their test parts. 4 epochs scored above 3, 6
// and 10; one example per step because batches of 8 changed nothing to four decimals.
export const DEFAULT_TRAINING: TrainOptions = {
  seed: 1,
  epochs: 4,
  learningRate: 0.03,
  l2: 0.1,
  batchSize: 1,
  classWeight: 'balanced',
  holdout: 0.1,
  refit: true,
  features: DEFAULT_FEATURES,
};

/** Below this many examples a held-out slice says nothing: train on everything, temperature 1. */
export const MIN_FOR_HOLDOUT = 100;

export type Progress = (stage: 'features' | 'train' | 'refit', done: number, total: number) => void;

export interface TrainSettings extends Partial<Omit<TrainOptions, 'features'>> {
  features?: Partial<FeatureConfig>;
  normalise?: Normalise;
  /** Required with a custom `normalise`: saved in the model and checked on load. */
  normaliserId?: string;
  onProgress?: Progress;
}

export function trainModel(examples: readonly Example[], settings: TrainSettings = {}): Model {
  const started = performance.now();
  const { normalise = defaultNormalise, normaliserId, onProgress, features, ...rest } = settings;
  if (settings.normalise && !normaliserId) throw new Error('a custom normaliser needs a normaliserId');
  const o: TrainOptions = { ...DEFAULT_TRAINING, ...rest, features: { ...DEFAULT_TRAINING.features, ...features } };
  checkOptions(o);
  if (examples.length === 0) throw new Error('no labelled examples to train on');
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) throw new Error(`need at least two labels to learn, found only ${JSON.stringify(labels[0])}`);
  const at = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;

  const names: FeatureNames = new Map();
  const counts: Counts[] = [];
  const every = Math.max(1, Math.floor(examples.length / 100));
  examples.forEach((e, i) => {
    counts.push(countFeatures(e.text, o.features, normalise, names));
    if (onProgress && (i % every === 0 || i === examples.length - 1)) onProgress('features', i + 1, examples.length);
  });
  const y = Int32Array.from(examples, (e) => at.get(e.label) as number);

  const useHoldout = o.holdout > 0 && examples.length >= MIN_FOR_HOLDOUT;
  const { train, test } = useHoldout
    ? stratifiedSplit(
        examples.map((e) => e.label),
        o.holdout,
        o.seed,
      )
    : { train: examples.map((_, i) => i), test: [] as number[] };
  const fit = (rows: number[], stage: 'train' | 'refit') => {
    const idf = fitIdf(
      rows.map((i) => counts[i] as Counts),
      o.features,
    );
    const { buckets: used, featureOf } = denseFeatures(idf);
    const xs = rows.map((i) => renumber(weigh(counts[i] as Counts, idf, o.features), featureOf));
    const ys = Int32Array.from(rows, (i) => y[i] as number);
    const w = fitSoftmax(xs, ys, k, used.length, o, (epoch) => onProgress?.(stage, epoch, o.epochs));
    return { idf, used, featureOf, ...w };
  };

  let model = fit(train, 'train');
  let temperature = 1;
  let heldOut: Model['info']['heldOut'] = null;
  if (test.length > 0) {
    const logits = new Float64Array(test.length * k);
    const z = new Float64Array(k);
    test.forEach((i, r) => {
      logitsInto(z, renumber(weigh(counts[i] as Counts, model.idf, o.features), model.featureOf), model.weights, model.stride, 0, model.bias);
      logits.set(z, r * k);
    });
    const yt = Int32Array.from(test, (i) => y[i] as number);
    temperature = fitTemperature(logits, yt, k);
    heldOut = heldOutFigures(logits, yt, labels, temperature);
  }
  if (o.refit && test.length > 0)
    model = fit(
      [...train, ...test].sort((a, b) => a - b),
      'refit',
    );

  const classSizes: Record<string, number> = {};
  for (const c of y) classSizes[labels[c] as string] = (classSizes[labels[c] as string] ?? 0) + 1;
  // Only buckets that survived min_df can carry weight, so only their names are worth keeping.
  const nameOf = new Array<string>(model.idf.length).fill('');
  for (const [b, name] of names) if ((model.idf[b] as number) > 0) nameOf[b] = name;
  return {
    labels,
    features: o.features,
    table: pack(model.idf, model.used, model.weights, k, model.stride),
    bias: model.bias,
    temperature,
    names: nameOf,
    normalise,
    normaliserId: normaliserId ?? DEFAULT_NORMALISER_ID,
    info: {
      trainingSize: examples.length,
      classSizes,
      created: new Date().toISOString(),
      heldOut,
      options: {
        seed: o.seed,
        epochs: o.epochs,
        learningRate: o.learningRate,
        l2: o.l2,
        batchSize: o.batchSize,
        classWeight: o.classWeight,
        holdout: o.holdout,
        refit: o.refit,
      },
      trainSeconds: (performance.now() - started) / 1000,
    },
  };
}

function checkOptions(o: TrainOptions): void {
  const f = o.features;
  const bad = [
    [!(Number.isInteger(f.bits) && f.bits >= 10 && f.bits <= 24), `features.bits must be an integer from 10 to 24, not ${f.bits}`],
    [!(Number.isInteger(o.epochs) && o.epochs >= 1), `epochs must be a whole number ≥ 1, not ${o.epochs}`],
    [!(o.learningRate > 0), `learningRate must be positive, not ${o.learningRate}`],
    [!(o.l2 >= 0), `l2 must be ≥ 0, not ${o.l2}`],
    [!(o.holdout >= 0 && o.holdout < 1), `holdout must be in [0, 1), not ${o.holdout}`],
    [
      !(f.wordNgrams[0] >= 1 && f.wordNgrams[0] <= f.wordNgrams[1] && f.charNgrams[0] >= 1 && f.charNgrams[0] <= f.charNgrams[1]),
      'n-gram ranges must be [min ≥ 1, max ≥ min]',
    ],
  ] as const;
  for (const [wrong, message] of bad) if (wrong) throw new Error(message);
}

/** Numbers the buckets in use densely, most frequent first (lowest IDF), so training touches a small array
 * whose busiest rows share cache lines instead of scattering over all 2^bits buckets. */
function denseFeatures(idf: Float32Array): { buckets: Int32Array; featureOf: Int32Array } {
  const used: number[] = [];
  for (let b = 0; b < idf.length; b++) if ((idf[b] as number) > 0) used.push(b);
  used.sort((a, b) => (idf[a] as number) - (idf[b] as number) || a - b);
  const featureOf = new Int32Array(idf.length).fill(-1);
  used.forEach((b, f) => {
    featureOf[b] = f;
  });
  return { buckets: Int32Array.from(used), featureOf };
}

/** Rewrites a vector's buckets as dense feature numbers (every bucket of a weighed vector has IDF, so one). */
function renumber(x: SparseVector, featureOf: Int32Array): SparseVector {
  for (let i = 0; i < x.idx.length; i++) x.idx[i] = featureOf[x.idx[i] as number] as number;
  return x;
}

function heldOutFigures(logits: Float64Array, y: Int32Array, labels: string[], temperature: number) {
  const k = labels.length;
  const z = new Float64Array(k);
  const conf = (t: number) => {
    const out: { c: number; hit: boolean; p: string }[] = [];
    for (let i = 0; i < y.length; i++) {
      for (let c = 0; c < k; c++) z[c] = logits[i * k + c] as number;
      softmaxInPlace(z, t);
      let best = 0;
      for (let c = 1; c < k; c++) if ((z[c] as number) > (z[best] as number)) best = c;
      out.push({ c: z[best] as number, hit: best === y[i], p: labels[best] as string });
    }
    return out;
  };
  const raw = conf(1);
  const cal = conf(temperature);
  return {
    report: report(
      Array.from(y, (c) => labels[c] as string),
      cal.map((r) => r.p),
    ),
    eceRaw: calibrationError(
      raw.map((r) => r.c),
      raw.map((r) => r.hit),
    ),
    ece: calibrationError(
      cal.map((r) => r.c),
      cal.map((r) => r.hit),
    ),
  };
}
