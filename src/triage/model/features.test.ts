// Hashed features: the hash spreads keys over buckets, n-grams stay inside words, IDF and block norms are right.
import { describe, expect, it } from 'vitest';
import { countFeatures, DEFAULT_FEATURES, defaultNormalise, type FeatureNames, fitIdf, hashString, KIND_WORD, weigh } from './features.js';

const cfg = { ...DEFAULT_FEATURES, bits: 18 };

describe('hashing', () => {
  it('spreads similar keys evenly over the low bits (the buckets)', () => {
    const buckets = 1 << 10;
    const load = new Array<number>(buckets).fill(0);
    const n = 100_000;
    // Near-identical keys are the hard case for a weak hash: Cyrillic words differing in one letter, and numbers.
    for (let i = 0; i < n; i++) load[hashString(i % 2 ? `улица ${i}` : `көше${i}а`) & (buckets - 1)]!++;
    const mean = n / buckets;
    const chi2 = load.reduce((s, l) => s + (l - mean) ** 2 / mean, 0);
    // chi-square with 1023 degrees of freedom: a uniform hash lands near 1023; 1200 is beyond p = 0.0001.
    expect(chi2).toBeLessThan(1200);
    expect(Math.min(...load)).toBeGreaterThan(mean * 0.6);
    expect(Math.max(...load)).toBeLessThan(mean * 1.4);
  });

  it('changes about half of the bits when one letter changes', () => {
    let flipped = 0;
    const trials = 2000;
    for (let i = 0; i < trials; i++) {
      const x = hashString(`су жоқ ${i}`) ^ hashString(`су жок ${i}`);
      flipped += x.toString(2).replace(/0/g, '').length;
    }
    expect(flipped / trials).toBeGreaterThan(14);
    expect(flipped / trials).toBeLessThan(18);
  });
});

describe('n-grams', () => {
  it('takes word 1–2-grams and character 2–5-grams padded at word boundaries, never across words', () => {
    const names: FeatureNames = new Map();
    const c = countFeatures('Нет  ВОДЫ', cfg, defaultNormalise, names);
    const all = new Set(names.values());
    for (const n of ['word:нет', 'word:воды', 'word:нет воды', 'chars:_н', 'chars:_нет_', 'chars:ды_', 'chars:_воды']) expect(all).toContain(n);
    expect([...all].some((n) => n.startsWith('chars:') && n.includes('т_в'))).toBe(false);
    expect(c.split).toBe(3); // three word features come first
    // " нет " gives 4 + 3 + 2 + 1 n-grams of 2..5 characters; " воды " 5 + 4 + 3 + 2.
    expect(c.idx.length - c.split).toBe(24);
    expect(c.idx.every((b) => b >= 0 && b < 1 << cfg.bits)).toBe(true);
  });

  it('counts a repeated word and hashes a word as hashString does', () => {
    const c = countFeatures('су су', cfg, defaultNormalise);
    const b = hashString('су', KIND_WORD) & ((1 << cfg.bits) - 1);
    const at = [...c.idx.subarray(0, c.split)].indexOf(b);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(c.cnt[at]).toBe(2);
  });

  it('counts a text the same for a model of other buckets right after (the hashes are reused)', () => {
    const small = { ...cfg, bits: 12 };
    for (const text of ['Су жоқ, су жоқ!', 'нет воды нет света']) {
      countFeatures('другой текст', small, defaultNormalise);
      const fresh = countFeatures(text, small, defaultNormalise);
      countFeatures(text, cfg, defaultNormalise);
      expect(countFeatures(text, small, defaultNormalise)).toEqual(fresh);
    }
  });

  it('normalises by default: lower case, ё→е, one space', () => {
    expect(defaultNormalise('  ЁЛКА\n\tЖоҚ ')).toBe('елка жоқ');
  });
});

describe('IDF and weighting', () => {
  const docs = ['вода вода', 'вода свет', 'вода газ'].map((t) => countFeatures(t, cfg, defaultNormalise));
  const word = (w: string) => hashString(w, KIND_WORD) & ((1 << cfg.bits) - 1);

  it('learns smoothed IDF and drops buckets seen in fewer than minDf texts', () => {
    const idf = fitIdf(docs, { ...cfg, minDf: 1 });
    expect(idf[word('вода')]).toBeCloseTo(1, 6); // ln(4/4) + 1
    expect(idf[word('газ')]).toBeCloseTo(Math.log(4 / 2) + 1, 6);
    expect(fitIdf(docs, { ...cfg, minDf: 2 })[word('газ')]).toBe(0);
  });

  it('gives each block the length of its weight, with sublinear counts', () => {
    const idf = fitIdf(docs, { ...cfg, minDf: 1 });
    const c = { ...cfg, minDf: 1, wordWeight: 0.5, charWeight: 2 };
    const v = weigh(docs[0]!, idf, c);
    const split = docs[0]!.split;
    const norm = (from: number, to: number) => Math.hypot(...v.val.subarray(from, to));
    expect(norm(0, split)).toBeCloseTo(0.5, 5);
    expect(norm(split, v.val.length)).toBeCloseTo(2, 5);
  });

  it('weighs a count n as 1 + ln n and leaves buckets without IDF out', () => {
    const idf = new Float32Array(8).fill(1);
    idf[3] = 0;
    const v = weigh({ idx: Int32Array.from([1, 2, 3]), cnt: Int32Array.from([4, 1, 7]), split: 3 }, idf, cfg);
    expect([...v.idx]).toEqual([1, 2]);
    expect((v.val[0] as number) / (v.val[1] as number)).toBeCloseTo(1 + Math.log(4), 5);
  });
});
