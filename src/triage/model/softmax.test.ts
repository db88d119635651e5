// The classifier: learns a separable history in ru/kk/en, gives probabilities that sum to one, repeats itself for
// one seed, explains itself with readable n-grams, and survives empty, huge, binary and HTML input.
import { describe, expect, it } from 'vitest';
import { report } from './metrics.js';
import { fitTemperature, predict } from './softmax.js';
import { toyHistory } from './toy.js';
import { trainModel } from './train.js';

const history = toyHistory();
const model = trainModel(history, { features: { bits: 18 } });

describe('training', () => {
  it('learns a separable ru/kk/en history to 100%, on its texts and on unseen ones', () => {
    const seen = report(
      history.map((h) => h.label),
      history.map((h) => predict(model, h.text).label),
    );
    expect(seen.accuracy).toBe(1);
    expect(model.info.heldOut?.report.accuracy).toBe(1);
    for (const [text, label] of [
      ['Су жоқ', 'water'],
      ['свет нет 3 дня', 'power'],
      ['huge pothole on the road near school', 'road'],
      ['ystyq sý joq', 'water'],
    ])
      expect(predict(model, text as string).label).toBe(label);
  });

  it('gives probabilities that sum to one, best first, with the confidence of the label', () => {
    for (const h of history.slice(0, 20)) {
      const p = predict(model, h.text);
      expect(p.probabilities.reduce((s, x) => s + x.p, 0)).toBeCloseTo(1, 6);
      expect(p.probabilities[0]).toEqual({ label: p.label, p: p.confidence });
      expect(p.probabilities[0]!.p).toBeGreaterThanOrEqual(p.probabilities[1]!.p);
    }
  });

  it('is deterministic for one seed and differs for another', () => {
    const again = trainModel(history, { features: { bits: 18 } });
    expect(Buffer.from(again.table.buffer).equals(Buffer.from(model.table.buffer))).toBe(true);
    expect(again.temperature).toBe(model.temperature);
    const other = trainModel(history, { features: { bits: 18 }, seed: 2 });
    expect(Buffer.from(other.table.buffer).equals(Buffer.from(model.table.buffer))).toBe(false);
  });

  it('explains a decision with readable n-grams seen in training', () => {
    const p = predict(model, 'Здравствуйте, нет горячей воды', 3);
    expect(p.features.length).toBe(3);
    for (const f of p.features) {
      expect(f.feature).toMatch(/^(word|chars):/);
      expect(f.weight).toBeGreaterThan(0);
    }
    expect(p.features.map((f) => f.feature).join(' ')).toMatch(/вод/);
  });

  it('refuses a history with a single label, and settings out of range', () => {
    expect(() => trainModel([{ text: 'a', label: 'x' }])).toThrow(/two labels/);
    expect(() => trainModel(history, { features: { bits: 30 } })).toThrow(/bits must be/);
    expect(() => trainModel(history, { epochs: 0 })).toThrow(/epochs must be/);
    expect(() => trainModel(history, { normalise: (s) => s })).toThrow(/normaliserId/);
  });

  it('weighs rare classes up with balanced class weights', () => {
    const skewed = [...toyHistory(60).filter((h) => h.label !== 'road'), ...toyHistory(6).filter((h) => h.label === 'road')];
    const balanced = trainModel(skewed, { features: { bits: 18 }, holdout: 0 });
    expect(predict(balanced, 'яма на дороге').label).toBe('road');
  });
});

describe('calibration', () => {
  it('cools over-confident scores: a temperature above one when the scores overstate', () => {
    // Scores always 4:0 for the first label, right only 60% of the time.
    const n = 100;
    const logits = new Float64Array(n * 2);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      logits[i * 2] = 4;
      y[i] = i < 60 ? 0 : 1;
    }
    const t = fitTemperature(logits, y, 2);
    expect(t).toBeGreaterThan(5); // softmax(4/t) ≈ 0.6 needs t ≈ 9.9
    const p = 1 / (1 + Math.exp(-4 / t));
    expect(p).toBeGreaterThan(0.55);
    expect(p).toBeLessThan(0.65);
  });
});

describe('robustness', () => {
  const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
  it.each([
    ['empty', ''],
    ['spaces', ' \n\t '],
    ['50 kB', 'нет воды в доме '.repeat(3200)],
    ['one 50 kB word', 'ы'.repeat(50_000)],
    ['binary junk', junk],
    ['lone surrogates and NUL', '\ud800\u0000\udfff😀'],
    ['HTML', '<div class="x"><p>Нет&nbsp;воды</p><script>alert(1)</script></div>'],
  ])('predicts something sensible for %s', (_, text) => {
    const p = predict(model, text);
    expect(model.labels).toContain(p.label);
    expect(Number.isFinite(p.confidence)).toBe(true);
    expect(p.probabilities.reduce((s, x) => s + x.p, 0)).toBeCloseTo(1, 6);
  });
});
