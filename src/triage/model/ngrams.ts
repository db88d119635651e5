// Hashing and counting the n-grams of a text: word 1–2-grams and character n-grams inside word boundaries
// (scikit-learn's char_wb), FNV-1a with murmur3's finaliser into 2^bits buckets, repeats merged into counts.
// The hot path of both training and prediction, so it scans code units into reused buffers. The 32-bit hashes
// of the last text are kept: triage runs two models over the same message (sentiment, category), which differ
// only in their number of buckets, and the second one only masks and counts.
import { fmix32 } from '../hash.js';
import type { Counts, FeatureConfig, FeatureNames, Normalise } from './features.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Salts of the two feature kinds, so a word and a character n-gram with the same letters hash apart. */
export const KIND_WORD = 1;
export const KIND_CHAR = 2;

// FNV-1a fed a whole UTF-16 unit per step (half the work of byte by byte); its weak mixing of the top bits is
// the finaliser's job, and the spread test checks the result.
function step(h: number, c: number): number {
  return Math.imul(h ^ c, FNV_PRIME);
}

// murmur3's finaliser (../hash.ts) mixes what FNV-1a leaves weak in the low bits, which buckets use.

/** The 32-bit hash of a string under a feature kind (so a word and the same character n-gram differ). */
export function hashString(s: string, kind = 0): number {
  let h = step(FNV_OFFSET, kind);
  for (let i = 0; i < s.length; i++) h = step(h, s.charCodeAt(i));
  return fmix32(h);
}

// Character classes by table, built once: scanning code units beats a Unicode regex on the hot path.
const IS_WORD = new Uint8Array(65536);
const IS_SPACE = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) {
  if (c >= 0xd800 && c <= 0xdfff) continue; // surrogate halves: emoji and rare scripts stay in character n-grams
  const ch = String.fromCharCode(c);
  if (/[\p{L}\p{N}\p{M}]/u.test(ch)) IS_WORD[c] = 1;
  else if (/\s/.test(ch)) IS_SPACE[c] = 1;
}

// Growable scratch buffers reused across calls: featurising is the hot path of prediction.
let wordBuf: Int32Array = new Int32Array(4096);
let charBuf: Int32Array = new Int32Array(16384);
let tokBuf: Int32Array = new Int32Array(1024);
let padBuf = new Uint16Array(1024);
let nWord = 0;
function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Word tokens as [start, end) pairs in tokBuf; returns how many. */
function tokenise(t: string): number {
  let n = 0;
  for (let i = 0; i < t.length; ) {
    if (!IS_WORD[t.charCodeAt(i)]) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < t.length && IS_WORD[t.charCodeAt(j)]) j++;
    if (2 * n + 2 > tokBuf.length) tokBuf = grow(tokBuf);
    tokBuf[2 * n] = i;
    tokBuf[2 * n + 1] = j;
    n++;
    i = j;
  }
  return n;
}

// Which buckets a names map already holds, as one byte each: a lookup in a map of a million names per n-gram
// was a third of the training time.
const seenFor = new WeakMap<FeatureNames, Uint8Array>();
let seen: Uint8Array = new Uint8Array(0);

// Buffers hold full 32-bit hashes (as int32); a model's buckets are their low `bits` bits, taken when counting.
function wordHashes(t: string, tokens: number, cfg: FeatureConfig, mask: number, names?: FeatureNames) {
  const [lo, hi] = cfg.wordNgrams;
  for (let i = 0; i < tokens; i++) {
    // An n-gram hashes as its words joined by spaces; tokens hold no spaces, so n-grams of different n never meet.
    let h = step(FNV_OFFSET, KIND_WORD);
    for (let n = 1; n <= hi && i + n <= tokens; n++) {
      if (n > 1) h = step(h, 32);
      const end = tokBuf[2 * (i + n - 1) + 1] as number;
      for (let p = tokBuf[2 * (i + n - 1)] as number; p < end; p++) h = step(h, t.charCodeAt(p));
      if (n < lo) continue;
      const full = fmix32(h) | 0;
      if (nWord === wordBuf.length) wordBuf = grow(wordBuf);
      wordBuf[nWord++] = full;
      const b = full & mask;
      if (names && !seen[b]) {
        seen[b] = 1;
        const words: string[] = [];
        for (let w = i; w < i + n; w++) words.push(t.slice(tokBuf[2 * w], tokBuf[2 * w + 1]));
        names.set(b, `word:${words.join(' ')}`);
      }
    }
  }
}

