import { describe, expect, it } from 'vitest';
import { complaint, rng } from './generate.js';
import { candidateProbability, LshIndex, type LshSnapshot, lshParams } from './lsh.js';
import { encodeSignature, MinHasher } from './minhash.js';

const hasher = new MinHasher();

describe('bands × rows', () => {
  it('picks 32 bands of 4 rows for 128 permutations at the default 0.45, and 42 × 3 at 0.3', () => {
    expect(new LshIndex(128).params).toEqual({ bands: 32, rows: 4 });
    expect(lshParams(128, 0.3)).toEqual({ bands: 42, rows: 3 });
  });

  it('makes pairs above the threshold candidates almost surely and unrelated ones rarely', () => {
    const p = lshParams(128, 0.45);
    expect(candidateProbability(0.2, p)).toBeLessThan(0.06);
    expect(candidateProbability(0.6, p)).toBeGreaterThan(0.98);
    for (let s = 0.05; s < 1; s += 0.05) expect(candidateProbability(s + 0.05, p)).toBeGreaterThanOrEqual(candidateProbability(s, p));
  });

  it('moves the S-curve with the threshold', () => {
    const low = lshParams(128, 0.2);
    const high = lshParams(128, 0.6);
    expect(candidateProbability(0.4, low)).toBeGreaterThan(candidateProbability(0.4, high));
  });

  it('refuses impossible settings', () => {
    expect(() => lshParams(128, 0)).toThrow();
    expect(() => new LshIndex(128, { bands: 50, rows: 3 })).toThrow(/exceeds/);
  });
});

describe('LshIndex', () => {
  const texts = {
    pipe: 'прорвало трубу в подвале, вода хлещет, Кенесары 12',
    pipe2: 'в подвале прорвало трубу вода хлещет кенесары 12 срочно',
    lift: 'не работает лифт в доме на Туран 37 уже неделю',
  };
  const sig = (t: string) => hasher.signature(t);

  it('finds a near-duplicate, not an unrelated post, and forgets a removed one', () => {
    const index = new LshIndex(128);
    index.add('pipe', sig(texts.pipe));
    index.add('lift', sig(texts.lift));
    expect(index.query(sig(texts.pipe2))).toEqual(['pipe']);
    expect(index.remove('pipe')).toBe(true);
    expect(index.remove('pipe')).toBe(false);
    expect(index.query(sig(texts.pipe2))).toEqual([]);
    expect(index.size).toBe(1);
  });

  it('replaces the signature when an id is added again', () => {
    const index = new LshIndex(128);
    index.add('x', sig(texts.pipe));
    index.add('x', sig(texts.lift));
    expect(index.size).toBe(1);
    expect(index.query(sig(texts.pipe2))).toEqual([]);
    expect(index.query(sig(texts.lift))).toEqual(['x']);
  });

  it('keeps empty texts without making them candidates of each other', () => {
    const index = new LshIndex(128);
    index.add('a', sig(''));
    index.add('b', sig('😡'));
    expect(index.has('a')).toBe(true);
    expect(index.query(sig(''))).toEqual([]);
    expect(index.remove('a')).toBe(true);
  });

  it('rebuilds from stored signatures with identical answers', () => {
    const r = rng(8);
    const index = new LshIndex(128);
    const stored: [string, string][] = [];
    for (let i = 0; i < 500; i++) {
      const s = sig(complaint(r).text);
      index.add(`a${i}`, s);
      stored.push([`a${i}`, encodeSignature(s)]);
    }
    const snapshot = JSON.parse(JSON.stringify(index)) as LshSnapshot;
    const fromJson = LshIndex.fromJSON(snapshot);
    const fromRows = LshIndex.fromEntries(128, stored);
    for (let i = 0; i < 50; i++) {
      const q = sig(complaint(r).text);
      expect(fromJson.query(q)).toEqual(index.query(q));
      expect(fromRows.query(q)).toEqual(index.query(q));
    }
    expect(fromRows.size).toBe(500);
  });

  it('rejects a signature of the wrong length', () => {
    const index = new LshIndex(128);
    expect(() => index.add('x', new Uint32Array(64))).toThrow(/expects 128/);
    expect(() => index.query(new Uint32Array(64))).toThrow(/expects 128/);
  });
});
