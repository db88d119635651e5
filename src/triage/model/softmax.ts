// Multinomial logistic regression over hashed sparse vectors: AdaGrad training with L2 and class weights,
// temperature scaling so `confidence` tracks the hit rate, and predictions that name the n-grams behind them.
// Plain maths over typed arrays; where the vectors come from is features.ts, the orchestration train.ts.
import { countInto, type FeatureConfig, type Normalise, type SparseVector } from './features.js';
import type { Report } from './metrics.js';
import { type Packed, type PackedVector, packedTable, weighPacked } from './packed.js';
import { rng, shuffleInPlace } from './random.js';

export interface SoftmaxOptions {
  seed: number;
  epochs: number;
  learningRate: number;
  l2: number;
  batchSize: number;
  /** "balanced" weighs each class by n / (classes × its size): the rare category matters as much as the common one. */
  classWeight: 'balanced' | 'none';
}

export interface HeldOut {
  report: Report;
  /** Expected calibration error on the held-out slice before and after temperature scaling. */
  eceRaw: number;
  ece: number;
}

export interface ModelInfo {
  trainingSize: number;
  classSizes: Record<string, number>;
  created: string;
  heldOut: HeldOut | null;
  options: SoftmaxOptions & { holdout: number; refit: boolean };
  trainSeconds: number;
}

export interface Model {
  labels: string[];
  features: FeatureConfig;
  /** Per bucket (all 2^bits), its IDF then its weight for each label, so one feature costs one cache miss;
   * IDF 0 marks an unused bucket. See `pack`. */
  table: Float32Array;
  bias: Float32Array;
  temperature: number;
  /** Bucket → one n-gram seen there in training ('' for none). A full array rather than a map: an explanation
   * looks up five names per message, and a map of a quarter million entries cost a cache miss per step. */
  names: string[];
  normalise: Normalise;
  /** Names the normaliser, so a saved model is never loaded with a different one by mistake. */
  normaliserId: string;
  info: ModelInfo;
}

export interface Prediction {
  label: string;
  confidence: number;
  probabilities: { label: string; p: number }[];
  features: { feature: string; weight: number }[];
}

export function classWeights(y: Int32Array, k: number, mode: SoftmaxOptions['classWeight']): Float64Array {
  const w = new Float64Array(k).fill(1);
  if (mode === 'none') return w;
  const sizes = new Float64Array(k);
  for (const c of y) sizes[c]!++;
  for (let c = 0; c < k; c++) w[c] = sizes[c] ? y.length / (k * (sizes[c] as number)) : 1;
  return w;
}

/** Fits weights and biases over `features` dense feature numbers. Weights come feature-major with a stride of
 * labels + 1: feature j's weight for label c is `weights[j * stride + c]`, and the slot after them holds its
 * AdaGrad sum, so one step on a feature touches one cache line. Deterministic for one seed: the only randomness
 * is the seeded epoch order. */
