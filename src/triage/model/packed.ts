// The prediction-time form of a model's table: only the buckets that carry weight, packed densely, found through
// a bitmap with a running count (a rank index). A model of 2^20 buckets keeps one table row per bucket (IDF and a
// weight per label: 12–46 MB), yet only 1–10 % of the buckets are in use, so the rows a text reads lie scattered
// over the whole table and rarely stay in the processor's cache. Packed, the rows in use take 0.6–2.2 MB; the
// index (256 kB for 2^20 buckets) says at once whether a bucket is in use (an n-gram never seen in training costs
// no read of the rows) and where its row is. Built once per model on first prediction and kept beside it; a
// model's table is never changed after training.
import { type Counts, type FeatureConfig, SUBLINEAR } from './features.js';
import type { Model } from './softmax.js';

export interface Packed {
  /** Per 32 buckets, two numbers: the row of the first used bucket among them, then one bit per bucket. Null
   * when most buckets are in use (a small model): the rows are then the table itself, a bucket's row its number. */
  index: Int32Array | null;
  /** The used buckets' rows in bucket order, each its IDF then one weight per label (as in the model's table),
   * then a row of zeros. */
  rows: Float32Array;
  stride: number;
  /** The row of zeros (with `index`). */
  zeroRow: number;
  /** Each row's n-gram, for explanations ('' for none): a short array is read with fewer cache misses than the
   * model's one per bucket. */
  names: string[];
}

/** A weighed text over packed rows: for each used n-gram in order, its row, its bucket (for names) and value. */
export interface PackedVector {
  idx: Int32Array;
  bucket: Int32Array;
  val: Float32Array;
}

const built = new WeakMap<Float32Array, Packed>();

/** The packed form of a model's table, made on first use and remembered with the table. */
export function packedTable(m: Pick<Model, 'table' | 'labels' | 'names'>): Packed {
  const { table, names } = m;
  const known = built.get(table);
  if (known) return known;
  const stride = m.labels.length + 1;
  const buckets = table.length / stride;
  let used = 0;
  for (let b = 0; b < buckets; b++) if (table[b * stride] !== 0) used++;
  if (used * 4 > buckets) {
    const whole = { index: null, rows: table, stride, zeroRow: -1, names };
    built.set(table, whole);
    return whole;
  }
  const index = new Int32Array(2 * Math.ceil(buckets / 32));
  const rows = new Float32Array((used + 1) * stride);
  const rowNames = new Array<string>(used + 1).fill('');
  let row = 0;
  for (let b = 0; b < buckets; b++) {
    if ((b & 31) === 0) index[2 * (b >>> 5)] = row;
    if (table[b * stride] === 0) continue;
    index[2 * (b >>> 5) + 1]! |= 1 << (b & 31);
    rows.set(table.subarray(b * stride, (b + 1) * stride), row * stride);
    rowNames[row] = names[b] ?? '';
    row++;
  }
  const packed = { index, rows, stride, zeroRow: used, names: rowNames };
  built.set(table, packed);
  return packed;
}

/** Set bits of a 32-bit number. */
function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

let rowBuf = new Int32Array(1024);
let bucketBuf = new Int32Array(1024);
let valBuf = new Float32Array(1024);
let idfBuf = new Float64Array(1024);

/**
 * Sublinear TF × IDF over the used buckets of `c`, each block scaled to its configured length: the values that
 * `weigh` gives, in the same order and the same float32 steps. Unused buckets (IDF 0) weigh nothing and add
 * nothing to a block's length, so leaving them out changes no score. The result is valid until the next call.
 */
export function weighPacked(c: Counts, p: Packed, cfg: FeatureConfig): PackedVector {
  const n = c.idx.length;
  if (rowBuf.length < n) {
    rowBuf = new Int32Array(2 * n);
    bucketBuf = new Int32Array(2 * n);
    valBuf = new Float32Array(2 * n);
    idfBuf = new Float64Array(2 * n);
  }
  const { index, rows, stride } = p;
  const idx = c.idx;
  const cnt = c.cnt;
  const rowOf = rowBuf;
  const idf = idfBuf;
  // First every row, then every IDF, then the values: the reads of the rows (cache misses, mostly) depend on
  // nothing but the row numbers, so the processor has many of them under way at once instead of a few.
  if (index === null) for (let i = 0; i < n; i++) rowOf[i] = idx[i] as number;
  else
    for (let i = 0; i < n; i++) {
      const b = idx[i] as number;
      const bits = index[2 * (b >>> 5) + 1] as number;
      const bit = 1 << (b & 31);
      // An unused bucket reads the zero row after the used ones.
      rowOf[i] = (bits & bit) === 0 ? p.zeroRow : (index[2 * (b >>> 5)] as number) + popcount(bits & (bit - 1));
    }
  for (let i = 0; i < n; i++) idf[i] = rows[(rowOf[i] as number) * stride] as number;
  const bucketOut = bucketBuf;
  const val = valBuf;
  let k = 0;
  for (let block = 0; block < 2; block++) {
    const from = block === 0 ? 0 : c.split;
    const to = block === 0 ? c.split : n;
    const start = k;
    let norm = 0;
    for (let i = from; i < to; i++) {
      const w = idf[i] as number;
      if (w === 0) continue;
      const count = cnt[i] as number;
      const v = (count < SUBLINEAR.length ? (SUBLINEAR[count] as number) : 1 + Math.log(count)) * w;
      // k ≤ i: the row numbers move down in place.
      rowOf[k] = rowOf[i] as number;
      bucketOut[k] = idx[i] as number;
      val[k++] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? (block === 0 ? cfg.wordWeight : cfg.charWeight) / Math.sqrt(norm) : 0;
    for (let i = start; i < k; i++) val[i] = (val[i] as number) * scale;
  }
  return { idx: rowOf.subarray(0, k), bucket: bucketOut.subarray(0, k), val: val.subarray(0, k) };
}
