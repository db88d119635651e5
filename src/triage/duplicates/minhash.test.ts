import { describe, expect, it } from 'vitest';
import { type Complaint, complaint, paraphrase, rng, VARIATIONS, type Variation } from './generate.js';
import { LshIndex } from './lsh.js';
import {
  DEFAULT_MINHASH,
  decodeSignature,
  defaultNormalise,
  EMPTY,
  encodeSignature,
  estimateJaccard,
  fmix32,
  isEmptySignature,
  jaccard,
  MinHasher,
  shingleHashes,
  signatureFromBytes,
  signatureToBytes,
  splitmix32,
} from './minhash.js';

const hasher = new MinHasher();

/** Pearson χ² of counts against a uniform spread. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
}

describe('hash mixing', () => {
  // 256 buckets: χ² has 255 degrees of freedom, mean 255, sd ≈ 22.6; 370 is five sd above.
  const CHI_LIMIT = 370;

  it('spreads the shingles of near-identical texts evenly over buckets, in high and low bits', () => {
    const hashes = new Set<number>();
    for (let i = 0; i < 20_000; i++) for (const h of shingleHashes(`дом ${i} кв${i % 97}`)) hashes.add(h);
    const high = new Array(256).fill(0);
    const low = new Array(256).fill(0);
    for (const h of hashes) {
      high[h >>> 24]++;
      low[h & 0xff]++;
    }
    expect(chiSquare(high)).toBeLessThan(CHI_LIMIT);
    expect(chiSquare(low)).toBeLessThan(CHI_LIMIT);
  });

  it('gives every permutation uniform top bits even over consecutive inputs', () => {
    const xs = Uint32Array.from({ length: 50_000 }, (_, i) => i);
    for (const perm of [0, 63, 127]) {
      const counts = new Array(256).fill(0);
      for (const x of xs) counts[(hasher.signatureOfHashes(Uint32Array.of(fmix32(x)))[perm] as number) >>> 24]++;
      expect(chiSquare(counts)).toBeLessThan(CHI_LIMIT);
    }
  });

  it('flips about half the output bits when one input bit flips (avalanche)', () => {
    const next = splitmix32(7);
    let flips = 0;
    let trials = 0;
    for (let i = 0; i < 2000; i++) {
      const x = next();
      for (let bit = 0; bit < 32; bit++) {
        let d = (fmix32(x) ^ fmix32((x ^ (1 << bit)) >>> 0)) >>> 0;
        while (d) {
          flips += d & 1;
          d >>>= 1;
        }
        trials++;
      }
    }
    expect(flips / trials / 32).toBeGreaterThan(0.48);
    expect(flips / trials / 32).toBeLessThan(0.52);
  });

  it('collides on distinct shingles no more often than a random 32-bit function would', () => {
    const r = rng(11);
    const alphabet = [...'абвгдежзийклмнопрстуфхцчшщыьэюя0123456789'];
    const shingles = new Set<string>();
    const hashes = new Set<number>();
    for (let i = 0; i < 40_000; i++) {
      const word = Array.from({ length: 3 + Math.floor(r() * 8) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
      shingles.add(`w:${word}`);
      const padded = ` ${word} `;
      for (let n = 3; n <= 5; n++) for (let p = 0; p + n <= padded.length; p++) shingles.add(padded.slice(p, p + n));
      for (const h of shingleHashes(word)) hashes.add(h);
    }
    const collisions = shingles.size - hashes.size;
    const expected = shingles.size ** 2 / 2 ** 33;
    expect(collisions).toBeGreaterThanOrEqual(0);
    expect(collisions).toBeLessThan(3 * expected + 10);
  });
});

describe('Jaccard estimate', () => {
  it('tracks the true Jaccard of random sets within the standard error of 128 permutations', () => {
    const next = splitmix32(3);
    const errors: number[] = [];
    for (let trial = 0; trial < 300; trial++) {
      const target = (trial % 9) / 10 + 0.1;
      // |A ∩ B| = s, |A| = |B| = 100: J = s / (200 − s), so s = 200J / (1 + J).
      const shared = Math.round((200 * target) / (1 + target));
      const common = Array.from({ length: shared }, next);
      const a = Uint32Array.from([...common, ...Array.from({ length: 100 - shared }, next)]);
      const b = Uint32Array.from([...common, ...Array.from({ length: 100 - shared }, next)]);
      errors.push(estimateJaccard(hasher.signatureOfHashes(a), hasher.signatureOfHashes(b)) - jaccard(a, b));
    }
    const meanAbs = errors.reduce((s, e) => s + Math.abs(e), 0) / errors.length;
    const bias = errors.reduce((s, e) => s + e, 0) / errors.length;
    expect(meanAbs).toBeLessThan(0.035);
    expect(Math.abs(bias)).toBeLessThan(0.01);
    expect(Math.max(...errors.map(Math.abs))).toBeLessThan(0.16); // ≈ 3.6 sd at J = 0.5
  });

  it('tracks the true Jaccard of real complaint texts', () => {
    const r = rng(5);
    let total = 0;
    for (let i = 0; i < 300; i++) {
      const c = complaint(r);
      const a = c.text;
      const b = i % 2 ? paraphrase(r, c).text : complaint(r).text;
      total += Math.abs(estimateJaccard(hasher.signature(a), hasher.signature(b)) - jaccard(shingleHashes(a), shingleHashes(b)));
    }
    expect(total / 300).toBeLessThan(0.035);
  });

  it('is 1 for texts that differ only in case, punctuation, emoji, ё and Kazakh letters typed as Russian', () => {
    const base = hasher.signature('Су жоқ, Кенесары 12 үй! Всё плохо');
    expect(estimateJaccard(base, hasher.signature('СУ ЖОК кенесары 12 уй 😡😡 все плохо'))).toBe(1);
  });
});

describe('paraphrases', () => {
  it('finds ≥ 95% of paraphrases through LSH at text similarity ≥ 0.45, and < 1% of unrelated complaints', () => {
    const r = rng(2024);
    const index = new LshIndex(128);
    const bases = Array.from({ length: 2000 }, () => complaint(r));
    bases.forEach((c, i) => {
      index.add(String(i), hasher.signature(c.text));
    });
    const missedBy = new Map<Variation, number>(VARIATIONS.map((v) => [v, 0]));
    let found = 0;
    for (let i = 0; i < bases.length; i++) {
      const p = paraphrase(r, bases[i] as Complaint);
      const sig = hasher.signature(p.text);
      const hit = index.query(sig).includes(String(i)) && estimateJaccard(sig, index.signatureOf(String(i)) as Uint32Array) >= 0.45;
      if (hit) found++;
      else for (const v of p.how) missedBy.set(v, (missedBy.get(v) ?? 0) + 1);
    }
    expect(found / bases.length, JSON.stringify(Object.fromEntries(missedBy))).toBeGreaterThanOrEqual(0.95);

    let falsePositives = 0;
    let pairs = 0;
    for (let i = 0; i + 1 < bases.length; i += 2) {
      const [a, b] = [bases[i], bases[i + 1]] as [Complaint, Complaint];
      if (a.category === b.category) continue; // same category: place decides (cluster.ts), not words alone
      pairs++;
      if (estimateJaccard(hasher.signature(a.text), hasher.signature(b.text)) >= 0.45) falsePositives++;
    }
    expect(falsePositives / pairs).toBeLessThan(0.01);
  });
});

describe('storage encoding', () => {
  it('round-trips a signature through text and bytes', () => {
    const sig = hasher.signature('нет горячей воды третий день');
    const text = encodeSignature(sig);
    expect(text).toMatch(/^mh1:[A-Za-z0-9+/]+=*$/);
    expect(text.length).toBeLessThan(700);
    expect(decodeSignature(text)).toEqual(sig);
    expect(signatureFromBytes(signatureToBytes(sig))).toEqual(sig);
  });

  it('rejects text that is not a signature', () => {
    expect(() => decodeSignature('hello')).toThrow(/prefix/);
    expect(() => decodeSignature('mh1:@@@')).toThrow(/base64/);
    expect(() => decodeSignature('mh1:AAA=')).toThrow(/multiple of 4/);
  });
});

describe('robustness', () => {
  it('gives an empty signature, similar to nothing, for empty or letterless text', () => {
    for (const t of ['', '   ', '!!! ???', '😡😡😡']) {
      const sig = hasher.signature(t);
      expect(isEmptySignature(sig)).toBe(true);
      expect(sig[0]).toBe(EMPTY);
      expect(estimateJaccard(sig, sig)).toBe(0);
    }
  });

  it('hashes 50 kB of text quickly, reading only the first maxChars', () => {
    const big = 'труба прорвала подвал затопило '.repeat(1700);
    const t0 = performance.now();
    const sig = hasher.signature(big);
    expect(performance.now() - t0).toBeLessThan(250);
    expect(estimateJaccard(sig, hasher.signature(big.slice(0, 8000)))).toBe(1);
  });

  it('survives binary junk: NULs, lone surrogates, random code units', () => {
    const next = splitmix32(99);
    const junk = `${String.fromCharCode(...Array.from({ length: 5000 }, () => next() & 0xffff))}\u0000\ud800\udfff\ud800`;
    const sig = hasher.signature(junk);
    expect(sig).toHaveLength(128);
    expect(hasher.signature(junk)).toEqual(sig);
  });

  it('gives the same shingles and signatures by every path: folded tables or the normaliser, SIMD or scalar', () => {
    const next = splitmix32(5);
    const alphabet = 'aAİıIiΣσςΑЁёӘәҚқІі  \n\t.,-!1٣ßẞǅ😀\u0307\u0345ﬁ𐐀𐐨ᲀ\u00a0K\u212aſ';
    const texts = ['Нет воды третий день!', 'Су жоқ, ҚАШАН береді?', 'ΣΟΦΊΑ ΣΑΣ', 'İstanbul İİ', ''];
    for (let i = 0; i < 300; i++) texts.push(Array.from({ length: next() % 40 }, () => alphabet[next() % alphabet.length]).join(''));
    const viaNormaliser = { ...DEFAULT_MINHASH, normalise: (t: string) => defaultNormalise(t) };
    for (const opts of [{}, { numPerm: 17, charGrams: [1, 2] as [number, number], words: false }, { maxChars: 7 }]) {
      const simd = new MinHasher(opts);
      for (const t of texts) {
        const hashes = shingleHashes(t, simd.opts);
        expect(shingleHashes(t, { ...viaNormaliser, ...opts })).toEqual(hashes);
        expect(simd.signature(t)).toEqual(simd.signatureOfHashes(hashes));
      }
    }
  });

  it('rejects a nonsensical configuration', () => {
    expect(() => new MinHasher({ numPerm: 0 })).toThrow();
    expect(() => new MinHasher({ charGrams: [5, 3] })).toThrow();
  });
});
