// MinHash signatures of short complaint texts, and their storage form. Owns: shingling (words + character
// 3–5-grams inside words), the 32-bit hash family, Jaccard estimation and the signature ⇄ text encoding.
// Plain functions over plain data; the LSH index lives in lsh.ts, the place/time logic in cluster.ts.
//
// Why these choices:
// - Posts are short ("су жоқ", "нет воды 3 дня"), so word shingles alone give sets of 2–5 elements where one
//   typo halves the Jaccard. Character n-grams inside words survive typos, inflection ("воды"/"вода") and
//   word order; word tokens are kept too so that long, identical wordings still score high.
// - N-grams do not cross word boundaries: swapping two words must not change the set.
// - Kazakh letters are folded to their Russian-keyboard look-alikes (қ→к, ү→у, і→и …) while shingling,
//   because residents often type Kazakh without them ("су жок"). The stored original text is untouched.
// - One 32-bit base hash per shingle (FNV-1a over UTF-16 units, finished with murmur3's fmix32 because FNV's
//   low bits mix poorly), then k permutations h_i(x) = a_i·x + b_i mod 2^32 with odd a_i: each is a bijection
//   of the 32-bit space, costs one multiply, and the base hash is already random-looking, so the family
//   estimates Jaccard as well as slower ones (see minhash.test.ts). a_i, b_i come from a fixed seed:
//   a signature stored today must still compare with one computed after a restart.
import { fmix32 } from '../hash.js';
import { type SimdMinHash, simdMinHash } from './minhash-simd.js';

export { fmix32 };

export type Normalise = (text: string) => string;

export interface MinHashOptions {
  /** Permutations (signature length). 128 gives a standard error of ≤ 0.044 on the Jaccard estimate. */
  numPerm: number;
  /** Smallest and largest character n-gram. */
  charGrams: [number, number];
  /** Also use whole words as shingles. */
  words: boolean;
  /** Only the first maxChars characters are shingled: bounds the intake cost of a 50 kB paste. */
  maxChars: number;
  normalise: Normalise;
  seed: number;
}

/** Lower case, ё→е, whitespace collapsed. Pass the triage normaliser instead when HTML or Latin Kazakh may occur. */
export const defaultNormalise: Normalise = (text) => text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();

export const DEFAULT_MINHASH: MinHashOptions = {
  numPerm: 128,
  charGrams: [3, 5],
  words: true,
  maxChars: 8000,
  normalise: defaultNormalise,
  seed: 0x5eed_0001,
};

/** An empty signature (no shingles) is all ones: it matches nothing, not even another empty one. */
export const EMPTY = 0xffffffff;
const FLIP = -0x80000000; // int32 constant: flips the top bit without leaving int32 arithmetic

/** Deterministic 32-bit PRNG (splitmix32), for the permutation parameters and for generated test data. */
export function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    return fmix32(s);
  };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD_SALT = 0x27d4eb2f;
const KK_FOLD: Record<string, string> = { ә: 'а', ғ: 'г', қ: 'к', ң: 'н', ө: 'о', ұ: 'у', ү: 'у', һ: 'х', і: 'и' };
const SPACE = 32;

// Code unit → itself (or its Kazakh fold) when it is a letter or digit, else 0. Built once, on first use: a
// table lookup per character is several times faster than a Unicode regex. Astral letters (outside the BMP)
// are not letters here; emoji, which are astral, must not be anyway.
let wordChar: Uint16Array | null = null;
function wordChars(): Uint16Array {
  if (wordChar) return wordChar;
  const table = new Uint16Array(65536);
  const letter = /^[\p{L}\p{N}]$/u;
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    if (letter.test(ch)) table[c] = (KK_FOLD[ch] ?? ch).charCodeAt(0);
  }
  wordChar = table;
  return table;
}