export function fitSoftmax(
  xs: readonly SparseVector[],
  y: Int32Array,
  k: number,
  features: number,
  o: SoftmaxOptions,
  onEpoch?: (epoch: number) => void,
): { weights: Float32Array; stride: number; bias: Float32Array } {
  // AdaGrad's running sum of squared gradients is one per feature, shared by its labels: a K-th of the memory
  // and of the square roots of one per weight, and it validated as well.
  const stride = k + 1;
  const weights = new Float32Array(features * stride);
  const bias = new Float32Array(k);
  const sqBias = new Float64Array(k);
  const cw = classWeights(y, k, o.classWeight);
  const order = Int32Array.from({ length: xs.length }, (_, i) => i);
  const random = rng(o.seed);
  const z = new Float64Array(k);
  const g = new Float64Array(k);
  const batch = Math.max(1, o.batchSize);
  const coef = new Float64Array(batch * k);
  const lr = o.learningRate;
  const l2 = o.l2;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (let start = 0; start < order.length; start += batch) {
      const end = Math.min(order.length, start + batch);
      // Every gradient of the batch is taken at the same weights, then all are applied.
      for (let e = start; e < end; e++) {
        const i = order[e] as number;
        logitsInto(z, xs[i] as SparseVector, weights, stride, 0, bias);
        softmaxInPlace(z, 1);
        const yi = y[i] as number;
        const off = (e - start) * k;
        for (let c = 0; c < k; c++) coef[off + c] = cw[yi]! * ((z[c] as number) - (c === yi ? 1 : 0));
      }
      for (let e = start; e < end; e++) {
        const x = xs[order[e] as number] as SparseVector;
        const off = (e - start) * k;
        for (let c = 0; c < k; c++) {
          const gb = coef[off + c] as number;
          sqBias[c]! += gb * gb;
          bias[c]! -= (lr * gb) / Math.sqrt(sqBias[c]! + 1e-8);
        }
        for (let f = 0; f < x.idx.length; f++) {
          const base = (x.idx[f] as number) * stride;
          const v = x.val[f] as number;
          // L2 is applied where a feature occurs, not to every feature each step: cheap, and it shrinks an
          // n-gram in proportion to how often it speaks, which validated better than a uniform (lazy) decay.
          let g2 = 0;
          for (let c = 0; c < k; c++) {
            const gc = v * (coef[off + c] as number) + l2 * (weights[base + c] as number);
            g[c] = gc;
            g2 += gc * gc;
          }
          const s = (weights[base + k] as number) + g2;
          weights[base + k] = s;
          const rate = lr / Math.sqrt(s + 1e-8);
          for (let c = 0; c < k; c++) weights[base + c]! -= rate * (g[c] as number);
        }
      }
    }
    onEpoch?.(epoch + 1);
  }
  return { weights, stride, bias };
}

/** Label scores of a vector: the weight of bucket b for label c is `table[b * stride + first + c]`. */
export function logitsInto(z: Float64Array, x: SparseVector, table: Float32Array, stride: number, first: number, bias: Float32Array): void {
  const k = z.length;
  for (let c = 0; c < k; c++) z[c] = bias[c] as number;
  for (let f = 0; f < x.idx.length; f++) {
    const base = (x.idx[f] as number) * stride + first;
    const v = x.val[f] as number;
    for (let c = 0; c < k; c++) z[c]! += v * (table[base + c] as number);
  }
}

/** Builds a model's table from the IDF over all buckets and feature-major weights (stride as fitSoftmax gives
 * them), feature f being bucket `buckets[f]`. Each bucket's weights are centred on their mean: softmax cannot
 * tell (the same amount is added to every label's score), and a weight then reads directly as how much the
 * n-gram argues for its label. */
export function pack(idf: Float32Array, buckets: Int32Array, weights: Float32Array, k: number, stride = k): Float32Array {
  const table = new Float32Array(idf.length * (k + 1));
  buckets.forEach((b, f) => {
    let mean = 0;
    for (let c = 0; c < k; c++) mean += weights[f * stride + c] as number;
    mean /= k;
    table[b * (k + 1)] = idf[b] as number;
    for (let c = 0; c < k; c++) table[b * (k + 1) + 1 + c] = (weights[f * stride + c] as number) - mean;
  });
  return table;
}

/** Softmax of z / temperature, in place, shifted by the maximum so no exponent overflows. */
export function softmaxInPlace(z: Float64Array, temperature: number): void {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    const e = Math.exp(((z[c] as number) - max) / temperature);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < z.length; c++) z[c] = (z[c] as number) / sum;
}

/** The temperature that minimises held-out log-loss (golden-section search on log T). Argmax is unchanged,
 * so accuracy stays as it is while a confidence of 0.8 comes to mean right about 80% of the time. */