/** Character n-grams of each whitespace-separated chunk padded with a space on both sides (char_wb). */
function charHashes(t: string, cfg: FeatureConfig, mask: number, names?: FeatureNames): number {
  const [lo, hi] = cfg.charNgrams;
  // Locals, not the module's buffers, in the hot loop: a module variable is re-read from memory on every use.
  if (charBuf.length < 4 * hi * (t.length + 2)) charBuf = new Int32Array(4 * hi * (t.length + 2));
  const out = charBuf;
  let n = 0;
  if (padBuf.length < t.length + 2) padBuf = new Uint16Array(2 * (t.length + 2));
  const pad = padBuf;
  for (let s = 0; s < t.length; ) {
    if (IS_SPACE[t.charCodeAt(s)]) {
      s++;
      continue;
    }
    // The padded chunk is copied to a code buffer once, so the inner loop has no boundary test.
    let len = 1;
    pad[0] = 32;
    let e = s;
    for (; e < t.length && !IS_SPACE[t.charCodeAt(e)]; e++) pad[len++] = t.charCodeAt(e);
    pad[len++] = 32;
    for (let i = 0; i + lo <= len; i++) {
      let h = step(FNV_OFFSET, KIND_CHAR);
      for (let j = i; j < i + lo - 1; j++) h = step(h, pad[j] as number);
      const end = Math.min(len, i + hi);
      for (let j = i + lo - 1; j < end; j++) {
        h = step(h, pad[j] as number);
        const full = fmix32(h) | 0;
        out[n++] = full;
        const b = full & mask;
        if (names && !seen[b]) {
          seen[b] = 1;
          names.set(b, `chars:${` ${t.slice(s, e)} `.slice(i, j + 1).replace(/ /g, '_')}`);
        }
      }
    }
    s = e;
  }
  return n;
}

// Repeats are merged through a small open-addressing table sized to the text, which stays in cache; a table
// over all 2^bits buckets would cost a cache miss per n-gram.
let keys = new Int32Array(1024);
let slots = new Int32Array(1024);

/** Writes a block's unique buckets (hashes & bucketMask) with their counts from `at`; returns the new end. */
function tally(buf: Int32Array, n: number, bucketMask: number, idx: Int32Array, cnt: Int32Array, at: number): number {
  let size = 1024;
  while (size < 2 * n) size *= 2;
  if (keys.length < size) {
    keys = new Int32Array(size);
    slots = new Int32Array(size);
  }
  keys.fill(0, 0, size);
  const m = size - 1;
  let k = at;
  for (let i = 0; i < n; i++) {
    const key = ((buf[i] as number) & bucketMask) + 1; // 0 marks an empty place
    let h = key & m; // the bucket is already a mixed hash: its low bits spread well
    while (keys[h] !== 0 && keys[h] !== key) h = (h + 1) & m;
    if (keys[h] === key) cnt[slots[h] as number]!++;
    else {
      keys[h] = key;
      slots[h] = k;
      idx[k] = key - 1;
      cnt[k++] = 1;
    }
  }
  return k;
}

let outIdx = new Int32Array(4096);
let outCnt = new Int32Array(4096);

/** Counts the hashed n-grams of one text into shared buffers: the result is valid until the next call.
 * With `names`, records a readable n-gram for each bucket seen for the first time. */
export function countInto(text: string, cfg: FeatureConfig, normalise: Normalise, names?: FeatureNames): Counts {
  if (names) {
    seen = seenFor.get(names) ?? new Uint8Array(1 << cfg.bits);
    seenFor.set(names, seen);
  }
  const mask = (1 << cfg.bits) - 1;
  // Recording names needs the n-grams' text, so training always hashes.
  if (names || !sameAsLast(text, cfg, normalise)) {
    const t = normalise(text.length > cfg.maxChars * 2 ? text.slice(0, cfg.maxChars * 2) : text).slice(0, cfg.maxChars);
    last.text = null; // the buffers are being overwritten
    nWord = 0;
    wordHashes(t, tokenise(t), cfg, mask, names);
    nChar = charHashes(t, cfg, mask, names);
    remember(text, cfg, normalise);
  }
  if (outIdx.length < nWord + nChar) {
    outIdx = new Int32Array(2 * (nWord + nChar));
    outCnt = new Int32Array(2 * (nWord + nChar));
  }
  const split = tally(wordBuf, nWord, mask, outIdx, outCnt, 0);
  const end = tally(charBuf, nChar, mask, outIdx, outCnt, split);
  return { idx: outIdx.subarray(0, end), cnt: outCnt.subarray(0, end), split };
}

let nChar = 0;
// What the hashes in wordBuf and charBuf are of: everything but `bits` that decides them.
const last = { text: null as string | null, normalise: null as Normalise | null, w0: 0, w1: 0, c0: 0, c1: 0, maxChars: 0 };

function sameAsLast(text: string, cfg: FeatureConfig, normalise: Normalise): boolean {
  return (
    last.text === text &&
    last.normalise === normalise &&
    last.w0 === cfg.wordNgrams[0] &&
    last.w1 === cfg.wordNgrams[1] &&
    last.c0 === cfg.charNgrams[0] &&
    last.c1 === cfg.charNgrams[1] &&
    last.maxChars === cfg.maxChars
  );
}

function remember(text: string, cfg: FeatureConfig, normalise: Normalise): void {
  last.text = text;
  last.normalise = normalise;
  [last.w0, last.w1] = cfg.wordNgrams;
  [last.c0, last.c1] = cfg.charNgrams;
  last.maxChars = cfg.maxChars;
}

/** Counts the hashed n-grams of one text into arrays of its own (for training, where counts are kept). */
export function countFeatures(text: string, cfg: FeatureConfig, normalise: Normalise, names?: FeatureNames): Counts {
  const c = countInto(text, cfg, normalise, names);
  return { idx: c.idx.slice(), cnt: c.cnt.slice(), split: c.split };
}
