// Text features of the triage model: their settings, the stand-in normaliser, IDF learnt at training time and
// sublinear TF × IDF vectors with each block (words, characters) L2-normalised. The n-grams themselves are hashed
// and counted in ngrams.ts. Text arrives through a `normalise` function the caller passes, so the real
// normaliser (HTML, transliteration) can change without touching the maths here.

export type Normalise = (s: string) => string;

/** Stand-in normaliser until the triage normaliser lands: lower case, ё→е, one space between words. */
export const DEFAULT_NORMALISER_ID = 'lowercase-yo-space-v1';
export const defaultNormalise: Normalise = (s) => {
  // Each replace runs only when needed: most messages have neither ё nor odd whitespace, and this is per message.
  let t = s.toLowerCase();
  if (t.includes('ё')) t = t.replace(/ё/g, 'е');
  return NEEDS_SPACING.test(t) ? t.replace(/\s+/g, ' ').trim() : t;
};
const NEEDS_SPACING = /\s\s|[^\S ]|^\s|\s$/;

export interface FeatureConfig {
  /** log2 of the number of buckets (18–20). */
  bits: number;
  wordNgrams: [number, number];
  charNgrams: [number, number];
  /** Each block is normalised on its own and then scaled, as in a union of two vectorisers: otherwise the
   * far more numerous character n-grams would drown the words. */
  wordWeight: number;
  charWeight: number;
  /** A bucket seen in fewer training texts is dropped: one-off n-grams memorise, they do not generalise. */
  minDf: number;
  /** Longer texts are cut: the category is in the first paragraphs, and a 1 MB paste must not stall intake. */
  maxChars: number;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  bits: 20,
  wordNgrams: [1, 2],
  charNgrams: [2, 5],
  wordWeight: 1,
  charWeight: 1,
  minDf: 2,
  maxChars: 20_000,
};

/** Raw term counts of one text: unique buckets (in order of first sight), word block in [0, split), character block after. */
export interface Counts {
  idx: Int32Array;
  cnt: Int32Array;
  split: number;
}

export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

/** Bucket → one n-gram seen there in training, so an explanation reads "word:вода", not "#18342". */
export type FeatureNames = Map<number, string>;

export { fmix32 } from '../hash.js';
export { countFeatures, countInto, hashString, KIND_CHAR, KIND_WORD } from './ngrams.js';

/** Smoothed IDF as scikit-learn computes it, zero for buckets seen in fewer than `minDf` texts. */
export function fitIdf(docs: readonly Counts[], cfg: FeatureConfig): Float32Array {
  const df = new Uint32Array(1 << cfg.bits);
  for (const d of docs) for (let i = 0; i < d.idx.length; i++) df[d.idx[i] as number]!++;
  const idf = new Float32Array(df.length);
  const n = docs.length;
  for (let b = 0; b < df.length; b++) {
    const f = df[b] as number;
    if (f >= cfg.minDf && f > 0) idf[b] = Math.log((1 + n) / (1 + f)) + 1;
  }
  return idf;
}

// 1 + ln(count) for the small counts nearly every n-gram has, so the hot loop skips Math.log.
export const SUBLINEAR = Float64Array.from({ length: 64 }, (_, n) => (n ? 1 + Math.log(n) : 0));

/** Sublinear TF × IDF, each block scaled to its configured length; buckets without IDF are left out. */
export function weigh(c: Counts, idf: Float32Array, cfg: FeatureConfig): SparseVector {
  const idx = new Int32Array(c.idx.length);
  const val = new Float32Array(c.idx.length);
  let k = 0;
  for (let block = 0; block < 2; block++) {
    const from = block === 0 ? 0 : c.split;
    const to = block === 0 ? c.split : c.idx.length;
    const start = k;
    let norm = 0;
    for (let i = from; i < to; i++) {
      const b = c.idx[i] as number;
      const w = idf[b] as number;
      if (w === 0) continue;
      const n = c.cnt[i] as number;
      const v = (n < SUBLINEAR.length ? (SUBLINEAR[n] as number) : 1 + Math.log(n)) * w;
      idx[k] = b;
      val[k++] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? (block === 0 ? cfg.wordWeight : cfg.charWeight) / Math.sqrt(norm) : 0;
    for (let i = start; i < k; i++) val[i] = (val[i] as number) * scale;
  }
  return { idx: idx.subarray(0, k), val: val.subarray(0, k) };
}