export function fitTemperature(logits: Float64Array, y: Int32Array, k: number): number {
  if (y.length === 0) return 1;
  const z = new Float64Array(k);
  const nll = (t: number) => {
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      for (let c = 0; c < k; c++) z[c] = logits[i * k + c] as number;
      softmaxInPlace(z, t);
      s -= Math.log(Math.max(1e-12, z[y[i] as number] as number));
    }
    return s;
  };
  let a = Math.log(0.05);
  let b = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 40; it++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (nll(Math.exp(c)) < nll(Math.exp(d))) b = d;
    else a = c;
  }
  return Math.exp((a + b) / 2);
}

/** Classifies a weighed text, `x` being its rows in the model's packed table; `explain` top n-grams pushing
 * toward the chosen label. */
function classify(m: Model, packed: Packed, x: PackedVector, explain: number): Prediction {
  const rows = packed.rows;
  const k = m.labels.length;
  if (zScratch.length !== k) zScratch = new Float64Array(k);
  const z = zScratch;
  logitsInto(z, x, rows, k + 1, 1, m.bias);
  softmaxInPlace(z, m.temperature);
  // The three likeliest by selection: sorting every label is waste when there are dozens of categories.
  const top: number[] = [];
  for (let r = 0; r < Math.min(3, k); r++) {
    let best = -1;
    for (let c = 0; c < k; c++) if (!top.includes(c) && (best < 0 || (z[c] as number) > (z[best] as number))) best = c;
    top.push(best);
  }
  const best = top[0] as number;
  return {
    label: m.labels[best] as string,
    confidence: z[best] as number,
    probabilities: top.map((c) => ({ label: m.labels[c] as string, p: z[c] as number })),
    features: explain > 0 ? topFeatures(packed, x, best, explain) : [],
  };
}

let zScratch = new Float64Array(0);

/**
 * The `n` features with the largest positive share of the label's score (value × weight, in float32 as it was
 * kept when every share was stored), largest first, the earlier feature on a tie. Only the winning label's shares
 * are needed, so they are taken here from the rows the scores just read (in cache) rather than stored for all.
 */
function topFeatures(packed: Packed, x: PackedVector, label: number, n: number): { feature: string; weight: number }[] {
  const { rows, stride } = packed;
  const first = 1 + label;
  if (topWeight.length < n) {
    topWeight = new Float64Array(n);
    topAt = new Int32Array(n);
  }
  const weight = topWeight;
  const at = topAt;
  const { idx, val } = x;
  let kept = 0;
  // One comparison per feature against the smallest kept share (0 until n are kept): most features lose it, and
  // a test the processor predicts well is what makes this scan cheap.
  let bar = 0;
  for (let f = 0; f < idx.length; f++) {
    const w = Math.fround((val[f] as number) * (rows[(idx[f] as number) * stride + first] as number));
    if (w <= bar) continue;
    // Insertion into a short sorted list: names are looked up only for the winners.
    let i = kept < n ? kept++ : n - 1;
    while (i > 0 && (weight[i - 1] as number) < w) {
      weight[i] = weight[i - 1] as number;
      at[i] = at[i - 1] as number;
      i--;
    }
    weight[i] = w;
    at[i] = f;
    if (kept === n) bar = weight[n - 1] as number;
  }
  const out: { feature: string; weight: number }[] = [];
  for (let i = 0; i < kept; i++) {
    const f = at[i] as number;
    const feature = packed.names[idx[f] as number] || `bucket:${x.bucket[f]}`;
    out.push({ feature, weight: Math.round((weight[i] as number) * 1e4) / 1e4 });
  }
  return out;
}

let topWeight = new Float64Array(8);
let topAt = new Int32Array(8);

/** Classifies one text (normalised here by the model's normaliser): the label, its calibrated confidence, the
 * three likeliest labels and, with `explain` > 0, the n-grams that argued for the label. */
export function predict(m: Model, text: string, explain = 5): Prediction {
  const packed = packedTable(m);
  return classify(m, packed, weighPacked(countInto(text, m.features, m.normalise), packed, m.features), explain);
}