// With the default normaliser, what `wordChars` gives for each code unit of the normalised text, read straight
// from the original: lower case and ё→е folded into the table, so the text is never copied. Whitespace needs no
// collapsing, as every non-letter separates words anyway. Only İ (lower case "i̇", two units) and Σ (ς or σ by
// context) lower-case differently alone than in a string: they are marked SLOW, and such a text takes the long way.
const SLOW = 0xffff;
let foldedChar: Uint16Array | null = null;
function foldedChars(): Uint16Array {
  if (foldedChar) return foldedChar;
  const words = wordChars();
  const table = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const lower = String.fromCharCode(c).toLowerCase();
    if (lower.length !== 1 || c === 0x3a3) table[c] = SLOW;
    else table[c] = words[lower === 'ё' ? 0x435 : lower.charCodeAt(0)] as number;
  }
  foldedChar = table;
  return table;
}

// Scratch for the padded word characters, reused across calls.
let padded = new Uint16Array(1024);

/** Fills `padded` with the text's word characters as the shingles read them (see `paddedNormalised`) and
 * returns their number. */
function padText(text: string, opts: MinHashOptions): number {
  const m = opts.normalise === defaultNormalise ? paddedFolded(text, opts.maxChars) : -1;
  return m >= 0 ? m : paddedNormalised(opts.normalise(text.length > opts.maxChars ? text.slice(0, opts.maxChars) : text));
}

/** Most hashes `hashPadded` writes for a padded text of m characters. */
const maxShingles = (m: number, opts: MinHashOptions) => m * (opts.charGrams[1] - opts.charGrams[0] + 2);

/** Writes the 32-bit shingle hashes of the first m characters of `padded` to `out` (unsorted, repeats kept)
 * and returns how many. */
function hashPadded(m: number, opts: MinHashOptions, out: Uint32Array): number {
  const chars = padded;
  const [minN, maxN] = opts.charGrams;
  let k = 0;
  let wordStart = 1;
  for (let p = 1; p < m; p++) {
    if (chars[p] !== SPACE) continue;
    // A word occupies [wordStart, p); its padded form is [wordStart − 1, p].
    if (p > wordStart && opts.words) {
      let h = FNV_OFFSET ^ WORD_SALT;
      for (let i = wordStart; i < p; i++) h = Math.imul(h ^ (chars[i] as number), FNV_PRIME);
      out[k++] = fmix32(h ^ (p - wordStart));
    }
    for (let s = wordStart - 1; s <= p + 1 - minN; s++) {
      let h = FNV_OFFSET;
      for (let n = 1; n <= maxN && s + n - 1 <= p; n++) {
        h = Math.imul(h ^ (chars[s + n - 1] as number), FNV_PRIME);
        if (n >= minN) out[k++] = fmix32(h ^ n);
      }
    }
    wordStart = p + 1;
  }
  return k;
}

/** The padded form of a normalised text in `padded`: every word between single spaces, so "вод" at a word start
 * differs from "вод" inside one. Returns its length. */
function paddedNormalised(norm: string): number {
  const table = wordChars();
  const len = norm.length;
  if (padded.length < len + 2) padded = new Uint16Array(2 * (len + 2));
  const chars = padded;
  let m = 0;
  chars[m++] = SPACE;
  for (let i = 0; i < len; i++) {
    const c = table[norm.charCodeAt(i)] as number;
    if (c !== 0) chars[m++] = c;
    else if (chars[m - 1] !== SPACE) chars[m++] = SPACE;
  }
  if (chars[m - 1] !== SPACE) chars[m++] = SPACE;
  return m;
}

/** `paddedNormalised(defaultNormalise(text))` without building the normalised text; −1 for a text with İ or Σ. */
function paddedFolded(text: string, maxChars: number): number {
  const table = foldedChars();
  const len = Math.min(text.length, maxChars);
  if (padded.length < len + 2) padded = new Uint16Array(2 * (len + 2));
  const chars = padded;
  let m = 0;
  chars[m++] = SPACE;
  for (let i = 0; i < len; i++) {
    const c = table[text.charCodeAt(i)] as number;
    if (c === 0) {
      if (chars[m - 1] !== SPACE) chars[m++] = SPACE;
    } else if (c !== SLOW) chars[m++] = c;
    else return -1;
  }
  if (chars[m - 1] !== SPACE) chars[m++] = SPACE;
  return m;
}

/** Distinct 32-bit shingle hashes of a text, sorted. */
export function shingleHashes(text: string, opts: MinHashOptions = DEFAULT_MINHASH): Uint32Array {
  const m = padText(text, opts);
  const out = new Uint32Array(maxShingles(m, opts));
  const arr = out.subarray(0, hashPadded(m, opts, out)).sort();
  let u = 0;
  for (let i = 0; i < arr.length; i++) if (i === 0 || arr[i] !== arr[i - 1]) arr[u++] = arr[i] as number;
  return arr.subarray(0, u);
}

export class MinHasher {
  readonly opts: MinHashOptions;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  // The permutations in WebAssembly SIMD (identical results), or null where it is unavailable; made on first use.
  private simd: SimdMinHash | null | undefined;
  private scratch = new Uint32Array(1024);

  constructor(options: Partial<MinHashOptions> = {}) {
    this.opts = { ...DEFAULT_MINHASH, ...options };
    const { numPerm, charGrams } = this.opts;
    if (!Number.isInteger(numPerm) || numPerm < 1 || numPerm > 1024) throw new Error(`numPerm must be 1..1024, got ${numPerm}`);
    if (charGrams[0] < 1 || charGrams[1] < charGrams[0]) throw new Error(`bad charGrams ${charGrams.join('..')}`);
    const rnd = splitmix32(this.opts.seed);
    this.a = new Int32Array(numPerm);
    this.b = new Int32Array(numPerm);
    for (let i = 0; i < numPerm; i++) {
      this.a[i] = rnd() | 1; // odd: multiplication mod 2^32 is then a bijection
      this.b[i] = rnd() | 0;
    }
  }

  /** Signature of a set of 32-bit hashes (exposed so tests can use sets of known Jaccard). */
  signatureOfHashes(hashes: Uint32Array): Uint32Array {
    const k = this.opts.numPerm;
    const sig = new Uint32Array(k).fill(EMPTY);
    const n = hashes.length;
    if (n === 0) return sig;
    // Hot loop: one permutation at a time keeps the running minimum in a register. Values are compared as
    // signed int32 after flipping the top bit (same order as unsigned), so V8 never boxes them as doubles.
    const h = new Int32Array(hashes.buffer, hashes.byteOffset, n);
    const { a, b } = this;
    let i = 0;
    // Four permutations per pass over the shingles: each hash is loaded once for four multiplies.
    for (; i + 4 <= k; i += 4) {
      const a0 = a[i] as number,
        a1 = a[i + 1] as number,
        a2 = a[i + 2] as number,
        a3 = a[i + 3] as number;
      const b0 = b[i] as number,
        b1 = b[i + 1] as number,
        b2 = b[i + 2] as number,
        b3 = b[i + 3] as number;
      let m0 = 0x7fffffff,
        m1 = 0x7fffffff,
        m2 = 0x7fffffff,
        m3 = 0x7fffffff;
      for (let j = 0; j < n; j++) {
        const x = h[j] as number;
        const v0 = ((Math.imul(a0, x) + b0) | 0) ^ FLIP;
        const v1 = ((Math.imul(a1, x) + b1) | 0) ^ FLIP;
        const v2 = ((Math.imul(a2, x) + b2) | 0) ^ FLIP;
        const v3 = ((Math.imul(a3, x) + b3) | 0) ^ FLIP;
        if (v0 < m0) m0 = v0;
        if (v1 < m1) m1 = v1;
        if (v2 < m2) m2 = v2;
        if (v3 < m3) m3 = v3;
      }
      sig[i] = (m0 ^ FLIP) >>> 0;
      sig[i + 1] = (m1 ^ FLIP) >>> 0;
      sig[i + 2] = (m2 ^ FLIP) >>> 0;
      sig[i + 3] = (m3 ^ FLIP) >>> 0;
    }
    for (; i < k; i++) {
      let min = 0x7fffffff;
      for (let j = 0; j < n; j++) {
        const v = ((Math.imul(a[i] as number, h[j] as number) + (b[i] as number)) | 0) ^ FLIP;
        if (v < min) min = v;
      }
      sig[i] = (min ^ FLIP) >>> 0;
    }
    return sig;
  }

  /** `signatureOfHashes(shingleHashes(text))`: the minimum over a set does not depend on its order or on
   * repeats, so the hashes are neither sorted nor de-duplicated here. */
  signature(text: string): Uint32Array {
    return this.signatureInto(text, new Uint32Array(this.opts.numPerm));
  }

  /** `signature(text)` written to `out` (numPerm values), which is returned. */
  signatureInto(text: string, out: Uint32Array): Uint32Array {
    const m = padText(text, this.opts);
    const most = maxShingles(m, this.opts);
    if (this.simd === undefined) this.simd = simdMinHash(this.a, this.b);
    if (this.simd) {
      this.simd.run(hashPadded(m, this.opts, this.simd.hashes(most)), out);
      return out;
    }
    if (this.scratch.length < most) this.scratch = new Uint32Array(most);
    out.set(this.signatureOfHashes(this.scratch.subarray(0, hashPadded(m, this.opts, this.scratch))));
    return out;
  }
}

export function isEmptySignature(sig: Uint32Array): boolean {
  for (let i = 0; i < sig.length; i++) if (sig[i] !== EMPTY) return false;
  return true;
}

/** Fraction of equal positions: an unbiased estimate of the Jaccard similarity of the shingle sets. */
export function estimateJaccard(x: Uint32Array, y: Uint32Array): number {
  if (x.length !== y.length) throw new Error(`signature lengths differ: ${x.length} vs ${y.length}`);
  let same = 0;
  let empty = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v === y[i]) {
      if (v === EMPTY) empty++;
      else same++;
    }
  }
  // Two empty texts share nothing; without this every pair of empty posts would be a "duplicate".
  return empty === x.length ? 0 : same / x.length;
}

export function jaccard(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const sx = new Set(Array.from(x));
  let inter = 0;
  const sy = new Set(Array.from(y));
  for (const v of sy) if (sx.has(v)) inter++;
  const union = sx.size + sy.size - inter;
  return union === 0 ? 0 : inter / union;
}

// Storage: "mh1:" + base64 of the little-endian words (128 permutations → 688 characters), for a text column.
// Stored signatures only compare with ones made by the same shingling, seed and numPerm: change any of
// them and the prefix must change too ("mh2:"), so old rows are re-hashed instead of silently mismatching.
const PREFIX = 'mh1:';

export function signatureToBytes(sig: Uint32Array): Uint8Array {
  const bytes = new Uint8Array(sig.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < sig.length; i++) view.setUint32(i * 4, sig[i] as number, true);
  return bytes;
}

export function signatureFromBytes(bytes: Uint8Array): Uint32Array {
  if (bytes.length === 0 || bytes.length % 4 !== 0) throw new Error(`signature bytes must be a non-empty multiple of 4, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sig = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < sig.length; i++) sig[i] = view.getUint32(i * 4, true);
  return sig;
}

// On a little-endian machine (all that Node runs on in practice) the words' memory is already the stored bytes.
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

export function encodeSignature(sig: Uint32Array): string {
  const bytes = LITTLE_ENDIAN ? Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength) : Buffer.from(signatureToBytes(sig));
  return PREFIX + bytes.toString('base64');
}

export function decodeSignature(text: string): Uint32Array {
  if (!text.startsWith(PREFIX)) throw new Error('not a MinHash signature (expected prefix mh1:)');
  const body = text.slice(PREFIX.length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new Error('signature is not valid base64');
  return signatureFromBytes(new Uint8Array(Buffer.from(body, 'base64')));
}
